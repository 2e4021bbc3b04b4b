/**
 * Wall-clock time with sub-millisecond precision, for monitoring timestamps: `Date.now()` has
 * whole milliseconds, so two quick state changes shared one time and sorted arbitrarily. Parsl
 * stores microseconds (Python's `datetime.now()`); this gives the same.
 *
 * @module
 */

/**
 * Milliseconds since the epoch, with a fractional part down to microseconds.
 *
 * @returns The time now.
 *
 * @example
 * ```ts
 * import { wallClockMs } from "./clock.ts";
 * import assert from "node:assert/strict";
 * assert(Math.abs(wallClockMs() - Date.now()) < 1000);
 * ```
 */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
