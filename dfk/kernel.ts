/**
 * The Data Flow Kernel: turns app calls into task records, waits for their dependencies, asks
 * the memoizer, hands ready tasks to executors, retries failures and resolves futures. Every
 * state change goes through {@linkcode DataFlowKernel.setState}, the one place monitoring hooks.
 * Preparing a task (`prepare_task.ts`), the table of live tasks (`_task_table.ts`), staging, joins,
 * memo keys, checkpoints and retries live in their own files; this one sequences.
 *
 * @module
 */
import { wallClockMs } from "./clock.ts";
import {
  APP_API_VERSION,
  type AppDefinition,
  type CallOptions,
  type KernelLike,
  mergeCallOptions,
} from "./app.ts";
import type { CheckpointWriter } from "./checkpoint.ts";
import type { Config } from "./config.ts";
import type { DependencyResolver } from "./dependencies.ts";
import { DependencyError, TaskCancelled, TsflowError } from "./errors.ts";
import type { Executor, TaskSink } from "./executor.ts";
import { AppFuture } from "./future.ts";
import { resolveRef } from "./function_ref.ts";
import { appsToRefs } from "./app_ref.ts";
import { joinRunningEvent, runJoin } from "./join.ts";
import type { Logger } from "./logger.ts";
import { type Memoizer, memoKey } from "./memoizer.ts";
import type { MonitoringSink } from "./monitoring_event.ts";
import { judgeFailure } from "./retries.ts";
import { isFinal, type TaskCounts, type TaskState } from "./states.ts";
import { NONE, TaskRecord } from "./task_record.ts";
import { TaskTable } from "./_task_table.ts";
import {
  dropDependencies,
  failedDependencies,
  substituteDependencies,
  watchDependencies,
} from "./dependency_wait.ts";
import { taskEvent } from "./task_event.ts";
import {
  nameStdStreams,
  openStdStreams,
  type PrepareContext,
  prepareTask,
} from "./prepare_task.ts";

/** Tasks readied one inside another before the rest go on in microtasks. */
const MAX_READY_DEPTH = 100;

/** What the kernel is built from (see `load()`). */
export interface KernelParts {
  config: Config;
  executors: Map<string, Executor>;
  resolver: DependencyResolver;
  memoizer: Memoizer;
  checkpoint?: CheckpointWriter;
  logger: Logger;
  monitoring?: MonitoringSink;
  runId: string;
  runDir: string;
}

/**
 * The running kernel. Made by `load(config)`; apps find it on `globalThis`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { load } from "../mod.ts";
 * await using dfk = await load({ retries: 1, runDir: Deno.makeTempDirSync() });
 * await dfk.waitForCurrentTasks();
 * assert.equal(dfk.counts().pending, 0);
 * ```
 */
export class DataFlowKernel {
  /**
   * App contract version (checked by apps of other tsflow copies). Internal, not public API.
   * @ignore
   */
  readonly apiVersion: number = APP_API_VERSION;
  /** The run's id. */
  readonly runId: string;
  /** The run's directory, `runinfo/NNN`. */
  readonly runDir: string;
  /** The configuration. */
  readonly config: Config;
  /**
   * The run's logger. Internal, not public API.
   * @ignore
   */
  readonly logger: Logger;
  #parts: KernelParts;
  #prepareContext: PrepareContext;
  #nextId = 0;
  #readyDepth = 0;
  #tasks = new TaskTable();
  #retries: number;
  #closing = false;
  /** Hooks run at cleanup (checkpoint timers, scaling, monitoring), in order. */
  readonly onCleanup: (() => Promise<void> | void)[] = [];

  /**
   * Creates an instance with the given options.
   * @param parts What the kernel is made of.
   */
  constructor(parts: KernelParts) {
    this.#parts = parts;
    this.config = parts.config;
    this.runId = parts.runId;
    this.runDir = parts.runDir;
    this.logger = parts.logger;
    this.#retries = parts.config.retries ?? 0;
    this.#prepareContext = { ...parts, kernel: this };
  }

  /** Tasks by state; `running` counts tasks workers reported running. */
  counts(): TaskCounts {
    return this.#tasks.counts();
  }

  /** Tasks not yet in a final state. */
  get outstanding(): number {
    return this.#tasks.size;
  }

  /** Tasks submitted to one executor and not yet returned. */
  outstandingOn(label: string): number {
    return this.#tasks.outstandingOn(label);
  }

  /**
   * The single state-transition function: counts, monitoring, logging.
   * Internal, not public API.
   * @ignore
   * @param task The task.
   * @param state Its new state.
   */
  setState(task: TaskRecord, state: TaskState): void {
    const old = task.state;
    if (old === state) return;
    this.#tasks.count(old, state);
    // A join body ends when its task starts joining.
    if (state === "joining" && old === "launched") this.#joinRunning(task, "running_ended");
    task.state = state;
    const final = isFinal(state);
    if (final) task.timeReturned = wallClockMs();
    this.#parts.monitoring?.record(taskEvent(this.runId, task));
    if (final) this.#tasks.remove(task.id);
  }

  /** Reports a worker-side `running` / `running_ended` for the progress counts. */
  noteRunning(taskId: number, running: boolean): void {
    this.#tasks.noteRunning(taskId, running);
  }

  /**
   * Submits an app call (called by apps).
   * Internal, not public API.
   * @ignore
   * @param def The app.
   * @param args Arguments (may hold futures).
   * @param call Per-call options.
   * @param executor Executor label overriding the app's choice (staging tasks).
   * @returns The task's future.
   */
  submit(
    def: AppDefinition,
    args: unknown[],
    call: CallOptions,
    executor?: string,
  ): AppFuture<unknown> {
    const merged = mergeCallOptions(def.options, call);
    const task = new TaskRecord(this.#nextId++, def, args.length ? args : NONE, merged);
    task.future = new AppFuture(task);
    this.#tasks.add(task);
    if (this.#closing) {
      this.#fail(task, new TaskCancelled(task.id), "failed");
      return task.future;
    }
    try {
      prepareTask(this.#prepareContext, task, executor);
      this.#watch(task);
    } catch (e) {
      this.#fail(task, e as Error, "failed");
      return task.future;
    }
    this.setState(task, "pending");
    if (task.waiting === 0) this.#ready(task);
    return task.future;
  }

  /** Readies a task once its dependencies are done. */
  #watch(task: TaskRecord): void {
    watchDependencies(task, () => {
      if (task.state !== "pending") return;
      // A chain settling at once (a failure passing down, memo hits) readies each task inside the
      // previous one's settle; past a depth, go on in a microtask so the stack stays bounded.
      if (this.#readyDepth >= MAX_READY_DEPTH) return queueMicrotask(() => this.#ready(task));
      this.#readyDepth++;
      try {
        this.#ready(task);
      } finally {
        this.#readyDepth--;
      }
    });
  }

  #ready(task: TaskRecord): void {
    const failed = failedDependencies(task);
    if (failed) {
      const ids = failed.map((f) => f.taskId).join(", ");
      this.logger.info(`Task ${task.id} dep_fail: dependencies ${ids} failed`);
      this.#fail(task, new DependencyError(failed, task.id), "dep_fail");
      return;
    }
    substituteDependencies(task, this.#parts.resolver);
    // A join app runs here and needs its reference only for its memo key.
    const needsRef = !task.def.ref && (task.def.kind !== "join" || task.memoize);
    if (!needsRef && !task.hasAppArgs) return this.#memoOrLaunch(task);
    const inputs = task.call.inputs;
    Promise.all([
      needsRef ? resolveRef(task.def) : undefined,
      task.hasAppArgs ? appsToRefs(task.resolvedArgs!) : undefined,
      task.hasAppArgs && inputs?.length ? appsToRefs(inputs) : undefined,
    ]).then(([, args, refInputs]) => {
      if (args) task.resolvedArgs = args;
      if (refInputs) task.call.inputs = refInputs;
      this.#memoOrLaunch(task);
    }, (e) => this.#fail(task, e, "failed"));
  }

  #memoOrLaunch(task: TaskRecord): void {
    if (task.def.kind === "bash" && !task.stdTargets) {
      try {
        openStdStreams(task, this.runDir, this.config);
      } catch (e) {
        this.#fail(task, e as Error, "failed");
        return;
      }
    } else if (task.def.kind === "function") nameStdStreams(task, this.runDir, this.config);
    if (task.memoize && task.def.ref) {
      try {
        // Automatic std stream names differ per task: like Parsl, the memo key ignores them.
        const call = task.autoStd ? { ...task.call } : task.call;
        for (const s of task.autoStd ?? []) call[s] = undefined;
        task.hashsum = memoKey(task.def, task.def.ref, task.resolvedArgs!, call);
      } catch (e) {
        this.#fail(task, e as Error, "failed");
        return;
      }
      const hit = this.#parts.memoizer.lookup(task.hashsum);
      if (hit?.from === "checkpoint") {
        this.#afterExec(task, hit.value, "memo_done");
        return;
      }
      if (hit?.from === "run") {
        hit.future.onDone((f) => {
          const o = f.outcome!;
          if (o.ok) this.#afterExec(task, o.value, "memo_done");
          else this.#fail(task, o.error, "failed");
        });
        return;
      }
      this.#parts.memoizer.remember(task.hashsum, task.future);
    }
    this.#launch(task);
  }

  #launch(task: TaskRecord): void {
    if (this.#closing) return;
    this.setState(task, "launched");
    if (task.def.kind === "join") {
      // The body runs here: its try's running time is the body's, as Parsl's internal
      // executor reports it.
      this.#joinRunning(task, "running");
      runJoin(this, task).then((v) => {
        if (task.state === "launched") this.#joinRunning(task, "running_ended");
        this.#afterExec(task, v);
      }, (e) => {
        if (task.state === "launched") this.#joinRunning(task, "running_ended");
        this.#afterError(task, e);
      });
      return;
    }
    const ex = task.executorRef!;
    let p: Promise<unknown>;
    try {
      // Through `launch`, a task costs no Promise and no callbacks of its own.
      if (ex.launch) return ex.launch(task.toExecutorTask(), this.#sink, task);
      p = ex.submit(task.toExecutorTask());
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then((v) => this.#afterExec(task, v), (e) => this.#afterError(task, e));
  }

  /** Where executors' `launch` reports each try's end (the token is the task's record). */
  #sink: TaskSink = {
    settled: (token, ok, value) => {
      if (ok) this.#afterExec(token as TaskRecord, value);
      else this.#afterError(token as TaskRecord, value);
    },
    task: (token) => {
      const task = token as TaskRecord;
      return task.state === "launched" ? task.toExecutorTask() : undefined;
    },
  };

  #joinRunning(task: TaskRecord, state: "running" | "running_ended"): void {
    this.#parts.monitoring?.record(joinRunningEvent(this.runId, task, state));
  }

  #afterExec(
    task: TaskRecord,
    value: unknown,
    state: "exec_done" | "memo_done" = "exec_done",
  ): void {
    if (isFinal(task.state)) return;
    task.appDone?.setResult(value);
    if (!task.stageOuts?.length) return this.#succeed(task, value, state);
    Promise.all(task.stageOuts).then(
      () => this.#succeed(task, value, state),
      (e) => this.#fail(task, asError(e), "failed"),
    );
  }

  #afterError(task: TaskRecord, raw: unknown): void {
    if (isFinal(task.state) || this.#closing) return;
    const error = asError(raw);
    const verdict = judgeFailure(task, error, this.#retries, this.config.retryHandler);
    if (verdict.note) this.logger.error(`Task ${task.id}: ${verdict.note}`);
    if (verdict.retry) {
      this.logger.info(`Task ${task.id} try ${task.tryId} failed, retrying: ${error.message}`);
      this.setState(task, "fail_retryable");
      task.tryId++;
      // Parsl records the new try as pending before it launches.
      this.setState(task, "pending");
      this.#launch(task);
      return;
    }
    this.logger.info(
      `Task ${task.id} failed after ${task.tryId + 1} tries: ${verdict.error.message}`,
    );
    this.#fail(task, verdict.error, "failed");
  }

  #succeed(task: TaskRecord, value: unknown, state: "exec_done" | "memo_done"): void {
    if (isFinal(task.state)) return;
    if (state === "exec_done" && task.memoize && task.hashsum) {
      this.#parts.checkpoint?.add(task.hashsum, value);
      if (this.config.checkpointMode === "task_exit") this.#parts.checkpoint?.flushSoon();
    }
    this.setState(task, state);
    task.resolvedArgs = undefined;
    task.future.setResult(value);
    for (const df of task.outputs) df.setResult(df.file);
    for (const df of task.stdOutputs ?? []) df.setResult(df.file);
  }

  #fail(task: TaskRecord, error: Error, state: "failed" | "dep_fail"): void {
    if (isFinal(task.state)) return;
    task.appDone?.setException(error);
    this.setState(task, state);
    task.resolvedArgs = undefined;
    task.args = NONE;
    dropDependencies(task);
    task.future.setException(error);
    for (const df of task.outputs) df.setException(error);
    for (const df of task.stdOutputs ?? []) df.setException(error);
  }

  /**
   * Writes results completed since the last checkpoint (Parsl's `dfk.checkpoint()`).
   * @returns The checkpoint directory, or undefined when checkpointing is off.
   */
  checkpoint(): string | undefined {
    const ck = this.#parts.checkpoint;
    if (!ck) return undefined;
    ck.flush();
    return ck.dir;
  }

  /** Resolves when no task is outstanding. */
  waitForCurrentTasks(): Promise<void> {
    return this.#tasks.whenEmpty();
  }

  /**
   * Shuts down: cancels tasks still outstanding (their futures fail with `TaskCancelled`),
   * stops executors (bounded), writes checkpoints and closes monitoring. Safe to call twice.
   * @returns Ids of the tasks cancelled.
   */
  async cleanup(): Promise<number[]> {
    if (this.#closing) return [];
    this.#closing = true;
    const cancelled: number[] = [];
    for (const t of [...this.#tasks.values()]) {
      if (isFinal(t.state)) continue; // failed meanwhile, as a dependent of a cancelled task
      cancelled.push(t.id);
      this.#fail(t, new TaskCancelled(t.id), "failed");
    }
    if (cancelled.length) {
      this.logger.warn(
        `Cancelled ${cancelled.length} unfinished tasks at cleanup`,
        cancelled.slice(0, 100),
      );
    }
    // Parsl's end-of-run summary: how many tasks ended in each state.
    const states = Object.entries(this.#tasks.counts()).filter(([, n]) => n > 0);
    this.logger.info(
      "Summary of tasks in DFK: " + (states.map(([s, n]) => `${s}: ${n}`).join(", ") || "none"),
    );
    for (const hook of this.onCleanup) {
      try {
        await hook();
      } catch (e) {
        this.logger.error(`Cleanup step failed: ${(e as Error).message}`);
      }
    }
    return cancelled;
  }

  /** `await using dfk = await load(config)`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.cleanup();
  }
}

function asError(e: unknown): Error {
  if (e instanceof Error) return e;
  return new TsflowError(`Non-error value thrown: ${String(e)}`);
}

// Apps reach the kernel through KERNEL_KEY as a KernelLike (app.ts); checked here rather than with
// `implements`, so the internal KernelLike stays out of the public API.
const _kernelIsKernelLike = (k: DataFlowKernel): KernelLike => k;
