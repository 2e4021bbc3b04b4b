/**
 * Text formatting for the `tsflow visualize` page: HTML escaping, times, durations, sizes and
 * state badges. Pure functions, so they run (and are tested) outside a browser too.
 *
 * @module
 */
import { stateColor } from "./state_colors.ts";

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes a value for HTML text or a quoted attribute; null and undefined become "".
 *
 * @param v Any value.
 * @returns Safe HTML text.
 *
 * @example
 * ```ts
 * import { esc } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(esc('<a href="x">'), "&lt;a href=&quot;x&quot;&gt;");
 * assert.equal(esc(null), "");
 * ```
 */
export function esc(v: unknown): string {
  return String(v ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * A time as UTC to the second, or "–" when there is none.
 *
 * @param ms Milliseconds since the epoch.
 * @returns E.g. `2024-01-02 03:04:05Z`.
 *
 * @example
 * ```ts
 * import { fmtTime } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(fmtTime(0), "1970-01-01 00:00:00Z");
 * assert.equal(fmtTime(null), "–");
 * ```
 */
export function fmtTime(ms: number | null | undefined): string {
  return ms == null ? "–" : new Date(ms).toISOString().replace("T", " ").slice(0, 19) + "Z";
}

/**
 * The time from `a` to `b`, in the largest unit that reads well.
 *
 * @param a Start, ms.
 * @param b End, ms.
 * @returns E.g. `1.500 s`, `2 min 5 s`, `1 h 3 min`; "–" when either end is missing.
 *
 * @example
 * ```ts
 * import { fmtDur } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(fmtDur(0, 1500), "1.500 s");
 * assert.equal(fmtDur(0, 125_000), "2 min 5 s");
 * assert.equal(fmtDur(0, null), "–");
 * ```
 */
export function fmtDur(a: number | null | undefined, b: number | null | undefined): string {
  if (a == null || b == null) return "–";
  const s = (b - a) / 1000;
  if (s < 60) return s.toFixed(s < 10 ? 3 : 1) + " s";
  const m = Math.floor(s / 60);
  return m < 60
    ? m + " min " + Math.round(s % 60) + " s"
    : Math.floor(m / 60) + " h " + (m % 60) + " min";
}

/**
 * A byte count in kB, MB or GB (decimal units).
 *
 * @param b Bytes.
 * @returns E.g. `1.5 MB`; "–" when there is none.
 *
 * @example
 * ```ts
 * import { fmtBytes } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert.equal(fmtBytes(1_500_000), "1.5 MB");
 * ```
 */
export function fmtBytes(b: number | null | undefined): string {
  if (b == null) return "–";
  if (b > 1e9) return (b / 1e9).toFixed(2) + " GB";
  if (b > 1e6) return (b / 1e6).toFixed(1) + " MB";
  return (b / 1e3).toFixed(0) + " kB";
}

/**
 * A state name on its state's colour.
 *
 * @param state A state name from the database.
 * @returns A `<span class="state">`.
 *
 * @example
 * ```ts
 * import { badge } from "./format.ts";
 * import assert from "node:assert/strict";
 * assert(badge("failed").includes("#c80000"));
 * ```
 */
export function badge(state: string): string {
  return '<span class="state" style="background:' + stateColor(state, "#ddd") + '">' +
    esc(state) + "</span>";
}
