/**
 * Plans a task's staging at submit: finds the provider for each File (argument, input or output)
 * among the executor's `storageAccess`, adds separate staging tasks as dependencies (or as stage-outs to
 * wait for) and in-task steps to the task, and makes the DataFutures of its outputs.
 *
 * @module
 */
import { appDefinition } from "../app.ts";
import { FILE_BRAND, isTsflowFuture } from "../brands.ts";
import { StagingError } from "../errors.ts";
import type { File } from "../file.ts";
import { DataFuture, Future } from "../future.ts";
import { ownList, type TaskRecord } from "../task_record.ts";
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

/** A DataFuture of any tsflow copy: a future with its File. */
function dataFutureFile(v: unknown): File | undefined {
  if (!isTsflowFuture(v)) return undefined;
  const file = (v as { file?: unknown }).file;
  return isFile(file) ? file : undefined;
}

/** Apps submitted by staging providers as separate staging tasks. */
const stagingApps = new WeakSet<AppDefinition>();

const staged = (v: unknown) => isFile(v) || dataFutureFile(v) !== undefined;

/**
 * Plans staging for a task (mutates the record, never the caller's Files): each File (or
 * DataFuture) among the top-level arguments and the `inputs` is replaced by a clean copy (a
 * DataFuture of the copy) that its staging provider may place; each output gets a clean copy for
 * the task and a DataFuture of the caller's File (Parsl's `_add_input_deps`/`_add_output_deps`),
 * and so does a File given as a bash app's `stdout`/`stderr` (its DataFuture is `future.stdout`).
 *
 * @param kernel The kernel.
 * @param task The task, before its dependencies are gathered.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a step of the kernel on a task record it is running; tests/dfk/ drive it through load().
 * planStaging(dfk, task);
 * ```
 */
export function planStaging(kernel: StagingKernel, task: TaskRecord): void {
  const { call } = task;
  if (stagingApps.has(task.def)) return; // staging tasks move files; they are not staged (Parsl)
  const stageArgs = task.def.kind !== "join" && task.args.some(staged);
  if (
    !stageArgs && !call.inputs?.length && !call.outputs?.length && !isFile(call.stdout) &&
    !isFile(call.stderr)
  ) return;
  const label = task.executor;
  const list = task.executorRef?.storageAccess ?? DEFAULT_STAGING;
  const host: StagingHost = {
    submitStagingTask: (fn, args, executor) => {
      const def = appDefinition(fn)!;
      stagingApps.add(def);
      return kernel.submit(def, args, {}, executor);
    },
  };
  const stageIn = (v: unknown): unknown => {
    const produced = dataFutureFile(v);
    const original = produced ?? (isFile(v) ? v : undefined);
    if (!original) return v; // plain values and other futures need no staging
    const file = original.cleanCopy();
    const p = provider(list, file, "in", label);
    const step = p.inTask?.(file, "in");
    if (step) (task.staging ??= []).push(step);
    const fut = p.stageIn?.(host, file, label, produced ? v as DataFuture : undefined);
    if (fut) (task.deps = ownList(task.deps)).push(fut);
    if (!produced) return file;
    // The task gets the copy once the producer is done, as the original DataFuture's value.
    const df = v as DataFuture;
    const copy = new DataFuture(file, df.taskId);
    df.onDone((f) => {
      const o = f.outcome!;
      if (o.ok) copy.setResult(file);
      else copy.setException(o.error);
    });
    return copy;
  };
  const stageOut = (original: File): File => {
    const file = original.cleanCopy();
    const p = provider(list, file, "out", label);
    const step = p.inTask?.(file, "out");
    if (step) (task.staging ??= []).push(step);
    const appDone = task.appDone ??= new Future<unknown>();
    // The stage-out task waits for the app, but need not carry the app's result to its worker.
    // A provider may not wait on it (no task to submit, or it threw): a failed app must then not
    // leave an unhandled rejection behind.
    const done = p.stageOut && appDone.then(() => null);
    done?.then(undefined, () => {});
    const fut = done && p.stageOut?.(host, file, label, done);
    if (fut) (task.stageOuts ??= []).push(fut);
    return file;
  };
  if (stageArgs) task.args = task.args.map(stageIn);
  if (call.inputs?.length) call.inputs = call.inputs.map(stageIn);
  if (call.outputs?.length) {
    call.outputs = call.outputs.map((original) => {
      const file = stageOut(original);
      (task.outputs = ownList(task.outputs)).push(new DataFuture(original, task.id));
      return file;
    });
    task.future.outputs = task.outputs;
  }
  // A File as stdout/stderr is an output too (Parsl): written by the task, then staged out.
  for (const stream of ["stdout", "stderr"] as const) {
    const spec = call[stream];
    if (!isFile(spec) || task.def.kind !== "bash") continue;
    call[stream] = stageOut(spec);
    const df = new DataFuture(spec, task.id);
    (task.stdOutputs ??= []).push(df);
    task.future[stream] = df;
  }
}
