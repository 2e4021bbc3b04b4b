/**
 * Join apps: the body runs on the driver and returns a future (or an array of futures); the task
 * waits in `joining` and completes with the inner value(s), or fails with `JoinError`.
 *
 * @module
 */
import { isThenable, isTsflowFuture } from "./brands.ts";
import { wallClockMs } from "./clock.ts";
import { type DependentFailure, JoinError, TsflowError } from "./errors.ts";
import type { TryRunningEvent } from "./monitoring_event.ts";
import type { TaskRecord } from "./task_record.ts";

/** Executor label of join tasks, whose bodies run on the driver (Parsl's internal executor's). */
export const JOIN_LABEL = "_parsl_internal";

const HOSTNAME = Deno.hostname();

/** What a join needs of the kernel. */
export interface JoinHost {
  /** The kernel's transition function. */
  setState(task: TaskRecord, state: "joining"): void;
}

/**
 * Runs a join app's body and waits for what it returned.
 *
 * @param host The kernel.
 * @param task The join task (arguments resolved).
 * @returns The inner value, or the array of inner values.
 * @throws TypeError when the body returns something other than futures; JoinError when an inner task fails.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a step of the kernel on a task record it is running; tests/dfk/ drive it through load().
 * const value = await runJoin(dfk, task);
 * ```
 */
export async function runJoin(host: JoinHost, task: TaskRecord): Promise<unknown> {
  let ret = (task.def.fn as (...a: unknown[]) => unknown)(...task.resolvedArgs!);
  if (ret instanceof Promise && !isTsflowFuture(ret)) {
    // An async body: awaiting its promise already waits for a single returned future (JS
    // unwraps thenables), so that value is the result; an array of futures is joined below.
    ret = await ret;
    if (!Array.isArray(ret)) return ret;
  }
  const many = Array.isArray(ret);
  const inner = (many ? ret : [ret]) as unknown[];
  const bad = inner.findIndex((f) => !isThenable(f));
  if (bad >= 0) {
    const got = inner[bad] === null ? "null" : typeof inner[bad];
    throw new TypeError(
      `Join app "${task.appName}" must return a future or an array of futures, but ` +
        `${
          many ? `element ${bad} is` : "it returned"
        } a ${got}: return the app call's future itself`,
    );
  }
  task.joins = inner.map((f) => (f as { taskId?: number }).taskId ?? -1);
  host.setState(task, "joining");
  const settled = await Promise.allSettled(inner as PromiseLike<unknown>[]);
  const failed: DependentFailure[] = [];
  settled.forEach((s, i) => {
    if (s.status === "rejected") {
      const error = s.reason instanceof Error
        ? s.reason
        : new TsflowError(`Rejected with ${String(s.reason)}`);
      failed.push({ error, taskId: task.joins[i] });
    }
  });
  if (failed.length) throw new JoinError(failed, task.id);
  const values = settled.map((s) => (s as PromiseFulfilledResult<unknown>).value);
  return many ? values : values[0];
}

/**
 * A join try's `try_running` event: its body runs on the driver, so its running time is the
 * body's, as Parsl's internal executor reports it.
 *
 * @param runId Run id.
 * @param task The join task.
 * @param state `running` when the body starts, `running_ended` when it ends.
 * @returns The event.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs a kernel's task record (tests/dfk/ drive joins through load()).
 * monitoring.record(joinRunningEvent(dfk.runId, task, "running"));
 * ```
 */
export function joinRunningEvent(
  runId: string,
  task: Pick<TaskRecord, "id" | "tryId">,
  state: "running" | "running_ended",
): TryRunningEvent {
  return {
    type: "try_running",
    runId,
    taskId: task.id,
    tryId: task.tryId,
    state,
    time: wallClockMs(),
    executor: JOIN_LABEL,
    hostname: HOSTNAME,
  };
}
