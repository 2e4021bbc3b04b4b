/**
 * Events the kernel and executors emit for monitoring. The kernel emits one `task` event per
 * state transition (from its single transition function); executors emit `try_running`,
 * `resource`, `node` and `block` events. A {@linkcode MonitoringSink} (the `monitoring/` folder's
 * MonitoringHub) turns them into database rows. Fields follow Parsl's column names in meaning.
 *
 * @module
 */
import type { TaskState } from "./states.ts";

/** The workflow started. */
export interface WorkflowStartEvent {
  type: "workflow_start";
  runId: string;
  workflowName: string;
  workflowVersion: string;
  runDir: string;
  hostname: string;
  user: string;
  timeBegan: number;
  tsflowVersion: string;
  denoVersion: string;
}

/** The workflow ended. */
export interface WorkflowEndEvent {
  type: "workflow_end";
  runId: string;
  timeCompleted: number;
  tasksCompletedCount: number;
  tasksFailedCount: number;
}

/** A task changed state (every DFK transition). */
export interface TaskEvent {
  type: "task";
  runId: string;
  taskId: number;
  tryId: number;
  state: TaskState;
  time: number;
  appName: string;
  executor: string;
  memoize: boolean;
  hashsum?: string;
  dependsOn: number[];
  inputs: string[];
  outputs: string[];
  stdout?: string;
  stderr?: string;
  timeInvoked: number;
  timeReturned?: number;
  failCount: number;
  failCost: number;
  failHistory: string[];
  joins: number[];
}

/** A worker started or finished running a try (states `running`, `running_ended`). */
export interface TryRunningEvent {
  type: "try_running";
  runId: string;
  taskId: number;
  tryId: number;
  state: "running" | "running_ended";
  time: number;
  executor: string;
  hostname?: string;
  blockId?: string;
  workerId?: string;
}

/** A sample of a running task's process (from /proc). */
export interface ResourceEvent {
  type: "resource";
  runId: string;
  taskId: number;
  tryId: number;
  time: number;
  pid: number;
  hostname?: string;
  cpuPercent: number;
  cpuUser: number;
  cpuSystem: number;
  memoryRss: number;
  memoryVms: number;
  readBytes: number;
  writeBytes: number;
  /** Resident memory as a percent of the host's total (Parsl's `psutil_process_memory_percent`). */
  memoryPercent?: number;
  /** Live descendant processes included in the sample. */
  childrenCount?: number;
  /** Process state letter from /proc (R, S, D, Z, …). */
  processStatus?: string;
}

/** A worker pool (node) registered, heartbeated or was lost. */
export interface NodeEvent {
  type: "node";
  runId: string;
  executor: string;
  managerId: string;
  hostname: string;
  blockId: string;
  workerCount: number;
  cpuCount: number;
  totalMemory: number;
  active: boolean;
  time: number;
  reason?: string;
  /** Deno version of the pool (stored as Parsl's `python_v` and in `deno_version`). */
  denoVersion?: string;
}

/** A block was submitted, changed status, or was cancelled. */
export interface BlockEvent {
  type: "block";
  runId: string;
  executor: string;
  blockId: string;
  jobId?: string;
  status: string;
  time: number;
}

/** Any monitoring event. */
export type MonitoringEvent =
  | WorkflowStartEvent
  | WorkflowEndEvent
  | TaskEvent
  | TryRunningEvent
  | ResourceEvent
  | NodeEvent
  | BlockEvent;

/**
 * Receives monitoring events. `Config.monitoring` takes one (the MonitoringHub).
 *
 * @example Count task events
 * ```ts
 * import type { MonitoringSink, MonitoringEvent } from "./monitoring_event.ts";
 * let n = 0;
 * const sink: MonitoringSink = {
 *   start() {},
 *   record(e: MonitoringEvent) { if (e.type === "task") n++; },
 *   async close() {},
 * };
 * sink.record({ type: "workflow_end", runId: "r", timeCompleted: 0, tasksCompletedCount: 0, tasksFailedCount: 0 });
 * ```
 */
export interface MonitoringSink {
  /** Called by `load()` with the run directory before any event. */
  start(runDir: string): void | Promise<void>;
  /** Receives one event; must not block (buffer and write in batches). */
  record(event: MonitoringEvent): void;
  /** Writes everything buffered and closes. */
  close(): Promise<void>;
  /** Whether workers should sample task resources, and how often (seconds). */
  readonly resourceMonitoringInterval?: number;
}
