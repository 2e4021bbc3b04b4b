/**
 * What the monitoring writer knows of each task between batches: its latest event and state,
 * and when each try launched, ran and returned. A task's `task` and `try` rows are held back
 * while it is unfinished (up to {@linkcode DEFER_MS}): most tasks finish within it, and their
 * rows are then inserted once instead of inserted and updated. Status rows are never held.
 *
 * @module
 */
import type { TaskEvent } from "../dfk/monitoring_event.ts";
import { FINAL_STATES, type TaskState } from "../dfk/states.ts";
import { type Batch, STATE_CODES, STATUS_STRIDE } from "./_batch.ts";

/** States that end a try. */
const RETURNED: ReadonlySet<string> = new Set([...FINAL_STATES, "fail_retryable"]);

/**
 * How long (ms) the task and try rows of an unfinished task are held back (the two upserts of
 * a task written early were a third of the writer's work).
 */
export const DEFER_MS = 1000;
/** Most tasks held back at once (memory bound); beyond it every held row is written. */
const MAX_HELD = 100_000;

/** What is known of one try. */
export interface TryAcc {
  /** Executor label. */
  executor?: string;
  /** When it launched (ms epoch). */
  launched?: number;
  /** When a worker started it. */
  running?: number;
  /** When it returned. */
  returned?: number;
  /** Where it ran. */
  hostname?: string;
  /** Its block. */
  blockId?: string;
  /** Its worker. */
  workerId?: string;
}

/** What is known of one task. */
export interface TaskAcc {
  /** Latest state (a final state wins). */
  state?: TaskState;
  /** Latest kernel event; absent when only a worker's report came. */
  event?: TaskEvent;
  /** Tries by try id. */
  tries: TryAcc[];
  /** When it was first held back. */
  since?: number;
}

/** Writes one task's rows. */
export type WriteTask = (runId: string, taskId: number, task: TaskAcc) => void;

/**
 * Tasks by run and id, until their rows are written and committed.
 *
 * @example
 * ```ts
 * import { HeldTasks } from "./_held_tasks.ts";
 * import { emptyBatch } from "./_batch.ts";
 * import assert from "node:assert/strict";
 * const held = new HeldTasks();
 * held.merge(emptyBatch(), () => {});
 * held.takeDue(Date.now(), () => {});
 * held.committed();
 * assert(held.size === 0);
 * ```
 */
export class HeldTasks {
  readonly #runs = new Map<string, Map<number, TaskAcc>>();
  /** Tasks handed out by takeDue, forgotten once their transaction commits. */
  #taken: [Map<number, TaskAcc>, number][] = [];
  #size = 0;

  /** Tasks held. */
  get size(): number {
    return this.#size;
  }

  /**
   * Merges a batch: latest events, states (a final state wins over a later non-final report:
   * a worker's `running_ended` can arrive after the kernel's `exec_done`), try times and places.
   *
   * @param b The batch (left unchanged, so that it can be merged again after a lock).
   * @param status Called with each status change, in order.
   */
  merge(
    b: Batch,
    status: (runId: string, taskId: number, tryId: number, state: TaskState, ms: number) => void,
  ): void {
    const runs = [...b.runs];
    const perRun = runs.map((run) => this.#run(run));
    const byRun = (runId: string): number => {
      let i = runs.indexOf(runId);
      if (i < 0) i = perRun.push(this.#run(runId)) - 1, runs.push(runId);
      return i;
    };
    const accOf = (ri: number, task: number): TaskAcc => {
      const m = perRun[ri];
      let a = m.get(task);
      if (!a) m.set(task, a = { tries: [] }), this.#size++;
      return a;
    };
    const tryOf = (a: TaskAcc, tryId: number): TryAcc => a.tries[tryId] ??= {};
    for (const e of b.tasks) accOf(byRun(e.runId), e.taskId).event = e;
    const st = b.status;
    for (let i = 0; i < st.length; i += STATUS_STRIDE) {
      const ri = st[i], task = st[i + 1], tryId = st[i + 2];
      const state = STATE_CODES[st[i + 3]], ms = st[i + 4];
      status(runs[ri], task, tryId, state, ms);
      const a = accOf(ri, task);
      if (!(a.state && FINAL_STATES.has(a.state) && !FINAL_STATES.has(state))) a.state = state;
      const tr = tryOf(a, tryId);
      if (state === "launched") tr.launched = ms;
      else if (state === "running") tr.running = ms;
      else if (RETURNED.has(state)) tr.returned = ms;
    }
    for (const p of b.places) {
      const tr = tryOf(accOf(byRun(p.runId), p.taskId), p.tryId);
      tr.executor = p.executor;
      tr.hostname = p.hostname ?? tr.hostname;
      tr.blockId = p.blockId ?? tr.blockId;
      tr.workerId = p.workerId ?? tr.workerId;
    }
  }

  /**
   * Hands out the tasks whose rows are due: finished tasks, reports of tasks already written,
   * and tasks held for {@linkcode DEFER_MS} (all of them when `now` is Infinity or too many
   * are held). They stay held until {@linkcode HeldTasks.committed}.
   *
   * @param now Current time (ms), or Infinity for everything.
   * @param write Writes one task's rows.
   */
  takeDue(now: number, write: WriteTask): void {
    const all = now === Infinity || this.#size > MAX_HELD;
    for (const [run, tasks] of this.#runs) {
      for (const [task, a] of tasks) {
        a.since ??= now;
        if (
          all || !a.event || (a.state !== undefined && FINAL_STATES.has(a.state)) ||
          now - a.since >= DEFER_MS
        ) {
          write(run, task, a);
          this.#taken.push([tasks, task]);
        }
      }
    }
  }

  /** The transaction committed: the tasks handed out are written. */
  committed(): void {
    for (const [tasks, task] of this.#taken) if (tasks.delete(task)) this.#size--;
    this.#taken = [];
    for (const [run, m] of this.#runs) if (m.size === 0) this.#runs.delete(run);
  }

  /**
   * The transaction failed.
   * @param keep True after a lock (the rows are tried again); false drops every held task,
   *   which would otherwise fail each later write too.
   */
  rolledBack(keep: boolean): void {
    this.#taken = [];
    if (keep) return;
    this.#runs.clear();
    this.#size = 0;
  }

  #run(run: string): Map<number, TaskAcc> {
    let m = this.#runs.get(run);
    if (!m) this.#runs.set(run, m = new Map());
    return m;
  }
}
