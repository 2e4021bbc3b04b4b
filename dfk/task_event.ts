/**
 * Builds the monitoring event of a task's state change from its record.
 *
 * @module
 */
import { wallClockMs } from "./clock.ts";
import type { TaskEvent } from "./monitoring_event.ts";
import type { TaskRecord } from "./task_record.ts";

const NONE: string[] = [];
// Every transition builds an event: tasks without files share one empty list.
const urls = (fs: unknown[] | undefined): string[] =>
  !fs?.length ? NONE : fs.map((f) =>
    String(
      (f as { url?: string; file?: { url: string } }).url ??
        (f as { file: { url: string } }).file?.url,
    )
  );

const streamPath = (s: unknown): string | undefined =>
  s === undefined ? undefined : Array.isArray(s) ? String(s[0]) : String(s);

/**
 * The `task` monitoring event for a record's current state.
 *
 * @param runId The run.
 * @param t The task.
 * @returns The event.
 *
 * @example
 * ```ts ignore
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
    inputs: urls(t.call.inputs),
    outputs: urls(t.call.outputs),
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
