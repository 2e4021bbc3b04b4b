/**
 * Which queued task goes to which worker pool: a pure function over the interchange's state.
 * Pools are offered tasks up to their worker count plus `prefetchCapacity`, in the order a
 * {@linkcode ManagerSelector} chooses; tasks come in queue order (lowest priority number first); a `fits` hook lets a
 * pool refuse a task (walltime awareness: a task expected to run longer than the pool's block has
 * left goes elsewhere or waits).
 *
 * @module
 */

/** A pool as matching sees it. */
export interface ManagerView {
  /** Manager id. */
  id: string;
  /** Block it belongs to. */
  blockId: string;
  /** Worker processes. */
  workerCount: number;
  /** Extra tasks it may hold beyond its workers. */
  prefetchCapacity: number;
  /** Tasks it holds now. */
  outstanding: number;
  /** False when held or draining: it takes no tasks. */
  active: boolean;
  /** When it last became idle (ms epoch), for most-idle-first. */
  idleSince: number;
  /** Seconds its block has left, when known. */
  walltimeRemaining?: number;
}

/** A queued task as matching sees it. */
export interface QueuedTask {
  /** Task sequence number. */
  id: number;
  /** Lower first; `Infinity` when the task has none (the list's order already reflects it). */
  priority: number;
  /** Expected running time in seconds (0: unknown). */
  runningTime: number;
}

/** One decision: send this task to this pool. */
export interface Assignment {
  /** Task id. */
  taskId: number;
  /** Manager id. */
  managerId: string;
}

/**
 * Orders the pools that may take tasks (Parsl's `ManagerSelector`). The first gets first pick.
 *
 * @example A selector preferring block "0"
 * ```ts
 * import type { ManagerSelector } from "./matching.ts";
 * import assert from "node:assert/strict";
 * const blockZeroFirst: ManagerSelector = {
 *   name: "block-zero-first",
 *   order: (ms) => [...ms].sort((a, b) => Number(b.blockId === "0") - Number(a.blockId === "0")),
 * };
 * assert(blockZeroFirst.name.length > 0);
 * ```
 */
export interface ManagerSelector {
  /** Name used in options and logs. */
  readonly name: string;
  /** Returns the pools in the order they should be offered tasks. */
  order(managers: readonly ManagerView[]): ManagerView[];
}

/** Whether a pool may take a task (walltime-awareness hook). */
export type FitsPolicy = (task: QueuedTask, manager: ManagerView) => boolean;

/**
 * The default fit: a task with a known running time goes only to a pool whose block has at least
 * that long left (pools with unknown remaining walltime take anything).
 *
 * @param task The task.
 * @param manager The pool.
 * @returns Whether it fits.
 *
 * @example
 * ```ts
 * import { walltimeFits } from "./matching.ts";
 * import assert from "node:assert/strict";
 * const m = { id: "a", blockId: "0", workerCount: 1, prefetchCapacity: 0, outstanding: 0, active: true, idleSince: 0, walltimeRemaining: 10 };
 * assert(!walltimeFits({ id: 1, priority: 0, runningTime: 60 }, m));
 * ```
 */
export function walltimeFits(task: QueuedTask, manager: ManagerView): boolean {
  return task.runningTime <= 0 || manager.walltimeRemaining === undefined ||
    task.runningTime <= manager.walltimeRemaining;
}

/**
 * Random order (Parsl's `RandomManagerSelector`).
 *
 * @param random A source of numbers in [0, 1), for reproducible tests.
 * @returns The selector.
 *
 * @example
 * ```ts
 * import { randomSelector } from "./matching.ts";
 * import assert from "node:assert/strict";
 * assert(randomSelector(() => 0).order([]).length === 0);
 * ```
 */
export function randomSelector(random: () => number = Math.random): ManagerSelector {
  return {
    name: "random",
    order(managers) {
      const out = [...managers];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  };
}

/**
 * Most free slots first, then longest idle first (spreads work evenly over pools).
 *
 * @example
 * ```ts
 * import { mostIdleSelector } from "./matching.ts";
 * import assert from "node:assert/strict";
 * const base = { blockId: "0", workerCount: 2, prefetchCapacity: 0, active: true, idleSince: 0 };
 * const [first] = mostIdleSelector.order([{ ...base, id: "busy", outstanding: 2 }, { ...base, id: "idle", outstanding: 0 }]);
 * assert(first.id === "idle");
 * ```
 */
export const mostIdleSelector: ManagerSelector = {
  name: "most-idle-first",
  order(managers) {
    return [...managers].sort((a, b) =>
      (b.workerCount - b.outstanding) - (a.workerCount - a.outstanding) || a.idleSince - b.idleSince
    );
  },
};

/**
 * Newest block first (Parsl's `BlockIdManagerSelector`): work gathers on the latest blocks, so
 * older ones go idle and `htex_auto_scale` can end them. Numeric block ids compare as numbers.
 *
 * @example
 * ```ts
 * import { blockIdSelector } from "./matching.ts";
 * import assert from "node:assert/strict";
 * const base = { workerCount: 1, prefetchCapacity: 0, outstanding: 0, active: true, idleSince: 0 };
 * const order = blockIdSelector.order([
 *   { ...base, id: "a", blockId: "2" }, { ...base, id: "b", blockId: "10" }, { ...base, id: "c", blockId: "0" },
 * ]);
 * assert.deepEqual(order.map((m) => m.blockId), ["10", "2", "0"]);
 * ```
 */
export const blockIdSelector: ManagerSelector = {
  name: "block-id",
  order(managers) {
    const key = (id: string) => /^\d+$/.test(id) ? Number(id) : NaN;
    return [...managers].sort((a, b) => {
      const [x, y] = [key(a.blockId), key(b.blockId)];
      if (!isNaN(x) && !isNaN(y)) return y - x;
      return b.blockId.localeCompare(a.blockId);
    });
  },
};

/**
 * Free slots of a pool: workers plus prefetch, minus what it holds; 0 when inactive.
 *
 * @param m The pool.
 * @returns Tasks it may still take.
 *
 * @example
 * ```ts
 * import { freeSlots } from "./matching.ts";
 * import assert from "node:assert/strict";
 * const m = { id: "a", blockId: "0", workerCount: 2, prefetchCapacity: 1, outstanding: 1, active: true, idleSince: 0 };
 * assert(freeSlots(m) === 2);
 * ```
 */
export function freeSlots(m: ManagerView): number {
  return m.active ? Math.max(0, m.workerCount + m.prefetchCapacity - m.outstanding) : 0;
}

/**
 * Matches tasks to pools. Pure: it reads its arguments and returns decisions.
 *
 * @param tasks Candidate tasks in queue order (lowest priority number first, ties in arrival order).
 * @param managers All pools.
 * @param selector Order in which pools pick.
 * @param fits Whether a pool may take a task.
 * @returns Assignments; tasks left out stay queued.
 *
 * @example
 * ```ts
 * import { matchTasks, mostIdleSelector } from "./matching.ts";
 * import assert from "node:assert/strict";
 * const m = { id: "a", blockId: "0", workerCount: 1, prefetchCapacity: 0, outstanding: 0, active: true, idleSince: 0 };
 * const out = matchTasks([{ id: 1, priority: 0, runningTime: 0 }, { id: 2, priority: 0, runningTime: 0 }], [m], mostIdleSelector);
 * assert(out.length === 1 && out[0].taskId === 1);
 * ```
 */
export function matchTasks(
  tasks: readonly QueuedTask[],
  managers: readonly ManagerView[],
  selector: ManagerSelector,
  fits: FitsPolicy = walltimeFits,
): Assignment[] {
  const out: Assignment[] = [];
  if (tasks.length === 0) return out;
  const ready = managers.filter((m) => freeSlots(m) > 0);
  if (ready.length === 0) return out;
  const taken = new Uint8Array(tasks.length);
  let firstFree = 0;
  for (const m of selector.order(ready)) {
    let free = freeSlots(m);
    for (let i = firstFree; i < tasks.length && free > 0; i++) {
      if (taken[i] || !fits(tasks[i], m)) continue;
      taken[i] = 1;
      free--;
      out.push({ taskId: tasks[i].id, managerId: m.id });
    }
    while (firstFree < tasks.length && taken[firstFree]) firstFree++;
    if (firstFree === tasks.length) break;
  }
  return out;
}
