/**
 * The per-call options an app body can read while it runs: Parsl's special keyword arguments
 * (`inputs`, `outputs`, `stdout`, `stderr`, `walltime`, `parsl_resource_specification`) in one
 * typed object, set by the worker around each task.
 *
 * @module
 */
import { TASK_CONTEXT_KEY } from "./brands.ts";
import type { File } from "./file.ts";
import type { StdTarget } from "./std_streams.ts";

/**
 * Resources a task asks for (Parsl's `parsl_resource_specification`). An executor fails a task
 * whose keys it does not honour with `InvalidResourceSpecification`, as Parsl's do: the
 * HighThroughputExecutor honours `priority` and `running_time`, the ThreadPoolExecutor none.
 */
export interface ResourceSpecification {
  /** Cores per task. */
  cores?: number;
  /** Memory in MB. */
  memory?: number;
  /** GPUs per task. */
  gpus?: number;
  /**
   * Lower runs first where the executor supports it (HighThroughputExecutor), as in Parsl; tasks
   * without one run after every prioritised task.
   */
  priority?: number;
  /** Expected running time in seconds. */
  running_time?: number;
  /** Nodes for MPI apps. */
  num_nodes?: number;
  /** Ranks per node for MPI apps. */
  ranks_per_node?: number;
}

/** Options that travel with a task to the worker. */
export interface TaskContextData {
  /** The app's name (its export name). */
  appName: string;
  /** Kernel task id. */
  taskId: number;
  /** Try number, from 0. */
  tryId: number;
  /** Inputs, futures replaced by their values (Files, and any other values). */
  inputs: unknown[];
  /** Output files. */
  outputs: File[];
  /** Where a bash command's standard output goes: a path and `w` (truncate) or `a` (append). */
  stdout?: StdTarget;
  /** Where a bash command's standard error goes. */
  stderr?: StdTarget;
  /** Seconds the task may run before it is stopped with `AppTimeout`. */
  walltime?: number;
  /** Resource request. */
  resourceSpecification: ResourceSpecification;
  /** In-task staging steps the worker performs before and after the body. */
  staging?: InTaskStaging[];
}

/** A staging step the worker performs itself (in-task staging). */
export interface InTaskStaging {
  /** `in` before the body runs, `out` after it succeeds. */
  direction: "in" | "out";
  /** Name of a worker-side staging action (see `registerStagingAction`). */
  action: string;
  /** Remote URL. */
  url: string;
  /** Local path on the worker. */
  path: string;
}

/** The context as an app body reads it, `inputs` typed as the caller passes them. */
export type TaskContext<I extends readonly unknown[] = File[]> =
  & Omit<TaskContextData, "inputs">
  & { inputs: I };

/**
 * The current task's context, inside an app body.
 *
 * @typeParam I The types of the call's `inputs` (Files unless said otherwise: `inputs` may hold
 *   any values, e.g. `taskContext<[string, number]>()`).
 * @returns The context of the task this worker is running.
 * @throws Error when called outside an app body.
 *
 * @example Read the output files inside a bash app
 * ```ts
 * import assert from "node:assert/strict";
 * import { bashApp, taskContext } from "../mod.ts";
 * export const write = bashApp(() => `echo hi > ${taskContext().outputs[0]}`);
 * assert.throws(() => taskContext(), /only available inside a running app body/);
 * ```
 */
export function taskContext<I extends readonly unknown[] = File[]>(): TaskContext<I> {
  const ctx = (globalThis as Record<symbol, unknown>)[TASK_CONTEXT_KEY];
  if (!ctx) throw new Error("taskContext() is only available inside a running app body");
  return ctx as TaskContext<I>;
}

/**
 * Sets (or clears) the current task context; used by workers around each task.
 *
 * @param ctx The context, or undefined to clear.
 *
 * @example
 * ```ts
 * import { setTaskContext, taskContext } from "./task_context.ts";
 * import assert from "node:assert/strict";
 * setTaskContext({ appName: "a", taskId: 1, tryId: 0, inputs: [], outputs: [], resourceSpecification: {} });
 * assert(taskContext().taskId === 1);
 * setTaskContext(undefined);
 * ```
 */
export function setTaskContext(ctx: TaskContextData | undefined): void {
  (globalThis as Record<symbol, unknown>)[TASK_CONTEXT_KEY] = ctx;
}
