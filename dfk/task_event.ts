/**
 * Builds the monitoring event of a task's state change from its record.
 *
 * @module
 */
import { pyRepr } from "./_py_repr.ts";
import { wallClockMs } from "./clock.ts";
import type { TaskEvent } from "./monitoring_event.ts";
import type { TaskRecord } from "./task_record.ts";

// Parsl records a stream's file name: a path, a (path, mode) pair's path, or a File's URL.
const streamPath = (s: unknown): string | undefined => {
  const one = Array.isArray(s) ? s[0] : s;
  // AUTO_LOGNAME (a symbol) until the kernel names the stream.
  if (one === undefined || one === null || typeof one === "symbol") return undefined;
  const url = (one as { url?: unknown }).url;
  return typeof url === "string" ? url : String(one);
};

/**
 * The `task` monitoring event for a record's current state.
 *
 * @param runId The run.
 * @param t The task.
 * @returns The event.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a step of the kernel on a task record it is running; tests/dfk/ drive it through load().
 * sink.record(taskEvent(runId, task));
 * ```
 */
export function taskEvent(runId: string, t: TaskRecord): TaskEvent {
  return {
    type: "task",
    runId,
    taskId: t.id,
    tryId: t.tryId,
    state: t.state,
    time: wallClockMs(),
    appName: t.appName,
    executor: t.executor,
    memoize: t.memoize,
    hashsum: t.hashsum,
    dependsOn: t.dependsOn,
    inputs: t.call.inputs === undefined ? "None" : pyRepr(t.call.inputs),
    outputs: t.call.outputs === undefined ? "None" : pyRepr(t.call.outputs),
    stdout: streamPath(t.call.stdout),
    stderr: streamPath(t.call.stderr),
    timeInvoked: t.timeInvoked,
    timeReturned: t.timeReturned,
    failCount: t.failCount,
    failCost: t.failCost,
    failHistory: t.failHistory,
    joins: t.joins,
  };
}
