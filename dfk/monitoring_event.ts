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
  /** Event kind. */
  type: "workflow_start";
  /** The run (workflow) id. */
  runId: string;
  /** Workflow name (the main module file). */
  workflowName: string;
  /** Workflow version (tsflow version unless set). */
  workflowVersion: string;
  /** The run directory, runinfo/NNN. */
  runDir: string;
  /** Host name. */
  hostname: string;
  /** User that ran the workflow. */
  user: string;
  /** Start time, ms since the epoch. */
  timeBegan: number;
  /** tsflow version. */
  tsflowVersion: string;
  /** Deno version. */
  denoVersion: string;
}

/** The workflow ended. */
export interface WorkflowEndEvent {
  /** Event kind. */
  type: "workflow_end";
  /** The run (workflow) id. */
  runId: string;
  /** End time, ms since the epoch. */
  timeCompleted: number;
  /** Tasks that finished successfully. */
  tasksCompletedCount: number;
  /** Tasks that failed. */
  tasksFailedCount: number;
}

/** A task changed state (every DFK transition). */
export interface TaskEvent {
  /** Event kind. */
  type: "task";
  /** The run (workflow) id. */
  runId: string;
  /** Task id. */
  taskId: number;
  /** Try number, from 0. */
  tryId: number;
  /** The new state. */
  state: TaskState;
  /** When it happened, ms since the epoch. */
  time: number;
  /** The app (export) name. */
  appName: string;
  /** Executor label. */
  executor: string;
  /** Whether the app is memoized. */
  memoize: boolean;
  /** Memo key, when memoized. */
  hashsum?: string;
  /** Ids of tasks this one depends on. */
  dependsOn: number[];
  /** The `inputs` call option as Parsl stores it: Python's `str()` of it (`None` when absent). */
  inputs: string;
  /** The `outputs` call option, likewise. */
  outputs: string;
  /** Standard output path. */
  stdout?: string;
  /** Standard error path. */
  stderr?: string;
  /** Submit time, ms since the epoch. */
  timeInvoked: number;
  /** Completion time, ms since the epoch. */
  timeReturned?: number;
  /** Failures so far. */
  failCount: number;
  /** Accumulated failure cost. */
  failCost: number;
  /** Errors of failed tries. */
  failHistory: string[];
  /** Ids of the tasks a join app waits for. */
  joins: number[];
}

/** A worker started or finished running a try (states `running`, `running_ended`). */
export interface TryRunningEvent {
  /** Event kind. */
  type: "try_running";
  /** The run (workflow) id. */
  runId: string;
  /** Task id. */
  taskId: number;
  /** Try number, from 0. */
  tryId: number;
  /** The new state. */
  state: "running" | "running_ended";
  /** When it happened, ms since the epoch. */
  time: number;
  /** Executor label. */
  executor: string;
  /** Host name. */
  hostname?: string;
  /** Block id. */
  blockId?: string;
  /** Worker id within its pool. */
  workerId?: string;
}

/** A sample of a running task's process (from /proc). */
export interface ResourceEvent {
  /** Event kind. */
  type: "resource";
  /** The run (workflow) id. */
  runId: string;
  /** Task id. */
  taskId: number;
  /** Try number, from 0. */
  tryId: number;
  /** When it happened, ms since the epoch. */
  time: number;
  /** Process id sampled. */
  pid: number;
  /** Host name. */
  hostname?: string;
  /** CPU use, percent of one core. */
  cpuPercent: number;
  /** User CPU seconds. */
  cpuUser: number;
  /** System CPU seconds. */
  cpuSystem: number;
  /** Resident memory, bytes. */
  memoryRss: number;
  /** Virtual memory, bytes. */
  memoryVms: number;
  /** Characters read (psutil's `read_chars`, Parsl's `psutil_process_disk_read`). */
  readBytes: number;
  /** Characters written (psutil's `write_chars`). */
  writeBytes: number;
  /** Resident memory as a percent of the host's total (Parsl's `psutil_process_memory_percent`). */
  memoryPercent?: number;
  /** Live descendant processes included in the sample. */
  childrenCount?: number;
  /** Process state in psutil's words (`running`, `sleeping`, `disk-sleep`, `zombie`, …). */
  processStatus?: string;
  /** CPU the process last ran on (Parsl's `psutil_cpu_num`). */
  cpuNum?: number;
  /** Voluntary context switches. */
  ctxSwitchesVoluntary?: number;
  /** Involuntary context switches. */
  ctxSwitchesInvoluntary?: number;
}

/** A worker pool (node) registered, heartbeated or was lost. */
export interface NodeEvent {
  /** Event kind. */
  type: "node";
  /** The run (workflow) id. */
  runId: string;
  /** Executor label. */
  executor: string;
  /** Manager (pool) id. */
  managerId: string;
  /** Host name. */
  hostname: string;
  /** Block id. */
  blockId: string;
  /** Worker processes in the pool. */
  workerCount: number;
  /** CPUs on the node. */
  cpuCount: number;
  /** Memory on the node, bytes. */
  totalMemory: number;
  /** Whether the pool is connected and accepting tasks. */
  active: boolean;
  /** When it happened, ms since the epoch. */
  time: number;
  /** Why it changed (loss reason). */
  reason?: string;
  /** Deno version of the pool (stored as Parsl's `python_v` and in `deno_version`). */
  denoVersion?: string;
}

/** A block was submitted, changed status, or was cancelled. */
export interface BlockEvent {
  /** Event kind. */
  type: "block";
  /** The run (workflow) id. */
  runId: string;
  /** Executor label. */
  executor: string;
  /** Block id. */
  blockId: string;
  /** Scheduler job id. */
  jobId?: string;
  /** Block status (job state). */
  status: string;
  /** When it happened, ms since the epoch. */
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
