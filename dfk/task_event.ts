/**
 * Builds the monitoring event of a task's state change from its record.
 *
 * @module
 */
import type { TaskEvent } from "./monitoring_event.ts";
import type { TaskRecord } from "./task_record.ts";

const NONE: string[] = [];
// Every transition builds an event: tasks without files share one empty list.
// `inputs` may hold any values: only Files (and DataFutures of Files) are listed.
const urlOf = (v: unknown): string | undefined => {
  if (typeof v !== "object" || v === null) return undefined;
  const { url, file } = v as { url?: unknown; file?: { url?: unknown } };
  const u = typeof url === "string" ? url : file?.url;
  return typeof u === "string" ? u : undefined;
};
const urls = (fs: unknown[] | undefined): string[] => {
  if (!fs?.length) return NONE;
  const out: string[] = [];
  for (const f of fs) {
    const u = urlOf(f);
    if (u !== undefined) out.push(u);
  }
  return out;
};

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
    time: Date.now(),
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
