/**
 * The staging provider interface (Parsl's `parsl.data_provider.staging.Staging`). A provider says
 * which files it handles and either submits a separate staging task (returns a future the app
 * task waits for) or adds an in-task step the worker performs around the app body.
 *
 * @module
 */
import type { File } from "../file.ts";
import type { InTaskStaging } from "../task_context.ts";

/** What the kernel gives a staging provider to submit separate staging tasks. */
export interface StagingHost {
  /**
   * Submits an app call (an app from an importable module) as a task on the given executor and
   * returns its future.
   */
  submitStagingTask(
    appFn: (...args: never[]) => unknown,
    args: unknown[],
    executor: string,
  ): PromiseLike<unknown>;
}

/**
 * A staging provider.
 *
 * @example A provider for `file://` that does nothing
 * ```ts
 * import type { StagingProvider } from "./staging_provider.ts";
 * const noop: StagingProvider = {
 *   canStageIn: (f) => f.scheme === "file",
 *   canStageOut: (f) => f.scheme === "file",
 * };
 * ```
 */
export interface StagingProvider {
  /** Whether this provider stages this file in. */
  canStageIn(file: File): boolean;
  /** Whether this provider stages this file out. */
  canStageOut(file: File): boolean;
  /**
   * Separate-task style: submit a task that stages the file in and return its future; the app
   * task then depends on it. Return undefined when nothing is to be done in a separate task.
   * `after` is set when the file is still being produced (a DataFuture): the staging task must
   * wait for it (pass it as an argument).
   */
  stageIn?(
    host: StagingHost,
    file: File,
    executor: string,
    after?: PromiseLike<unknown>,
  ): PromiseLike<unknown> | undefined;
  /**
   * Separate-task style stage-out: submit a task that runs after `appDone` and uploads the file.
   */
  stageOut?(
    host: StagingHost,
    file: File,
    executor: string,
    appDone: PromiseLike<unknown>,
  ): PromiseLike<unknown> | undefined;
  /** In-task style: a step the worker performs itself around the app body. */
  inTask?(file: File, direction: "in" | "out"): InTaskStaging | undefined;
}
