/**
 * Preparing a submitted task, before it waits for its dependencies: its executor, staging, std
 * streams, dependencies and the check that its arguments can be sent. And the std stream names a
 * task gets once its app's module and export are known.
 *
 * @module
 */
import type { Config } from "./config.ts";
import type { DependencyResolver } from "./dependencies.ts";
import { gatherDependencies } from "./dependency_wait.ts";
import type { Executor } from "./executor.ts";
import { pickExecutor } from "./executor_choice.ts";
import { JOIN_LABEL } from "./join.ts";
import { assertSerializable } from "./serialize/check.ts";
import { planStaging, type StagingKernel } from "./staging/plan.ts";
import { AUTO_LOGNAME, nameAutoStreams, prepareStdStreams } from "./std_streams.ts";
import type { TaskRecord } from "./task_record.ts";

/** What preparing a task needs from the kernel. */
export interface PrepareContext {
  /** The run's configuration. */
  config: Config;
  /** Executors by label. */
  executors: Map<string, Executor>;
  /** Finds the futures among a task's arguments. */
  resolver: DependencyResolver;
  /** The run's directory (std stream names are made under it). */
  runDir: string;
  /** Submits the staging tasks a task's Files need. */
  kernel: StagingKernel;
}

/**
 * Prepares a new task: picks its executor, plans its staging, opens its std streams where their
 * names are known, gathers its dependencies and checks that its arguments can be sent.
 *
 * @param ctx What the kernel provides.
 * @param task The task, state `unsched`.
 * @param executor Executor label overriding the app's choice (staging tasks).
 * @throws TsflowError when no executor fits, a stream cannot be opened or an argument cannot be sent.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs a kernel's task record (tests/dfk/ submit through it).
 * prepareTask({ config, executors, resolver, runDir, kernel: dfk }, task);
 * ```
 */
export function prepareTask(ctx: PrepareContext, task: TaskRecord, executor?: string): void {
  const { def, call } = task;
  // Fields left at their prototype's value unless set: one slot less per task (see TaskRecord).
  if (def.options.cache === true && ctx.config.appCache !== false) task.memoize = true;
  if (def.kind === "join") task.executor = JOIN_LABEL;
  else {
    task.executorRef = pickExecutor(ctx.executors, executor ? [executor] : def.options.executors);
    task.executor = task.executorRef.label;
  }
  // Staging first: it puts clean copies of Files (and DataFutures) in place of the caller's,
  // std stream Files included, so the streams below are opened where staging put them.
  planStaging(ctx.kernel, task);
  // Automatic names hold the app's name: until its export name is known, they wait for it.
  const naming = ctx.config.stdNameGenerator !== undefined ||
    call.stdout === AUTO_LOGNAME || call.stderr === AUTO_LOGNAME;
  if (def.kind === "bash" && (def.ref || !naming)) {
    openStdStreams(task, ctx.runDir, ctx.config);
  } else if (def.kind === "function" && def.ref) nameStdStreams(task, ctx.runDir, ctx.config);
  gatherDependencies(task, ctx.resolver);
  const deps = task.deps;
  if (def.kind !== "join") {
    const allowed = deps.length ? new Set(deps) : undefined;
    const isDep = allowed && ((v: unknown) => allowed.has(v as PromiseLike<unknown>));
    if (assertSerializable(task.args, "args", isDep)) task.hasAppArgs = true;
    if (call.inputs?.length && assertSerializable(call.inputs, "inputs", isDep)) {
      task.hasAppArgs = true;
    }
  }
}

/**
 * Opens a bash app's std streams and shows their paths on its future.
 *
 * @param task The task.
 * @param runDir The run's directory.
 * @param config Where `stdNameGenerator` is set.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs a kernel's task record (tests/dfk/ submit through it).
 * openStdStreams(task, dfk.runDir, dfk.config);
 * ```
 */
export function openStdStreams(
  task: TaskRecord,
  runDir: string,
  config: Pick<Config, "stdNameGenerator">,
): void {
  prepareStdStreams(task, runDir, config.stdNameGenerator);
  for (const s of ["stdout", "stderr"] as const) {
    const spec = task.call[s];
    if (typeof spec === "string" || Array.isArray(spec)) task.future[s] = spec;
  }
}

/**
 * Names a function app's AUTO_LOGNAME streams (Parsl names them for every app) and shows them on
 * its future.
 *
 * @param task The task.
 * @param runDir The run's directory.
 * @param config Where `stdNameGenerator` is set.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs a kernel's task record (tests/dfk/ submit through it).
 * nameStdStreams(task, dfk.runDir, dfk.config);
 * ```
 */
export function nameStdStreams(
  task: TaskRecord,
  runDir: string,
  config: Pick<Config, "stdNameGenerator">,
): void {
  if (task.call.stdout !== AUTO_LOGNAME && task.call.stderr !== AUTO_LOGNAME) return;
  const named = nameAutoStreams(task, runDir, config.stdNameGenerator);
  for (const s of named) task.future[s] = task.call[s] as string;
}
