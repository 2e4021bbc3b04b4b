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

/**
 * A task could not run because tasks it depends on failed.
 *
 * @example
 * ```ts
 * import { DependencyError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new DependencyError([3, 4], 5);
 * assert(e.dependentTaskIds.length === 2);
 * ```
 */
export class DependencyError extends TsflowError {
  /** Ids of the failed tasks this task depended on. */
  dependentTaskIds: number[];
  /** Id of the task that could not run. */
  taskId: number;
  /**
   * Creates the error.
   * @param dependentTaskIds Failed dependencies (task ids; -1 for a non-task future).
   * @param taskId The task that could not run.
   * @param options Standard error options; `cause` is the first dependency's error.
   */
  constructor(dependentTaskIds: number[], taskId: number, options?: ErrorOptions) {
    super(
      `Task ${taskId} not run: dependencies failed (tasks ${dependentTaskIds.join(", ")})`,
      options,
    );
    this.dependentTaskIds = dependentTaskIds;
    this.taskId = taskId;
  }
}

/**
 * A join app's inner task (or tasks) failed.
 *
 * @example
 * ```ts
 * import { JoinError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert(new JoinError([7], 2).dependentTaskIds[0] === 7);
 * ```
 */
export class JoinError extends TsflowError {
  /** Ids of the inner tasks that failed. */
  dependentTaskIds: number[];
  /** The join task's id. */
  taskId: number;
  /**
   * Creates the error.
   * @param dependentTaskIds Failed inner tasks.
   * @param taskId The join task.
   * @param options Standard error options; `cause` is the first inner error.
   */
  constructor(dependentTaskIds: number[], taskId: number, options?: ErrorOptions) {
    super(
      `Join task ${taskId} failed: inner tasks failed (${dependentTaskIds.join(", ")})`,
      options,
    );
    this.dependentTaskIds = dependentTaskIds;
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
