/**
 * When a worker pool stops taking tasks.
 *
 * @module
 */

/** Seconds before its block's end that a pool stops taking tasks (at most a tenth of its time). */
const END_DRAIN_MARGIN_S = 30;

/**
 * The pool's drain timer: after `drainPeriod` (Parsl's meaning), and in any case a margin before
 * its block's walltime ends (TSFLOW_BLOCK_END_TIME), so no task starts on a dying block.
 *
 * @param drain Called once, with the reason.
 * @param drainPeriod Seconds after start (0: none).
 * @param heartbeatPeriod Seconds between heartbeats (the margin is at least twice that, but
 *   never more than a tenth of the time the block has left).
 * @returns The timer, or undefined when neither applies.
 *
 * @example
 * ```ts
 * import { drainTimer } from "./drain_timer.ts";
 * import assert from "node:assert/strict";
 * assert(drainTimer(() => {}, 0, 1) === undefined || Deno.env.has("TSFLOW_BLOCK_END_TIME"));
 * ```
 */
export function drainTimer(
  drain: (why: string) => void,
  drainPeriod: number,
  heartbeatPeriod: number,
): ReturnType<typeof setTimeout> | undefined {
  const end = Number(Deno.env.get("TSFLOW_BLOCK_END_TIME")) * 1000;
  const left = Number.isFinite(end) && end > 0 ? end - Date.now() : Infinity;
  // The margin is a tenth of the block's time at most, so short blocks still do their work.
  const margin = Math.min(Math.max(END_DRAIN_MARGIN_S, 2 * heartbeatPeriod) * 1000, left / 10);
  const beforeEnd = left - margin;
  const afterPeriod = drainPeriod > 0 ? drainPeriod * 1000 : Infinity;
  const ms = Math.min(beforeEnd, afterPeriod);
  if (ms === Infinity) return undefined;
  const why = ms === afterPeriod ? "drainPeriod elapsed" : "its block's walltime ends soon";
  return setTimeout(() => drain(why), Math.max(0, ms));
}
