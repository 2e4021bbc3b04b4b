/**
 * "Did you mean" suggestions for unknown names in configuration.
 *
 * @module
 */

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        d[i][j - 1] + 1,
        d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1),
      );
    }
  }
  return d[a.length][b.length];
}

/**
 * The closest known name, when close enough to be a likely typo.
 *
 * @param name The unknown name.
 * @param known Valid names.
 * @returns A phrase like ` (did you mean "retries"?)`, or an empty string.
 *
 * @example
 * ```ts
 * import { didYouMean } from "./suggest.ts";
 * import assert from "node:assert/strict";
 * assert(didYouMean("retry", ["retries", "runDir"]).includes("retries"));
 * ```
 */
export function didYouMean(name: string, known: Iterable<string>): string {
  let best = "", bestD = Infinity;
  for (const k of known) {
    const dd = distance(name, k);
    if (dd < bestD) [best, bestD] = [k, dd];
  }
  return best && bestD <= Math.max(3, Math.floor(name.length / 2))
    ? ` (did you mean "${best}"?)`
    : "";
}
