/**
 * Builders of monitoring events for tests that feed a hub directly.
 *
 * @module
 */
import type { MonitoringEvent, TaskEvent } from "../../dfk/monitoring_event.ts";
import type { TaskState } from "../../dfk/states.ts";

/** A workflow_start event. */
export function wfStart(runId: string, time = Date.now()): MonitoringEvent {
  return {
    type: "workflow_start",
    runId,
    workflowName: "test_flow.ts",
    workflowVersion: "0.1.0",
    runDir: "/tmp/runinfo/000",
    hostname: "host1",
    user: "tester",
    timeBegan: time,
    tsflowVersion: "0.1.0",
    denoVersion: Deno.version.deno,
  };
}

/** A task event in a given state. */
export function taskEv(
  runId: string,
  taskId: number,
  state: TaskState,
  time: number,
  extra: Partial<TaskEvent> = {},
): TaskEvent {
  return {
    type: "task",
    runId,
    taskId,
    tryId: 0,
    state,
    time,
    appName: "add",
    executor: "threads",
    memoize: false,
    dependsOn: [],
    inputs: "None",
    outputs: "None",
    timeInvoked: time,
    failCount: 0,
    failCost: 0,
    failHistory: [],
    joins: [],
    ...extra,
  };
}

/** The events of one task that runs and succeeds. */
export function happyTask(runId: string, taskId: number, t0: number): MonitoringEvent[] {
  return [
    taskEv(runId, taskId, "unsched", t0),
    taskEv(runId, taskId, "pending", t0 + 1),
    taskEv(runId, taskId, "launched", t0 + 2),
    {
      type: "try_running",
      runId,
      taskId,
      tryId: 0,
      state: "running",
      time: t0 + 3,
      executor: "threads",
      hostname: "host1",
      blockId: "0",
      workerId: "w1",
    },
    {
      type: "try_running",
      runId,
      taskId,
      tryId: 0,
      state: "running_ended",
      time: t0 + 4,
      executor: "threads",
    },
    taskEv(runId, taskId, "exec_done", t0 + 5, { timeInvoked: t0, timeReturned: t0 + 5 }),
  ];
}
