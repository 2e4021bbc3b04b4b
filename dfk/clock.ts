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
  return ORIGIN + performance.now();
}

// Fixed for the life of the process; reading it through `performance` costs a call each time.
const ORIGIN = performance.timeOrigin;

/**
 * Local time to the second, `YYYY-MM-DD HH:MM:SS`, as Python's `str(datetime.now().replace(
 * microsecond=0))` (Parsl's default workflow version).
 *
 * @param ms Milliseconds since the epoch.
 * @returns The text.
 *
 * @example
 * ```ts
 * import { localSeconds } from "./clock.ts";
 * import assert from "node:assert/strict";
 * assert.match(localSeconds(Date.now()), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
 * ```
 */
export function localSeconds(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
