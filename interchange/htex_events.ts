/**
 * Monitoring events of a HighThroughputExecutor, made from interchange messages: `try_running`
 * (running, running_ended), `resource` samples and `node` changes, in the shapes of
 * `dfk/monitoring_event.ts`.
 *
 * @module
 */
import { wallClockMs } from "../dfk/clock.ts";
import type { ExecutorTask } from "../dfk/executor.ts";
import type { MonitoringEvent, TryRunningEvent } from "../dfk/monitoring_event.ts";
import { unpackSamples } from "../worker_pool/_sample_wire.ts";
import type { ManagerInfo, ResourceMsg, ResultMsg, RunningMsg } from "./protocol.ts";
import type { TaskOutcome } from "./task_codec.ts";

/**
 * A `try_running` event.
 *
 * @param runId Run id.
 * @param executor Executor label.
 * @param t The task.
 * @param state `running` or `running_ended`.
 * @param time When (ms epoch).
 * @param where Host, block and worker, when known.
 * @returns The event.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs the executor's host and a running task (tests/interchange/).
 * host.emit(tryRunning(host.runId, "htex", task, "running_ended", Date.now()));
 * ```
 */
export function tryRunning(
  runId: string,
  executor: string,
  t: Pick<ExecutorTask, "id" | "tryId">,
  state: "running" | "running_ended",
  time: number,
  where: Partial<Pick<RunningMsg, "hostname" | "blockId" | "workerId">> = {},
): TryRunningEvent {
  return {
    type: "try_running",
    runId,
    taskId: t.id,
    tryId: t.tryId,
    state,
    time,
    executor,
    hostname: where.hostname,
    blockId: where.blockId,
    workerId: where.workerId === undefined ? undefined : String(where.workerId),
  };
}

/**
 * A `resource` event from a pool's periodic sample or a worker's start/end sample.
 *
 * @param runId Run id.
 * @param t The task sampled.
 * @param m The sample (message).
 * @returns The event.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs the executor's host and a worker's resource message (tests/interchange/).
 * host.emit(resourceEvent(host.runId, task, msg));
 * ```
 */
export function resourceEvent(
  runId: string,
  t: Pick<ExecutorTask, "id" | "tryId">,
  m: ResourceMsg | Omit<ResourceMsg, "k" | "id">,
): MonitoringEvent {
  const { k: _k, id: _id, ...sample } = m as ResourceMsg;
  return { type: "resource", runId, taskId: t.id, tryId: t.tryId, ...sample };
}

/**
 * A `node` event for a pool that registered or was lost.
 *
 * @param runId Run id.
 * @param executor Executor label.
 * @param m The pool.
 * @param active Whether it is connected.
 * @param reason Why it was lost.
 * @returns The event.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs the executor's host and a registered pool (tests/interchange/).
 * host.emit(nodeEvent(host.runId, "htex", info, true));
 * ```
 */
export function nodeEvent(
  runId: string,
  executor: string,
  m: ManagerInfo,
  active: boolean,
  reason?: string,
): MonitoringEvent {
  return {
    type: "node",
    runId,
    executor,
    managerId: m.managerId,
    hostname: m.hostname,
    blockId: m.blockId,
    workerCount: m.workerCount,
    cpuCount: m.cpuCount,
    totalMemory: m.totalMemory,
    active,
    time: wallClockMs(),
    reason,
    denoVersion: m.denoVersion,
  };
}

/**
 * The events a task's result brings: its try's `running` (a short task's start comes with its
 * result, not in a `running` message) and `running_ended` at the worker's own times where it sent
 * them, and the worker's resource samples at the task's end.
 *
 * @param runId Run id.
 * @param executor Executor label.
 * @param t The task.
 * @param m The result message.
 * @param outcome Its decoded outcome.
 * @param want Which events: `running` for the try's running times, `samples` for resources.
 * @returns The events, in order.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs a worker's result message (tests/interchange/).
 * for (const e of resultEvents(host.runId, "htex", task, msg, outcome, { running: true, samples: false })) host.emit(e);
 * ```
 */
export function resultEvents(
  runId: string,
  executor: string,
  t: Pick<ExecutorTask, "id" | "tryId">,
  m: ResultMsg,
  outcome: TaskOutcome,
  want: { running: boolean; samples: boolean },
): MonitoringEvent[] {
  const events: MonitoringEvent[] = [];
  if (want.running) {
    if (m.started) {
      events.push(tryRunning(runId, executor, t, "running", outcome.started ?? m.started, m));
    }
    events.push(tryRunning(runId, executor, t, "running_ended", outcome.ended ?? Date.now()));
  }
  if (want.samples) {
    for (const s of unpackSamples(outcome.samples ?? [], outcome.host)) {
      events.push(resourceEvent(runId, t, s));
    }
  }
  return events;
}
