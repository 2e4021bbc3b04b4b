/**
 * The contract between the kernel and an executor. The kernel hands a ready task (dependencies
 * resolved, arguments checked) to `submit` and awaits the result; the executor owns where and how
 * it runs. Executors are plugins: the kernel never imports a concrete one.
 *
 * @module
 */
import type { Logger } from "./logger.ts";
import type { MonitoringEvent } from "./monitoring_event.ts";
import type { StagingProvider } from "./staging/staging_provider.ts";
import type { TaskContextData } from "./task_context.ts";

/** How workers find a function: the module that exports it and the export name. */
export interface FunctionRef {
  /** Absolute module URL (`file://…` on HPC systems with a shared filesystem). */
  module: string;
  /** Name of the export in that module. */
  export: string;
}

/** What kind of body the worker runs. */
export type TaskKind = "function" | "bash";

/** A task as an executor sees it: everything a worker needs, nothing of the kernel's. */
export interface ExecutorTask {
  /** Kernel task id. */
  id: number;
  /** Try number, from 0. */
  tryId: number;
  /** The app's function. */
  ref: FunctionRef;
  /** `function` calls it; `bash` calls it for a command line and runs that with `/bin/bash -c`. */
  kind: TaskKind;
  /** Positional arguments, futures already replaced by values. */
  args: unknown[];
  /** Per-call options the app body can read with `taskContext()`. */
  context: TaskContextData;
}

/** What executors can tell the kernel while tasks run. */
export interface ExecutorHost {
  /** The run directory, `runinfo/NNN`. */
  runDir: string;
  /** The run's id (a UUID), shared with monitoring. */
  runId: string;
  /**
   * The run's logger (writes to the run directory). Internal, not public API.
   * @ignore
   */
  logger: Logger;
  /** Monitoring events from the executor (running states, nodes, blocks, resources). */
  emit(event: MonitoringEvent): void;
  /** Tasks submitted to this executor and not yet returned. */
  outstanding(label: string): number;
  /** Whether a monitoring sink listens (skip building events when not). */
  monitoringEnabled?: boolean;
  /** Seconds between resource samples of running tasks, when resource monitoring is on. */
  resourceMonitoringInterval?: number;
}

/**
 * Where an executor's {@linkcode Executor.launch} reports how a try ended: one object for every
 * task, told which one by the token it was given.
 *
 * @example
 * ```ts
 * import type { TaskSink } from "./executor.ts";
 * import assert from "node:assert/strict";
 * const ended: unknown[] = [];
 * const sink: TaskSink = { settled: (token, ok, value) => ended.push([token, ok, value]) };
 * sink.settled("t1", true, 3);
 * assert.deepEqual(ended, [["t1", true, 3]]);
 * ```
 */
export interface TaskSink {
  /**
   * A try ended.
   * @param token What the task was launched with.
   * @param ok Whether it succeeded.
   * @param value Its value, or its error.
   */
  settled(token: unknown, ok: boolean, value: unknown): void;
  /**
   * Optional: the task once more, for an executor that holds a try back before sending it and
   * would rather not keep the task meanwhile. It describes the task's current try (compare its
   * `tryId` with the try held); undefined once the task has no try running (e.g. cancelled at
   * shutdown).
   * @param token What the task was launched with.
   */
  task?(token: unknown): ExecutorTask | undefined;
}

/**
 * An executor: runs tasks somewhere and returns their results.
 *
 * @example A minimal executor that runs nothing remotely
 * ```ts
 * import type { Executor, ExecutorTask } from "./executor.ts";
 * import assert from "node:assert/strict";
 * class Echo implements Executor {
 *   label = "echo";
 *   async start() {}
 *   submit(task: ExecutorTask) { return Promise.resolve(task.args[0]); }
 *   async shutdown() {}
 * }
 * assert(new Echo().label === "echo");
 * ```
 */
export interface Executor {
  /** Unique label; apps choose executors by label. */
  readonly label: string;
  /** File staging providers this executor supports (default: file:// only). */
  readonly storageAccess?: StagingProvider[];
  /** Starts the executor; called once by `load()`. */
  start(host: ExecutorHost): Promise<void>;
  /** Runs one try of a task; resolves with its value or rejects with its error. */
  submit(task: ExecutorTask): Promise<unknown>;
  /**
   * Optional, in place of `submit` for the kernel: runs one try of a task and reports its end
   * to `sink.settled(token, ...)` exactly once, never before `launch` returns. It saves the
   * Promise and the two callbacks a task costs through `submit` (memory and CPU of a burst of
   * a million tasks).
   */
  launch?(task: ExecutorTask, sink: TaskSink, token: unknown): void;
  /** Stops the executor and everything it started; must finish in bounded time. */
  shutdown(): Promise<void>;
}
