/**
 * Waiting for a task's dependencies: subscribes to each future found in its arguments and
 * `inputs`, calls back once all have settled, then reports failed ones or puts values in place.
 * tsflow futures are watched without Promises; any other thenable through `then`.
 *
 * @module
 */
import { isTsflowFuture } from "./brands.ts";
import type { DependencyResolver } from "./dependencies.ts";
import { type DependentFailure, TsflowError } from "./errors.ts";
import type { Future } from "./future.ts";
import { type DepOutcome, NONE, ownList, type TaskRecord } from "./task_record.ts";

/**
 * Collects the futures a task waits for into `task.deps`: in its arguments and in each item of
 * its `inputs`, both through the resolver (Parsl's `_gather_all_deps`).
 *
 * @param task The task, before launch.
 * @param resolver Where to look for futures in arguments.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a step of the kernel on a task record it is running; tests/dfk/ drive it through load().
 * gatherDependencies(task, SHALLOW_DEPENDENCY_RESOLVER);
 * ```
 */
export function gatherDependencies(task: TaskRecord, resolver: DependencyResolver): void {
  // Most tasks have none: found into a reused array, so they keep the shared empty list.
  const own = task.deps !== NONE;
  const found = own ? task.deps : scratch;
  scratch.length = 0;
  for (const a of task.args) resolver.gather(a, found);
  const inputs = task.call.inputs;
  if (inputs) { for (const v of inputs) resolver.gather(v, found); }
  if (!own && scratch.length) task.deps = scratch.slice();
  scratch.length = 0;
}

const scratch: PromiseLike<unknown>[] = [];

/**
 * Subscribes to every dependency; `onReady` runs once the last one settles.
 *
 * @param task The task, with `deps` gathered.
 * @param onReady Called once, when every dependency has settled.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a step of the kernel on a task record it is running; tests/dfk/ drive it through load().
 * watchDependencies(task, () => launch(task));
 * ```
 */
export function watchDependencies(task: TaskRecord, onReady: () => void): void {
  if (task.deps.length === 0) return; // `waiting` stays at its prototype's 0
  task.waiting = task.deps.length;
  const done = () => {
    if (--task.waiting === 0) onReady();
  };
  for (const d of task.deps) {
    const depId = (d as { taskId?: number }).taskId;
    if (typeof depId === "number") (task.dependsOn = ownList(task.dependsOn)).push(depId);
    if (isTsflowFuture(d)) {
      (d as Future<unknown>).onDone(done);
      continue;
    }
    const outcomes = task.depOutcomes ??= new Map();
    d.then(
      (value) => {
        outcomes.set(d, { ok: true, value });
        done();
      },
      (error) => {
        const e = error instanceof Error
          ? error
          : new TsflowError(`Rejected with ${String(error)}`);
        outcomes.set(d, { ok: false, error: e, taskId: -1 });
        done();
      },
    );
  }
}

function outcomeOf(task: TaskRecord, d: PromiseLike<unknown>): DepOutcome {
  if (isTsflowFuture(d)) {
    const o = (d as Future<unknown>).outcome!;
    return o.ok
      ? o
      : { ok: false, error: o.error, taskId: (d as { taskId?: number }).taskId ?? -1 };
  }
  return task.depOutcomes!.get(d)!;
}

/**
 * The failed dependencies of a task whose dependencies have all settled.
 *
 * @param task The task.
 * @returns Each failure with its task id (-1 for a non-task future), in argument order, or
 * undefined when none failed.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a step of the kernel on a task record it is running; tests/dfk/ drive it through load().
 * const failed = failedDependencies(task);
 * if (failed) fail(task, new DependencyError(failed, task.id));
 * ```
 */
export function failedDependencies(task: TaskRecord): DependentFailure[] | undefined {
  let failed: DependentFailure[] | undefined;
  for (const d of task.deps) {
    const o = outcomeOf(task, d);
    if (!o.ok) (failed ??= []).push({ error: o.error, taskId: o.taskId });
  }
  return failed;
}

/**
 * Puts dependency values in place of futures (in `resolvedArgs` and in `inputs`, each item as an
 * argument) and drops what
 * the task no longer needs.
 *
 * @param task The task, every dependency succeeded.
 * @param resolver The resolver that found the futures.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a step of the kernel on a task record it is running; tests/dfk/ drive it through load().
 * substituteDependencies(task, resolver);
 * ```
 */
export function substituteDependencies(task: TaskRecord, resolver: DependencyResolver): void {
  const valueOf = (d: PromiseLike<unknown>) => (outcomeOf(task, d) as { value: unknown }).value;
  task.resolvedArgs = task.deps.length
    ? task.args.map((a) => resolver.unwrap(a, valueOf))
    : task.args;
  // `call` is the task's own copy of the options: the caller's inputs array stays as it was.
  if (task.deps.length && task.call.inputs?.length) {
    task.call.inputs = task.call.inputs.map((v) => resolver.unwrap(v, valueOf));
  }
  task.args = NONE;
  dropDependencies(task);
}

/**
 * Lets go of a task's dependencies once it has its arguments or has failed: a finished chain
 * must not keep every earlier task alive through its futures. Fields still at the record's
 * shared defaults are left alone (no own slot per task).
 *
 * @param task The task.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs a kernel's task record (tests/dfk/ make them).
 * dropDependencies(task);
 * ```
 */
export function dropDependencies(task: TaskRecord): void {
  if (task.deps !== NONE) task.deps = NONE;
  if (task.depOutcomes) task.depOutcomes = undefined;
}
