/**
 * Plans a task's staging at submit: finds the provider for each input and output file among the
 * executor's `storageAccess`, adds separate staging tasks as dependencies (or as stage-outs to
 * wait for) and in-task steps to the task, and makes the DataFutures of its outputs.
 *
 * @module
 */
import { appDefinition } from "../app.ts";
import { FILE_BRAND } from "../brands.ts";
import { StagingError } from "../errors.ts";
import type { File } from "../file.ts";
import { DataFuture, Future } from "../future.ts";
import type { TaskRecord } from "../task_record.ts";
import type { AppFuture } from "../future.ts";
import type { AppDefinition, CallOptions } from "../app.ts";
import { HTTPInTaskStaging } from "./http.ts";
import { NoOpFileStaging } from "./noop.ts";
import type { StagingHost, StagingProvider } from "./staging_provider.ts";

const DEFAULT_STAGING: StagingProvider[] = [new NoOpFileStaging(), new HTTPInTaskStaging()];

/** What planning needs of the kernel. */
export interface StagingKernel {
  /** Submits a task on a given executor. */
  submit(
    def: AppDefinition,
    args: unknown[],
    call: CallOptions,
    executor?: string,
  ): AppFuture<unknown>;
}

const isFile = (v: unknown): v is File => typeof v === "object" && v !== null && FILE_BRAND in v;

function provider(
  list: StagingProvider[],
  f: File,
  dir: "in" | "out",
  label: string,
): StagingProvider {
  const p = list.find((s) => dir === "in" ? s.canStageIn(f) : s.canStageOut(f));
  if (!p) {
    throw new StagingError(
      f.url,
      `executor "${label}" has no staging provider for ${f.scheme}:// ${
        dir === "in" ? "inputs" : "outputs"
      }; ` +
        `add one to its storageAccess (e.g. HTTPInTaskStaging for http)`,
    );
  }
  return p;
}

/**
 * Plans staging for a task (mutates the record).
 *
 * @param kernel The kernel.
 * @param task The task, before its dependencies are counted.
 *
 * @example
 * ```ts ignore
 * planStaging(dfk, task);
 * ```
 */
export function planStaging(kernel: StagingKernel, task: TaskRecord): void {
  const { inputs, outputs } = task.call;
  if (!inputs?.length && !outputs?.length) return;
  const label = task.executor;
  const list = task.executorRef?.storageAccess ?? DEFAULT_STAGING;
  const host: StagingHost = {
    submitStagingTask: (fn, args, executor) =>
      kernel.submit(appDefinition(fn)!, args, {}, executor),
  };
  for (const f of inputs ?? []) {
    // Plain values and futures (dependencies, gathered by the kernel) need no staging.
    if (!isFile(f)) continue;
    const file = f as File;
    const p = provider(list, file, "in", label);
    const step = p.inTask?.(file, "in");
    if (step) (task.staging ??= []).push(step);
    const fut = p.stageIn?.(host, file, label);
    if (fut) task.deps.push(fut);
  }
  for (const file of outputs ?? []) {
    const p = provider(list, file, "out", label);
    const step = p.inTask?.(file, "out");
    if (step) (task.staging ??= []).push(step);
    const appDone = task.appDone ??= new Future<unknown>();
    // The stage-out task waits for the app, but need not carry the app's result to its worker.
    const fut = p.stageOut?.(host, file, label, appDone.then(() => null));
    if (fut) (task.stageOuts ??= []).push(fut);
    const df = new DataFuture(file, task.id);
    task.outputs.push(df);
  }
  task.future.outputs = task.outputs;
}
