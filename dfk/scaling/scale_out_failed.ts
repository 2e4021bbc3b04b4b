/**
 * The error scaling raises when blocks cannot be started, or keep ending before any worker
 * connects.
 *
 * @module
 */
import { TsflowError } from "../errors.ts";

/**
 * Scaling out failed: blocks could not be submitted, or they keep ending before any worker
 * connects. The executor fails outstanding tasks with it; `jobStderr` shows why the jobs died.
 *
 * @example
 * ```ts
 * import { ScaleOutFailed } from "./scale_out_failed.ts";
 * import assert from "node:assert/strict";
 * const e = new ScaleOutFailed("htex", "3 blocks failed", "deno: not found");
 * assert(e.executor === "htex");
 * ```
 */
export class ScaleOutFailed extends TsflowError {
  /** Executor label. */
  executor: string;
  /** Tail of the last failed job's stderr (or the submit command's), when known. */
  jobStderr: string;
  /**
   * Creates it.
   * @param executor Executor label.
   * @param reason What happened.
   * @param jobStderr Tail of the failed job's stderr.
   * @param options Standard error options (`cause`).
   */
  constructor(executor: string, reason: string, jobStderr = "", options?: ErrorOptions) {
    super(
      `Executor "${executor}" cannot scale out: ${reason}` +
        (jobStderr.trim() ? `; job stderr: ${jobStderr.trim().slice(-2000)}` : ""),
      options,
    );
    this.executor = executor;
    this.jobStderr = jobStderr;
  }
}
