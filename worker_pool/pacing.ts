/**
 * How deep a pool pipelines: while its tasks are short (a running mean under
 * {@linkcode PIPELINE_BELOW_MS}), each worker gets tasks queued behind the running one (as many
 * as fit in {@linkcode QUEUE_BUDGET_MS} of work, at most {@linkcode PIPELINE_DEPTH}) and the pool
 * asks the interchange for that much extra prefetch, so frames carry many tasks and no task waits
 * a round trip per hop. Long tasks go one at a time, as in Parsl, so none is parked behind another.
 *
 * @module
 */

/** Tasks shorter than this mean run time (ms) are pipelined. */
export const PIPELINE_BELOW_MS = 2;
/** Most tasks a worker holds while pipelining. */
export const PIPELINE_DEPTH = 32;
/** Most work (ms, by the running mean) queued behind a worker's running task. */
export const QUEUE_BUDGET_MS = 10;

/**
 * Tracks task run times and derives pipeline depth and wanted prefetch.
 *
 * @example
 * ```ts
 * import { Pacer } from "./pacing.ts";
 * import assert from "node:assert/strict";
 * const p = new Pacer(0, 2);
 * p.record(0.1);
 * assert(p.depth > 1 && p.prefetch > 0);
 * ```
 */
export class Pacer {
  #mean = Infinity;
  #base: number;
  #workers: number;
  #advised: number;

  /**
   * Creates a pacer that starts without pipelining (nothing measured yet).
   * @param basePrefetch The pool's configured `prefetchCapacity`.
   * @param workers Worker processes.
   */
  constructor(basePrefetch: number, workers: number) {
    this.#base = basePrefetch;
    this.#workers = workers;
    this.#advised = basePrefetch;
  }

  /** Tasks a worker may hold now. */
  get depth(): number {
    if (!(this.#mean < PIPELINE_BELOW_MS)) return 1;
    // Powers of two, so small changes of the mean do not send a capacity message each time.
    let d = PIPELINE_DEPTH;
    while (d > 2 && d * this.#mean > QUEUE_BUDGET_MS) d /= 2;
    return d;
  }

  /** Prefetch capacity the pool wants now. */
  get prefetch(): number {
    return this.#base + this.#workers * (this.depth - 1);
  }

  /**
   * Records one task's run time.
   * @param ms Milliseconds from start to result.
   * @returns Whether the wanted prefetch changed (tell the interchange).
   */
  record(ms: number): boolean {
    this.#mean = this.#mean === Infinity ? ms : 0.9 * this.#mean + 0.1 * ms;
    const want = this.prefetch;
    if (want === this.#advised) return false;
    this.#advised = want;
    return true;
  }
}
