/**
 * Retries: how much a failure costs against `Config.retries` (Parsl's `retry_handler`).
 *
 * @module
 */
import { JoinError } from "./errors.ts";
import type { TaskView } from "./future.ts";
import { ownList } from "./task_record.ts";

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
 * import assert from "node:assert/strict";
 * assert(failureCost(undefined, new Error("x"), {} as never) === 1);
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

/** What to do after a failed try. */
export type FailureVerdict =
  | { retry: true; note?: string }
  | { retry: false; error: Error; note?: string };

/**
 * Records a failed try on the task (count, history, cost) and decides whether it runs again,
 * as Parsl does: retried while the accumulated cost is at most `retries`. A join app's
 * `JoinError` is never retried (its inner tasks had their own retries); a handler that throws
 * fails the task with its error, the app's own error kept as that error's `cause`.
 *
 * @param task The task (its `failCount`, `failHistory`, `failCost` are updated).
 * @param error The try's error.
 * @param retries The retry budget.
 * @param handler The retry handler, if any.
 * @returns Retry, or fail with an error; `note` says why when the handler itself failed.
 *
 * @example
 * ```ts
 * import { judgeFailure } from "./retries.ts";
 * import assert from "node:assert/strict";
 * const task = { failCount: 0, failCost: 0, failHistory: [] as string[] };
 * assert(judgeFailure(task as never, new Error("x"), 1).retry === true);
 * assert(judgeFailure(task as never, new Error("x"), 1).retry === false);
 * ```
 */
export function judgeFailure(
  task: TaskView & { failCount: number; failCost: number; failHistory: string[] },
  error: Error,
  retries: number,
  handler?: RetryHandler,
): FailureVerdict {
  task.failCount++;
  (task.failHistory = ownList(task.failHistory)).push(`${error.name}: ${error.message}`);
  if (error instanceof JoinError) return { retry: false, error };
  const cost = failureCost(handler, error, task);
  if (cost instanceof Error) {
    if (cost.cause === undefined) {
      Object.defineProperty(cost, "cause", { value: error, configurable: true });
    }
    return { retry: false, error: cost, note: `retry handler failed: ${cost.message}` };
  }
  task.failCost += cost;
  return task.failCost <= retries ? { retry: true } : { retry: false, error };
}
