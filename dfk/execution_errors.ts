/**
 * Errors of execution infrastructure: lost pools and workers, executor failures, cancelled
 * tasks, staging failures.
 *
 * @module
 */
import { TsflowError } from "./tsflow_error.ts";

/**
 * A worker pool (manager) stopped heartbeating or dropped its connection while running tasks.
 *
 * @example
 * ```ts
 * import { ManagerLost } from "./execution_errors.ts";
 * import assert from "node:assert/strict";
 * assert(new ManagerLost("m1", "node1").managerId === "m1");
 * ```
 */
export class ManagerLost extends TsflowError {
  /** The lost manager's id. */
  managerId: string;
  /** Its host. */
  hostname: string;
  /**
   * Creates the error.
   * @param managerId Manager id.
   * @param hostname Host it ran on.
   * @param why Extra detail.
   */
  constructor(managerId: string, hostname: string, why = "stopped heartbeating") {
    super(`Worker pool ${managerId} on ${hostname} was lost (${why}); its tasks failed`);
    this.managerId = managerId;
    this.hostname = hostname;
  }
}

/**
 * A worker process died while running a task.
 *
 * @example
 * ```ts
 * import { WorkerLost } from "./execution_errors.ts";
 * import assert from "node:assert/strict";
 * assert(new WorkerLost(3, "node1").workerId === 3);
 * ```
 */
export class WorkerLost extends TsflowError {
  /** The worker's id within its pool. */
  workerId: number;
  /** Its host. */
  hostname: string;
  /**
   * Creates the error.
   * @param workerId Worker id.
   * @param hostname Host.
   * @param why Extra detail (exit code or signal).
   */
  constructor(workerId: number, hostname: string, why = "exited") {
    super(`Worker ${workerId} on ${hostname} died while running the task (${why})`);
    this.workerId = workerId;
    this.hostname = hostname;
  }
}

/**
 * An executor could not run a task for a reason of its own (shut down, interchange gone).
 *
 * @example
 * ```ts
 * import { ExecutorError } from "./execution_errors.ts";
 * import assert from "node:assert/strict";
 * assert(new ExecutorError("htex", "gone").executor === "htex");
 * ```
 */
export class ExecutorError extends TsflowError {
  /** Label of the executor. */
  executor: string;
  /**
   * Creates the error.
   * @param executor Executor label.
   * @param reason What happened.
   */
  constructor(executor: string, reason: string) {
    super(`Executor "${executor}": ${reason}`);
    this.executor = executor;
  }
}

/**
 * A task was cancelled because the kernel shut down before it finished.
 *
 * @example
 * ```ts
 * import { TaskCancelled } from "./execution_errors.ts";
 * import assert from "node:assert/strict";
 * assert(new TaskCancelled(1).taskId === 1);
 * ```
 */
export class TaskCancelled extends TsflowError {
  /** The cancelled task. */
  taskId: number;
  /**
   * Creates the error.
   * @param taskId The cancelled task's id.
   */
  constructor(taskId: number) {
    super(`Task ${taskId} was cancelled: the workflow shut down before it finished`);
    this.taskId = taskId;
  }
}

/**
 * Staging a file in or out failed.
 *
 * @example
 * ```ts
 * import { StagingError } from "./execution_errors.ts";
 * import assert from "node:assert/strict";
 * assert(new StagingError("http://x/y", "404").url === "http://x/y");
 * ```
 */
export class StagingError extends TsflowError {
  /** The file's URL. */
  url: string;
  /**
   * Creates the error.
   * @param url File URL.
   * @param reason What failed.
   */
  constructor(url: string, reason: string) {
    super(`Staging of ${url} failed: ${reason}`);
    this.url = url;
  }
}

/**
 * A bash app's `stdout`/`stderr` spec is malformed, or its file cannot be opened (Parsl's
 * `BadStdStreamFile`). `path` names the file (or the spec, when it is malformed).
 *
 * @example
 * ```ts
 * import { BadStdStreamFile } from "./execution_errors.ts";
 * import assert from "node:assert/strict";
 * const e = new BadStdStreamFile("/bad/dir/t.out", "permission denied");
 * assert(e.path === "/bad/dir/t.out" && e.message.includes("/bad/dir/t.out"));
 * ```
 */
export class BadStdStreamFile extends TsflowError {
  /** The file that cannot be opened, or the malformed spec as text. */
  path: string;
  /**
   * Creates the error.
   * @param path The file or spec.
   * @param reason What is wrong, and the fix.
   * @param options Standard error options (`cause`).
   */
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`Bad std stream file ${path}: ${reason}`, options);
    this.path = path;
  }
}

/**
 * A task asks for resources its executor cannot honour (Parsl's `InvalidResourceSpecification`).
 *
 * @example
 * ```ts
 * import { InvalidResourceSpecification } from "./execution_errors.ts";
 * import assert from "node:assert/strict";
 * const e = new InvalidResourceSpecification(["cores"], "htex accepts only: priority");
 * assert(e.invalidKeys[0] === "cores" && e.message.includes("cores"));
 * ```
 */
export class InvalidResourceSpecification extends TsflowError {
  /** The keys the executor does not accept. */
  invalidKeys: string[];
  /**
   * Creates the error.
   * @param invalidKeys The keys the executor does not accept.
   * @param reason What the executor accepts.
   */
  constructor(invalidKeys: string[], reason: string) {
    super(`Invalid resource specification keys ${invalidKeys.join(", ")}: ${reason}`);
    this.invalidKeys = invalidKeys;
  }
}
