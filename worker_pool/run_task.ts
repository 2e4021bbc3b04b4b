/**
 * Runs one task inside a worker (a Web Worker of the ThreadPoolExecutor or a worker process of
 * a HighThroughputExecutor pool): imports the app's module by URL (once, cached), performs
 * in-task staging, calls the function (or runs the bash command it returns) and reports the value
 * or the error. Walltime of function apps is enforced by whoever owns the worker, by terminating
 * it; bash commands are killed here.
 *
 * @module
 */
import { wallClockMs } from "../dfk/clock.ts";
import { APP_BRAND, isThenable } from "../dfk/brands.ts";
import { AppTimeout, BashExitFailure, UnresolvableApp } from "../dfk/errors.ts";
import type { FunctionRef, TaskKind } from "../dfk/executor.ts";
import { decode } from "../dfk/serialize/codec.ts";
import { thrownError } from "../dfk/serialize/thrown_error.ts";
import { registerModule } from "../dfk/serialize/module_registry.ts";
import { setTaskContext, type TaskContextData } from "../dfk/task_context.ts";
import { runStagingStep } from "../dfk/staging/actions.ts";
import { runBash } from "./run_bash.ts";
import type { TaskMessage, TaskOutcome } from "../interchange/task_codec.ts";
// Registers File and AppRef with the codec: tasks carry them before any workflow module loads.
import "../dfk/file.ts";
import "../dfk/app_ref.ts";

interface AppRecord {
  kind: TaskKind | "join";
  fn: (...args: unknown[]) => unknown;
}

/** Apps by module URL, then export name: a task's lookup builds no `module#export` string. */
const functions = new Map<string, Map<string, AppRecord>>();
const hostname = Deno.hostname();

/**
 * Finds the function a reference names, importing its module on first use.
 *
 * @param ref Module URL and export name.
 * @returns The app's record (kind and function).
 * @throws UnresolvableApp when the module cannot be imported or has no such app export.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveFunction } from "./run_task.ts";
 * const module = new URL("../examples/add.ts", import.meta.url).href;
 * const rec = await resolveFunction({ module, export: "add" });
 * assert.equal(rec.kind, "function");
 * assert.equal(rec.fn(2, 3), 5);
 * ```
 */
export async function resolveFunction(ref: FunctionRef): Promise<AppRecord> {
  const cached = functions.get(ref.module)?.get(ref.export);
  if (cached) return cached;
  let ns: Record<string, unknown>;
  try {
    ns = await import(ref.module);
  } catch (e) {
    const fix = ref.module.startsWith("file:")
      ? "put the workflow on a filesystem the workers share, at the same path"
      : "use a file:// module on a shared filesystem (a compiled tsflow cannot load https: or npm: modules it did not embed)";
    throw new UnresolvableApp(
      `Worker on host ${hostname} cannot import ${ref.module} for app "${ref.export}": ` +
        `${(e as Error).message.replace(/\.$/, "")}. Fix: ${fix}`,
      { cause: e },
    );
  }
  registerModule(ref.module, ns);
  const app = ns[ref.export] as Record<symbol, AppRecord> | undefined;
  const rec = app?.[APP_BRAND];
  if (!rec) {
    throw new UnresolvableApp(
      `Module ${ref.module} has no app export "${ref.export}" on host ${hostname}: ` +
        `export the app from the module (export const ${ref.export} = app(...))`,
    );
  }
  let apps = functions.get(ref.module);
  if (apps === undefined) functions.set(ref.module, apps = new Map());
  apps.set(ref.export, rec);
  return rec;
}

/**
 * Runs one task and returns its outcome; never throws. A function app whose module is imported
 * already, with no staging, that returns a plain value runs synchronously and its outcome is
 * returned as it is: a worker sends it without a turn of promises (a no-op's round trip is
 * mostly such overhead). Anything else returns a Promise of the outcome.
 *
 * @param task The task.
 * @param onStart Called when the body starts (after import, decoding and stage-in): walltimes
 *   count from there.
 * @returns Value or error, or a Promise of it.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: runs inside a worker with its task context set; tests/worker_pool/ run it.
 * const out = await runTask({ id: 1, tryId: 0, ref, kind: "function", args: [1, 2], context });
 * ```
 */
export function runTask(
  task: TaskMessage,
  onStart?: () => void,
): TaskOutcome | Promise<TaskOutcome> {
  // The worker's own times: monitoring's `running` and `running_ended` (Parsl's monitor wrapper).
  const started = wallClockMs();
  const rec = functions.get(task.ref.module)?.get(task.ref.export);
  const { context } = task;
  if (rec === undefined || task.kind !== "function" || context.staging?.length) {
    return runTaskAsync(task, started, onStart);
  }
  let value: unknown;
  try {
    const args = task.args instanceof Uint8Array ? decode(task.args) as unknown[] : task.args;
    setTaskContext(context);
    onStart?.();
    value = rec.fn(...args);
  } catch (e) {
    setTaskContext(undefined);
    return failed(task, e, started);
  }
  // An async body keeps its context until it settles (it may read it after an await).
  if (isThenable(value)) return settleBody(task, value, started);
  setTaskContext(undefined);
  return { id: task.id, tryId: task.tryId, ok: true, value, started, ended: wallClockMs() };
}

async function settleBody(
  task: TaskMessage,
  body: PromiseLike<unknown>,
  started: number,
): Promise<TaskOutcome> {
  try {
    const value = await body;
    return { id: task.id, tryId: task.tryId, ok: true, value, started, ended: wallClockMs() };
  } catch (e) {
    return failed(task, e, started);
  } finally {
    setTaskContext(undefined);
  }
}

function failed(task: TaskMessage, e: unknown, started: number): TaskOutcome {
  return {
    id: task.id,
    tryId: task.tryId,
    ok: false,
    error: thrownError(e),
    started,
    ended: wallClockMs(),
  };
}

/** The whole path: importing the module, staging, bash commands, async bodies. */
async function runTaskAsync(
  task: TaskMessage,
  started: number,
  onStart?: () => void,
): Promise<TaskOutcome> {
  const { id, tryId, context } = task;
  try {
    const rec = await resolveFunction(task.ref);
    const args = task.args instanceof Uint8Array ? decode(task.args) as unknown[] : task.args;
    for (const step of context.staging ?? []) {
      if (step.direction === "in") await runStagingStep(step);
    }
    setTaskContext(context);
    onStart?.();
    let value: unknown;
    try {
      value = await rec.fn(...args);
      if (task.kind === "bash") {
        value = await runBashApp(String(value), context);
      }
    } finally {
      setTaskContext(undefined);
    }
    for (const step of context.staging ?? []) {
      if (step.direction === "out") await runStagingStep(step);
    }
    return { id, tryId, ok: true, value, started, ended: wallClockMs() };
  } catch (e) {
    return failed(task, e, started);
  }
}

async function runBashApp(command: string, ctx: TaskContextData): Promise<number> {
  const { code, timedOut } = await runBash(command, {
    stdout: ctx.stdout,
    stderr: ctx.stderr,
    walltime: ctx.walltime,
  });
  if (timedOut) throw new AppTimeout(ctx.appName, ctx.walltime!);
  if (code !== 0) throw new BashExitFailure(ctx.appName, code);
  return code;
}
