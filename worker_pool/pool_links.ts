/**
 * The small interfaces through which a pool drives the socket-free `PoolCore` and the core
 * reaches its workers: a {@linkcode WorkerLink} per worker (a process behind a socket, a Web
 * Worker, or a fake in tests), the pool's {@linkcode PoolHooks}, and {@linkcode PoolTimers}.
 *
 * @module
 */

/** What the core reads of a task (the wire's `task` message has exactly these fields). */
export interface PoolTask {
  /** Id, for logs. */
  id: number;
  /** Priority, lower first; absent: after every prioritised task. */
  p?: number;
  /** Walltime in seconds (0: none). */
  w: number;
  /** `function` or `bash`. */
  kind: string;
  /** App name, for the walltime error. */
  n: string;
}

/** The pool's handle on one worker: a process behind a socket, or a Web Worker. */
export interface WorkerLink<T> {
  /** Hands the worker tasks to run in order, as one message. */
  send(tasks: T[]): void;
  /** Stops the worker at once; its driver then calls `PoolCore.lost`. */
  kill(): void;
}

/** What the core asks of the pool that drives it. */
export interface PoolHooks<T> {
  /** Starts a worker for slot `slot`; the driver calls `ready` when it takes tasks. */
  spawn(slot: number): WorkerLink<T>;
  /** A task's body began on the worker of `slot`. */
  began(task: T, slot: number): void;
  /**
   * A task failed without an outcome from its worker (lost, or over its walltime).
   * `began` tells whether {@linkcode PoolHooks.began} was called for it.
   */
  failed(task: T, error: Error, began: boolean): void;
  /**
   * Workers keep dying before they are ready: the pool stops replacing them.
   * `why` is how the last one died.
   */
  giveUp(why: string): void;
}

/** Timers the core uses for walltimes (fake ones in tests). */
export interface PoolTimers {
  /** Calls `fn` after `ms`. */
  set(fn: () => void, ms: number): unknown;
  /** Cancels a timer. */
  clear(handle: unknown): void;
  /** Monotonic milliseconds. */
  now(): number;
}
