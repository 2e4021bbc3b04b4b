/**
 * The kernel's record of one task (Parsl's `TaskRecord`). Released once the task's future is
 * resolved and its monitoring rows are written, so memory stays flat over millions of tasks.
 *
 * @module
 */
import { wallClockMs } from "./clock.ts";
import type { AppDefinition, CallOptions } from "./app.ts";
import type { Executor, ExecutorTask, TaskKind } from "./executor.ts";
import type { AppFuture, DataFuture, Future, TaskView } from "./future.ts";
import type { TaskState } from "./states.ts";
import type { StdTarget } from "./std_streams.ts";
import type { InTaskStaging, ResourceSpecification, TaskContextData } from "./task_context.ts";

/**
 * The empty list every task starts with: frozen, shared, and replaced by the task's own array
 * when something is added ({@linkcode ownList}).
 */
export const NONE: never[] = Object.freeze([]) as unknown as never[];

/**
 * A record's list to add to: the list itself, or a new array in place of the shared empty one.
 *
 * @param list The list as the record holds it.
 * @returns An array that may be pushed to (assign it back when it is new).
 *
 * @example
 * ```ts
 * import { NONE, ownList } from "./task_record.ts";
 * import assert from "node:assert/strict";
 * const mine = ownList<number>(NONE);
 * mine.push(1);
 * assert(NONE.length === 0 && ownList(mine) === mine);
 * ```
 */
export function ownList<T>(list: T[]): T[] {
  return list === (NONE as T[]) ? [] : list;
}

/** The resources of a task that asks for none. */
const NO_RESOURCES: ResourceSpecification = Object.freeze({});

/** Outcome of one dependency. */
export type DepOutcome = { ok: true; value: unknown } | { ok: false; error: Error; taskId: number };

/**
 * One task.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: made by the kernel for each call, from an app's internal definition; tests/dfk/ cover it.
 * const rec = new TaskRecord(1, def, args, {});
 * ```
 */
export class TaskRecord implements TaskView {
  // A million tasks may be in flight at once: fields most tasks never set are declared only
  // (absent until set), those most tasks leave at their starting value (a first try, no
  // dependencies, no cache, no retries, no joins) read it from the prototype (below), and empty
  // lists are one shared frozen array until a task adds to them.
  /** Task id. */
  readonly id: number;
  /** The app. */
  readonly def: AppDefinition;
  /** Arguments as given (futures included), until launch. */
  args: unknown[];
  /** Per-call options merged with the app's defaults. */
  call: CallOptions;
  /** State. */
  state: TaskState = "unsched";
  /** Try number (from 0). */
  declare tryId: number;
  /** Failures so far. */
  declare failCount: number;
  /** Accumulated failure cost. */
  declare failCost: number;
  /** Errors of failed tries. */
  declare failHistory: string[];
  /** Ids of tasks this one waits for. */
  declare dependsOn: number[];
  /** Executor label. */
  executor = "";
  /** The executor object. */
  executorRef?: Executor;
  /** Whether memoized. */
  declare memoize: boolean;
  /** Memo key. */
  declare hashsum?: string;
  /** When submitted (ms since epoch). */
  timeInvoked: number = wallClockMs();
  /** When finished. */
  declare timeReturned?: number;
  /** The future handed to the caller. */
  future!: AppFuture<unknown>;
  /** Output file futures. */
  declare outputs: DataFuture[];
  /** Futures of std stream Files, done when the task is (and they are staged out). */
  declare stdOutputs?: DataFuture[];
  /** Dependencies still outstanding. */
  declare waiting: number;
  /** Outcomes of dependencies that are not tsflow futures. */
  declare depOutcomes?: Map<PromiseLike<unknown>, DepOutcome>;
  /** Futures this task waits for. */
  declare deps: PromiseLike<unknown>[];
  /** In-task staging steps. */
  declare staging?: InTaskStaging[];
  /** Separate stage-out tasks, waited for before the task completes. */
  declare stageOuts?: PromiseLike<unknown>[];
  /** Settles when the app body is done; separate stage-out tasks depend on it. */
  declare appDone?: Future<unknown>;
  /** Ids of tasks a join app waits for. */
  declare joins: number[];
  /** Whether the arguments hold apps, sent as references. */
  declare hasAppArgs: boolean;
  /** Resolved stdout/stderr targets of a bash task (see `std_streams.ts`). */
  declare stdTargets?: { stdout?: StdTarget; stderr?: StdTarget };
  /** Streams named by AUTO_LOGNAME: left out of the memo key. */
  declare autoStd?: ("stdout" | "stderr")[];
  /** Arguments after dependency substitution (kept for retries). */
  resolvedArgs?: unknown[];

  /**
   * Creates the record of a submitted task.
   * @param id Task id.
   * @param def The app.
   * @param args Arguments.
   * @param call Per-call options.
   */
  constructor(id: number, def: AppDefinition, args: unknown[], call: CallOptions) {
    this.id = id;
    this.def = def;
    this.args = args;
    this.call = call;
  }

  /** The try to hand to the executor: reference, arguments and the context the body reads. */
  toExecutorTask(): ExecutorTask {
    const { call } = this;
    const context: TaskContextData = {
      appName: this.appName,
      taskId: this.id,
      tryId: this.tryId,
      inputs: call.inputs ?? NONE,
      outputs: call.outputs ?? NONE,
      resourceSpecification: call.resourceSpecification ?? NO_RESOURCES,
    };
    // Optional fields only when set: a worker reads an absent one as unset, and each would
    // cost the task's message a few bytes (and its encoding some time).
    const std = this.stdTargets;
    if (std?.stdout !== undefined) context.stdout = std.stdout;
    if (std?.stderr !== undefined) context.stderr = std.stderr;
    if (call.walltime !== undefined) context.walltime = call.walltime;
    if (this.staging !== undefined) context.staging = this.staging;
    return {
      id: this.id,
      tryId: this.tryId,
      ref: this.def.ref!,
      kind: this.def.kind as TaskKind,
      args: this.resolvedArgs!,
      context,
    };
  }

  /** The app's name. */
  get appName(): string {
    return this.def.ref?.export ?? this.def.options.name ?? (this.def.fn.name || "anonymous");
  }
}

// Starting values most tasks keep: read from here, an own field only once a task sets one.
Object.assign(TaskRecord.prototype, {
  tryId: 0,
  dependsOn: NONE,
  memoize: false,
  timeReturned: undefined,
  waiting: 0,
  deps: NONE,
  hasAppArgs: false,
  failCount: 0,
  failCost: 0,
  failHistory: NONE,
  outputs: NONE,
  joins: NONE,
});
