/**
 * How deep a pool pipelines: while its tasks are short (a running mean under
 * {@linkcode PIPELINE_BELOW_MS}), each worker gets a few tasks queued behind the running one and
 * the pool asks the interchange for that much extra prefetch, so no task waits for a round trip
 * per hop. Long tasks get one at a time, as in Parsl, so none is parked behind another.
 *
 * @module
 */

/** Tasks shorter than this mean run time (ms) are pipelined. */
export const PIPELINE_BELOW_MS = 2;
/** Most tasks a worker holds while pipelining. */
export const PIPELINE_DEPTH = 8;

/**
 * Tracks task run times and derives pipeline depth and wanted prefetch.
 *
 * @example
 * ```ts
 * import { Pacer } from "./pacing.ts";
 * const p = new Pacer(0, 2);
 * p.record(0.1);
 * console.assert(p.depth > 1 && p.prefetch > 0);
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
    return this.#mean < PIPELINE_BELOW_MS ? PIPELINE_DEPTH : 1;
  }

  /** Prefetch capacity the pool wants now. */
  get prefetch(): number {
    return this.#base + (this.depth > 1 ? this.#workers * (PIPELINE_DEPTH - 1) : 0);
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
