/**
 * The worker pool's state machine, apart from processes, sockets and threads: it keeps one slot
 * per worker, queues tasks by priority, hands them to ready workers, times their walltimes, fails
 * the tasks of a worker that dies or times out, replaces it, and gives up when workers keep dying
 * before they are ready. The HTEX pool manager (`manager.ts`, worker processes behind a Unix
 * socket) and the ThreadPoolExecutor (Web Workers) both drive it through a {@linkcode WorkerLink}
 * per worker and {@linkcode PoolHooks}; tests drive it with fake links and fake timers.
 *
 * Two ways to hand out tasks, the only difference between the two pools:
 * - `pipeline`: one message per task; a worker runs its tasks back to back, so the head task
 *   begins when it is handed over or its predecessor ends, and results come one by one. While
 *   tasks are short, more queue behind a worker (`depth()`), never behind one running longer
 *   than {@linkcode QUEUE_BUDGET_MS}.
 * - `batch`: an idle worker gets up to `depth()` tasks in one message, a task with a walltime
 *   alone; the worker reports when each begins and returns all outcomes together.
 *
 * When a worker is lost, the message it was running fails (its head task, or its whole batch);
 * tasks queued behind it that it never began go back to the pool's queue.
 *
 * @module
 */
import { AppTimeout, WorkerLost } from "../dfk/errors.ts";
import { TaskQueue } from "../interchange/task_queue.ts";
import { QUEUE_BUDGET_MS } from "./pacing.ts";
import type { PoolHooks, PoolTask, PoolTimers, WorkerLink } from "./pool_links.ts";

/**
 * Seconds after a bash task's walltime before the pool kills its worker: the worker kills the
 * command's process group at the walltime itself, and this is only the backstop.
 */
export const BASH_KILL_GRACE_S = 2;

/** Workers in a row that die before they are ready, after which the pool gives up. */
export const MAX_FAILED_STARTS = 5;

/** Settings of a {@linkcode PoolCore}. */
export interface PoolCoreOptions<T> {
  /** Worker slots. */
  workers: number;
  /** How tasks are handed out (see the module documentation). */
  mode: "pipeline" | "batch";
  /** Most tasks one worker may hold now. */
  depth(): number;
  /** The driver's side. */
  hooks: PoolHooks<T>;
  /** Log (walltimes and lost workers are warnings). */
  logger: { warn(msg: string, data?: unknown): void };
  /** What a worker is called in logs ("worker", "thread worker"). @default "worker" */
  noun?: string;
  /** Host name, for `WorkerLost`. @default Deno.hostname() */
  hostname?: string;
  /** Timers. @default the global ones and performance.now() */
  timers?: PoolTimers;
}

/** A completed task, with whether its start was reported. */
export interface Completed<T> {
  /** The task. */
  task: T;
  /** Whether {@linkcode PoolHooks.began} was called for it. */
  began: boolean;
}

interface Slot<T> {
  id: number;
  link?: WorkerLink<T>;
  ready: boolean;
  /** Tasks handed to the worker, in the order it runs them. */
  tasks: T[];
  /** Tasks of `tasks` before this index have begun. */
  begun: number;
  /** When the running task began (timers.now()). */
  headStart: number;
  timer?: unknown;
  timedOut: boolean;
}

const GLOBAL_TIMERS: PoolTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout> | undefined),
  now: () => performance.now(),
};

/**
 * The pool's state machine.
 *
 * @example
 * ```ts
 * import { PoolCore } from "./pool_core.ts";
 * import assert from "node:assert/strict";
 * const sent: number[] = [];
 * const core = new PoolCore<{ id: number; w: number; kind: string; n: string }>({
 *   workers: 1,
 *   mode: "pipeline",
 *   depth: () => 1,
 *   logger: { warn: () => {} },
 *   hooks: {
 *     spawn: () => ({ send: (ts) => sent.push(...ts.map((t) => t.id)), kill: () => {} }),
 *     began: () => {},
 *     failed: () => {},
 *     giveUp: () => {},
 *   },
 * });
 * core.start();
 * core.submit([{ id: 1, w: 0, kind: "function", n: "add" }]);
 * core.ready(0);
 * assert.deepEqual(sent, [1]);
 * ```
 */
export class PoolCore<T extends PoolTask> {
  #o: PoolCoreOptions<T>;
  #t: PoolTimers;
  #slots: Slot<T>[] = [];
  #queue = new TaskQueue<T>();
  #held = 0;
  #failedStarts = 0;
  #stopped = false;
  #hostname: string;

  /**
   * Creates a pool with no workers; {@linkcode PoolCore.start} spawns them.
   * @param options Settings and hooks.
   */
  constructor(options: PoolCoreOptions<T>) {
    this.#o = options;
    this.#t = options.timers ?? GLOBAL_TIMERS;
    this.#hostname = options.hostname ?? Deno.hostname();
  }

  /** Tasks waiting for a worker. */
  get queued(): number {
    return this.#queue.size;
  }

  /** Whether no task is queued or held by a worker. */
  get idle(): boolean {
    return this.#held === 0 && this.#queue.size === 0;
  }

  /** Spawns a worker for every slot. */
  start(): void {
    for (let i = 0; i < this.#o.workers; i++) {
      const slot: Slot<T> = {
        id: i,
        ready: false,
        tasks: [],
        begun: 0,
        headStart: 0,
        timedOut: false,
      };
      this.#slots.push(slot);
      this.#spawn(slot);
    }
  }

  /**
   * Queues tasks and hands out what ready workers can take.
   * @param tasks The tasks.
   */
  submit(tasks: readonly T[]): void {
    for (const t of tasks) this.#queue.push(t, t.p);
    this.dispatch();
  }

  /**
   * The worker of `slot` takes tasks now.
   * @param slot Its slot.
   */
  ready(slot: number): void {
    const s = this.#slots[slot];
    s.ready = true;
    this.#failedStarts = 0;
    this.dispatch();
  }

  /**
   * The tasks a worker holds, in order (the first is running, or its batch is).
   * @param slot The slot.
   * @returns Its tasks.
   */
  tasksOf(slot: number): readonly T[] {
    return this.#slots[slot]?.tasks ?? [];
  }

  /**
   * The worker of a batch-mode slot reports that the task at `index` of its batch began.
   * @param slot The slot.
   * @param index Index in its batch.
   */
  began(slot: number, index: number): void {
    const s = this.#slots[slot];
    if (!s || index >= s.tasks.length || index < s.begun) return;
    this.#begin(s, index);
  }

  /**
   * The worker of `slot` returned the outcomes of its first `count` tasks.
   * @param slot The slot.
   * @param count How many (pipeline: 1; batch: the batch).
   * @returns The tasks, and how long the first ran (ms; for pacing).
   */
  completed(slot: number, count: number): { done: Completed<T>[]; ranMs: number } {
    const s = this.#slots[slot];
    const ranMs = this.#t.now() - s.headStart;
    this.#t.clear(s.timer);
    s.timer = undefined;
    const taken = s.tasks.splice(0, count);
    const done = taken.map((task, i) => ({ task, began: i < s.begun }));
    s.begun = Math.max(0, s.begun - taken.length);
    this.#held -= taken.length;
    if (this.#o.mode === "pipeline" && s.tasks.length > 0) this.#begin(s, 0);
    return { done, ranMs };
  }

  /**
   * The worker behind `link` is gone (exited, crashed, or killed by the core): the message it
   * was running fails, the tasks behind it are queued again, and it is replaced.
   * @param slot Its slot.
   * @param link The link it was reached by (a report about an older worker is ignored).
   * @param why What happened, for `WorkerLost` and logs.
   */
  lost(slot: number, link: WorkerLink<T>, why: string): void {
    const s = this.#slots[slot];
    if (!s || s.link !== link) return;
    this.#t.clear(s.timer);
    s.timer = undefined;
    const wasReady = s.ready;
    s.ready = false;
    s.link = undefined;
    const running = this.#o.mode === "pipeline" ? Math.min(1, s.tasks.length) : s.tasks.length;
    const failed = s.tasks.splice(0, running);
    for (const [i, task] of failed.entries()) {
      const error = s.timedOut ? new AppTimeout(task.n, task.w) : new WorkerLost(
        slot,
        this.#hostname,
        why,
      );
      this.#o.hooks.failed(task, error, i < s.begun);
    }
    // Tasks queued behind the lost one never began: they go back to the pool's queue.
    for (const t of s.tasks) this.#queue.push(t, t.p);
    this.#held -= failed.length + s.tasks.length;
    s.tasks = [];
    s.begun = 0;
    if (this.#stopped) return;
    this.#o.logger.warn(`${this.#noun(s)} ${why}; replacing it`, { task: failed[0]?.id });
    if (!wasReady && ++this.#failedStarts >= MAX_FAILED_STARTS) {
      this.#stopped = true;
      this.#o.hooks.giveUp(why);
      return;
    }
    this.#spawn(s);
    this.dispatch();
  }

  /** Hands queued tasks to ready workers (see the module documentation for the two modes). */
  dispatch(): void {
    if (this.#queue.size === 0 || this.#stopped) return;
    if (this.#o.mode === "batch") return this.#dispatchBatches();
    // First every idle worker gets a task; then, only while tasks are short, a few more each,
    // never behind a task already running longer than the queue budget.
    const depth = this.#o.depth();
    const late = this.#t.now() - QUEUE_BUDGET_MS;
    for (let level = 1; level <= depth && this.#queue.size > 0; level++) {
      for (const s of this.#slots) {
        if (this.#queue.size === 0) break;
        if (!s.ready || s.tasks.length >= level) continue;
        if (level > 1 && s.headStart < late) continue;
        const task = this.#queue.pop()!;
        s.tasks.push(task);
        this.#held++;
        s.link!.send([task]);
        if (s.tasks.length === 1) this.#begin(s, 0);
      }
    }
  }

  #dispatchBatches(): void {
    const most = this.#o.depth();
    for (const s of this.#slots) {
      if (this.#queue.size === 0) return;
      if (!s.ready || s.tasks.length > 0) continue;
      // A task with a walltime goes alone: its timer kills the worker, and whatever shares it.
      const batch: T[] = [];
      while (this.#queue.size > 0 && batch.length < most) {
        const next = this.#queue.peek()!;
        if (next.w > 0 && batch.length > 0) break;
        batch.push(this.#queue.pop()!);
        if (next.w > 0) break;
      }
      s.tasks = batch;
      this.#held += batch.length;
      s.link!.send(batch);
    }
  }

  /**
   * Stops replacing workers and handing out tasks (the pool is shutting down).
   * @returns The tasks still queued, now the caller's.
   */
  stop(): T[] {
    this.#stopped = true;
    for (const s of this.#slots) {
      this.#t.clear(s.timer);
      s.timer = undefined;
    }
    return this.#queue.drain();
  }

  /**
   * Takes every task out of the workers' hands without failing it (their workers are about to be
   * killed, and the caller settles the tasks itself).
   * @returns The tasks.
   */
  takeHeld(): T[] {
    const held: T[] = [];
    for (const s of this.#slots) {
      held.push(...s.tasks);
      s.tasks = [];
      s.begun = 0;
    }
    this.#held = 0;
    return held;
  }

  /** Kills every worker (each then reports `lost`). */
  killAll(): void {
    for (const s of this.#slots) s.link?.kill();
  }

  #spawn(s: Slot<T>): void {
    s.ready = false;
    s.timedOut = false;
    s.tasks = [];
    s.begun = 0;
    s.link = this.#o.hooks.spawn(s.id);
  }

  /** The task at `index` began: time it and report it. */
  #begin(s: Slot<T>, index: number): void {
    const task = s.tasks[index];
    s.begun = index + 1;
    s.headStart = this.#t.now();
    this.#o.hooks.began(task, s.id);
    if (task.w > 0) {
      const grace = task.kind === "bash" ? BASH_KILL_GRACE_S : 0;
      const link = s.link;
      this.#t.clear(s.timer);
      s.timer = this.#t.set(() => {
        s.timer = undefined;
        if (s.link !== link) return;
        s.timedOut = true;
        this.#o.logger.warn(
          `Task ${task.id} exceeded walltime ${task.w} s: killing ${this.#noun(s)}`,
        );
        link?.kill();
      }, (task.w + grace) * 1000);
    }
  }

  #noun(s: Slot<T>): string {
    return `${this.#o.noun ?? "worker"} ${s.id}`;
  }
}
