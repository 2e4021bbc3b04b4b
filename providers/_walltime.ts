/**
 * Walltime strings (`HH:MM:SS`, as Parsl and the schedulers write them) to seconds and back.
 *
 * @module
 */
import { ConfigError } from "../dfk/errors.ts";

/**
 * Parses `HH:MM:SS`, `MM:SS`, `SS` or `D-HH:MM:SS` into seconds.
 *
 * @param walltime The walltime string.
 * @returns Seconds.
 *
 * @example
 * ```ts
 * import { walltimeSeconds } from "./_walltime.ts";
 * import assert from "node:assert/strict";
 * assert(walltimeSeconds("01:00:05") === 3605);
 * ```
 */
export function walltimeSeconds(walltime: string): number {
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(walltime.trim());
  if (!m) {
    throw new ConfigError(`Bad walltime "${walltime}": write it as HH:MM:SS, e.g. "00:10:00"`);
  }
  const parts = [m[2], m[3], m[4]].filter((p) => p !== undefined).map(Number);
  while (parts.length < 3) parts.unshift(0);
  return Number(m[1] ?? 0) * 86400 + parts[0] * 3600 + parts[1] * 60 + parts[2];
}

/**
 * Formats seconds as `HH:MM:SS` (hours may exceed 24).
 *
 * @param seconds Whole seconds.
 * @returns The walltime string.
 *
 * @example
 * ```ts
 * import { formatWalltime } from "./_walltime.ts";
 * import assert from "node:assert/strict";
 * assert(formatWalltime(3605) === "01:00:05");
 * ```
 */
export function formatWalltime(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/**
 * Walltime in whole minutes, rounded up (Slurm and LSF count minutes).
 *
 * @param walltime The walltime string.
 * @returns Minutes, at least 1.
 *
 * @example
 * ```ts
 * import { walltimeMinutes } from "./_walltime.ts";
 * import assert from "node:assert/strict";
 * assert(walltimeMinutes("00:00:30") === 1);
 * ```
 */
export function walltimeMinutes(walltime: string): number {
  return Math.max(1, Math.ceil(walltimeSeconds(walltime) / 60));
}
