/**
 * tsflow's error hierarchy: one root, {@linkcode TsflowError}, and a subclass for each failure a
 * caller may want to tell apart. Every class carries the data a caller needs (exit codes, task ids,
 * file names) as plain fields, so errors survive the trip over the wire and back.
 *
 * `instanceof` works across two copies of tsflow in one process (a workflow importing tsflow from a
 * URL while the binary runs its own copy): classes are recognised by a `Symbol.for` brand and name.
 *
 * @module
 */

import { TsflowError } from "./tsflow_error.ts";

export { TsflowError } from "./tsflow_error.ts";
export * from "./execution_errors.ts";

/**
 * An app raised an error of a class that could not be rebuilt on this side (not exported from an
 * importable module). `remoteName` holds the original class name; `stack` is the worker's stack.
 *
 * @example
 * ```ts
 * import { RemoteError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new RemoteError("KeyError", "no such key");
 * assert(e.remoteName === "KeyError");
 * ```
 */
export class RemoteError extends TsflowError {
  /** Name of the error class as thrown on the worker. */
  remoteName: string;
  /**
   * Creates the error.
   * @param remoteName The original error class name.
   * @param message The original message.
   * @param options Standard error options (`cause`).
   */
  constructor(remoteName: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.remoteName = remoteName;
  }
}

/**
 * Parsl's name for an error raised inside an app. In tsflow this is {@linkcode RemoteError}.
 *
 * @example
 * ```ts
 * import { AppException, RemoteError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert(AppException === RemoteError);
 * ```
 */
export const AppException: typeof RemoteError = RemoteError;

/**
 * A bash app's command exited with a non-zero code.
 *
 * @example
 * ```ts
 * import { BashExitFailure } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new BashExitFailure("mytask", 3);
 * assert(e.exitCode === 3);
 * ```
 */
export class BashExitFailure extends TsflowError {
  /** The command's exit code. */
  exitCode: number;
  /** Name of the app whose command failed. */
  appName: string;
  /**
   * Creates the error.
   * @param appName Name of the bash app.
   * @param exitCode Exit code of `/bin/bash -c`.
   */
  constructor(appName: string, exitCode: number) {
    super(`Bash app "${appName}" exited with code ${exitCode}: see its stderr file for details`);
    this.appName = appName;
    this.exitCode = exitCode;
  }
}

/**
 * A task ran longer than its `walltime` and was stopped.
 *
 * @example
 * ```ts
 * import { AppTimeout } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert(new AppTimeout("slow", 1).walltime === 1);
 * ```
 */
export class AppTimeout extends TsflowError {
  /** The walltime that was exceeded, in seconds. */
  walltime: number;
  /**
   * Creates the error.
   * @param appName Name of the app.
   * @param walltime Walltime in seconds.
   */
  constructor(appName: string, walltime: number) {
    super(`App "${appName}" exceeded its walltime of ${walltime} s and was stopped`);
    this.walltime = walltime;
  }
}

/** One failure a {@linkcode DependencyError} or {@linkcode JoinError} collects. */
export interface DependentFailure {
  /** The failure. */
  error: Error;
  /** The task that failed, or -1 for a future that is not a task's. */
  taskId: number;
}

/** Both error kinds that pass on other tasks' failures (Parsl's `PropagatedException`). */
function isPropagated(e: unknown): e is DependencyError | JoinError {
  return e instanceof DependencyError || e instanceof JoinError;
}

/** The representative path of a propagated error: the tasks from it down to its root failure. */
interface CausePath {
  /** The root failure. */
  root: Error;
  /** Task names, nearest first; long paths keep their start and their root end. */
  names: string[];
  /** Names left out of the middle of a long path. */
  skipped: number;
}

/** Paths of the propagated errors made here, so a chain of N costs N steps, not N². */
const paths = new WeakMap<Error, CausePath>();
const SHOWN = 6;

/**
 * Follows the first collected failure down to one that is not itself propagated (Parsl's
 * `_find_any_root_cause`), naming the tasks on the way; "(+ others)" marks a step that had more.
 */
function causePath(failures: DependentFailure[]): CausePath {
  const step = (list: DependentFailure[]) => {
    const name = list[0].taskId >= 0 ? `task ${list[0].taskId}` : "a future";
    return list.length > 1 ? `${name} (+ others)` : name;
  };
  const first = failures[0].error;
  const below = isPropagated(first) ? paths.get(first) : undefined;
  if (below) {
    const names = [step(failures), ...below.names];
    let skipped = below.skipped;
    if (names.length > SHOWN) {
      names.splice(names.length - 2, 1);
      skipped++;
    }
    return { root: below.root, names, skipped };
  }
  // A propagated error from elsewhere (another copy of this module): walk it.
  const names: string[] = [];
  let list = failures;
  let root = first;
  while (list.length > 0) {
    names.push(step(list));
    root = list[0].error;
    if (!isPropagated(root)) break;
    list = root.dependentExceptions;
  }
  return { root, names, skipped: 0 };
}

/**
 * Builds the message and the root cause shared by both error kinds, and remembers the path.
 * @returns The message text, `cause`, and the path to record once the error exists.
 */
function propagated(
  what: string,
  failures: DependentFailure[],
): { message: string; cause?: Error; path?: CausePath } {
  if (failures.length === 0) return { message: what };
  const path = causePath(failures);
  const { root, names, skipped } = path;
  const shown = skipped === 0
    ? names
    : [...names.slice(0, -1), `… (${skipped} more)`, names[names.length - 1]];
  return {
    message: `${what}; the representative cause is via ${
      shown.join(" <- ")
    }: ${root.name}: ${root.message}`,
    cause: root,
    path,
  };
}

/**
 * A task could not run because tasks it depends on failed. It collects every failed dependency
 * with its task id; its `cause` is the root failure (the first dependency's, followed through
 * dependency and join errors), as Parsl's `__cause__`.
 *
 * @example
 * ```ts
 * import { DependencyError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const root = new RangeError("bad input");
 * const mid = new DependencyError([{ error: root, taskId: 1 }], 2);
 * const e = new DependencyError([{ error: mid, taskId: 2 }, { error: new Error("x"), taskId: 3 }], 4);
 * assert(e.cause === root && e.dependentTaskIds.join() === "2,3");
 * assert(e.message.includes("via task 2 (+ others) <- task 1"));
 * ```
 */
export class DependencyError extends TsflowError {
  /** Every failed dependency, with its task id (Parsl's `dependent_exceptions_tids`). */
  dependentExceptions: DependentFailure[];
  /** Ids of the failed tasks this task depended on (-1 for a future that is not a task's). */
  dependentTaskIds: number[];
  /** Id of the task that could not run. */
  taskId: number;
  /**
   * Creates the error.
   * @param dependentExceptions The failed dependencies.
   * @param taskId The task that could not run.
   */
  constructor(dependentExceptions: DependentFailure[], taskId: number) {
    const { message, cause, path } = propagated(
      `Task ${taskId} not run: dependency failure`,
      dependentExceptions,
    );
    super(message, cause ? { cause } : undefined);
    if (path) paths.set(this, path);
    this.dependentExceptions = dependentExceptions;
    this.dependentTaskIds = dependentExceptions.map((d) => d.taskId);
    this.taskId = taskId;
  }
}

/**
 * A join app's inner task (or tasks) failed. It collects every inner failure with its task id;
 * its `cause` is the root failure, as Parsl's `__cause__`.
 *
 * @example
 * ```ts
 * import { JoinError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new JoinError([{ error: new Error("A"), taskId: 7 }, { error: new Error("B"), taskId: 8 }], 2);
 * assert(e.dependentExceptions.map((d) => d.error.message).join() === "A,B");
 * assert(e.dependentTaskIds.join() === "7,8");
 * ```
 */
export class JoinError extends TsflowError {
  /** Every failed inner task, with its task id (Parsl's `dependent_exceptions_tids`). */
  dependentExceptions: DependentFailure[];
  /** Ids of the inner tasks that failed. */
  dependentTaskIds: number[];
  /** The join task's id. */
  taskId: number;
  /**
   * Creates the error.
   * @param dependentExceptions The failed inner tasks.
   * @param taskId The join task.
   */
  constructor(dependentExceptions: DependentFailure[], taskId: number) {
    const { message, cause, path } = propagated(
      `Join task ${taskId} failed: join failure`,
      dependentExceptions,
    );
    super(message, cause ? { cause } : undefined);
    if (path) paths.set(this, path);
    this.dependentExceptions = dependentExceptions;
    this.dependentTaskIds = dependentExceptions.map((d) => d.taskId);
    this.taskId = taskId;
  }
}

/**
 * A value could not be serialized (or deserialized) for sending to a worker.
 *
 * @example
 * ```ts
 * import { SerializationError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new SerializationError("args[1].cb", "a function that is not an app");
 * assert(e.path === "args[1].cb");
 * ```
 */
export class SerializationError extends TsflowError {
  /** Where in the arguments the value sits, e.g. `args[0].items[2]`. */
  path: string;
  /**
   * Creates the error.
   * @param path Location of the offending value.
   * @param what Description of the value and the fix.
   */
  constructor(path: string, what: string) {
    super(`Cannot serialize ${path}: ${what}`);
    this.path = path;
  }
}

/**
 * A checkpoint file is corrupt or unreadable.
 *
 * @example
 * ```ts
 * import { BadCheckpoint } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert(new BadCheckpoint("/x.ckpt", "bad magic").file === "/x.ckpt");
 * ```
 */
export class BadCheckpoint extends TsflowError {
  /** The offending file. */
  file: string;
  /**
   * Creates the error.
   * @param file Path of the checkpoint file.
   * @param reason What is wrong with it.
   */
  constructor(file: string, reason: string) {
    super(`Bad checkpoint file ${file}: ${reason}`);
    this.file = file;
  }
}

/**
 * A configuration is invalid: unknown key or type, wrong value.
 *
 * @example
 * ```ts
 * import { ConfigError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert(new ConfigError("x").name === "ConfigError");
 * ```
 */
export class ConfigError extends TsflowError {}

/**
 * An argument has no memoization rule, so no cache key can be made for it.
 *
 * @example
 * ```ts
 * import { MemoKeyError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert(new MemoKeyError("args[0]", "Foo").path === "args[0]");
 * ```
 */
export class MemoKeyError extends TsflowError {
  /** Location of the value. */
  path: string;
  /**
   * Creates the error.
   * @param path Location of the value in the arguments.
   * @param typeName Its class name.
   */
  constructor(path: string, typeName: string) {
    super(
      `Cannot make a cache key for ${path} of type ${typeName}: register one with ` +
        `idForMemo.register(${typeName}, (v) => ...) or list the argument in ignoreForCache`,
    );
    this.path = path;
  }
}

/**
 * An app cannot be referred to by module URL and export name, so workers could not load it.
 *
 * @example
 * ```ts
 * import { UnresolvableApp } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert(new UnresolvableApp("x").name === "UnresolvableApp");
 * ```
 */
export class UnresolvableApp extends TsflowError {}
