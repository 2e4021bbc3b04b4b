/**
 * Retries: how much a failure costs against `Config.retries` (Parsl's `retry_handler`).
 *
 * @module
 */
import type { TaskView } from "./future.ts";

/**
 * Returns the cost of a failure (default 1); the task is retried while the accumulated cost is
 * at most `Config.retries`. Throwing fails the task with the thrown error.
 *
 * @example Don't retry bad input, retry lost workers for free
 * ```ts
 * import type { RetryHandler } from "./retries.ts";
 * const handler: RetryHandler = (err) =>
 *   err.name === "WorkerLost" ? 0.5 : err instanceof TypeError ? 100 : 1;
 * ```
 */
export type RetryHandler = (error: Error, task: TaskView) => number;

/**
 * The cost of a failure under a handler; a throwing handler's error is returned instead.
 *
 * @param handler The handler, if any.
 * @param error The failure.
 * @param task The task.
 * @returns The cost, or the handler's own error.
 *
 * @example
 * ```ts
 * import { failureCost } from "./retries.ts";
 * console.assert(failureCost(undefined, new Error("x"), {} as never) === 1);
 * ```
 */
export function failureCost(
  handler: RetryHandler | undefined,
  error: Error,
  task: TaskView,
): number | Error {
  if (!handler) return 1;
  try {
    const cost = handler(error, task);
    return typeof cost === "number" && !Number.isNaN(cost) ? cost : 1;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
