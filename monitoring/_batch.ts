/**
 * The unit the hub hands its writer: one flush window of events, compacted so that handing it
 * over (to a writer thread, by structured clone) costs little. Status changes travel as numbers;
 * each task's latest event travels once per window; everything rarer travels as it came.
 *
 * @module
 */
import type {
  BlockEvent,
  NodeEvent,
  ResourceEvent,
  TaskEvent,
  TryRunningEvent,
  WorkflowEndEvent,
  WorkflowStartEvent,
} from "../dfk/monitoring_event.ts";
import { TASK_STATES, type TaskState } from "../dfk/states.ts";

/** State names by code (the code is the index). */
export const STATE_CODES: readonly TaskState[] = TASK_STATES;

/** Code of each state. */
export const STATE_INDEX: ReadonlyMap<string, number> = new Map(
  STATE_CODES.map((s, i) => [s, i]),
);

/** Numbers per status change in {@linkcode Batch.status}: run index, task, try, state, time. */
export const STATUS_STRIDE = 5;

/** Where a try ran (from `try_running` events). */
export type TryPlace = Pick<
  TryRunningEvent,
  "runId" | "taskId" | "tryId" | "executor" | "hostname" | "blockId" | "workerId"
>;

/** One flush window. */
export interface Batch {
  /** Run ids referred to by index in `status`. */
  runs: string[];
  /** Status changes, {@linkcode STATUS_STRIDE} numbers each (a typed array across threads). */
  status: number[] | Float64Array;
  /** The latest event of each task that changed in this window. */
  tasks: TaskEvent[];
  /** `tasks` in columns while the batch crosses threads. */
  packedTasks?: PackedTasks;
  /** Where tries ran. */
  places: TryPlace[];
  /** Workflow starts and ends. */
  workflows: (WorkflowStartEvent | WorkflowEndEvent)[];
  /** Resource samples. */
  resources: ResourceEvent[];
  /** Node events. */
  nodes: NodeEvent[];
  /** Block events. */
  blocks: BlockEvent[];
}

/**
 * An empty batch.
 *
 * @returns A batch with nothing in it.
 *
 * @example
 * ```ts
 * import { emptyBatch } from "./_batch.ts";
 * import assert from "node:assert/strict";
 * assert(emptyBatch().status.length === 0);
 * ```
 */
export function emptyBatch(): Batch {
  return {
    runs: [],
    status: [],
    tasks: [],
    places: [],
    workflows: [],
    resources: [],
    nodes: [],
    blocks: [],
  };
}

/**
 * Number of rows-worth of events in a batch (for logs and flush thresholds).
 *
 * @param b A batch.
 * @returns Count of events it carries.
 *
 * @example
 * ```ts
 * import { batchSize, emptyBatch } from "./_batch.ts";
 * import assert from "node:assert/strict";
 * assert(batchSize(emptyBatch()) === 0);
 * ```
 */
export function batchSize(b: Batch): number {
  const p = b.packedTasks;
  const packed = p
    ? p.nums.length / TASK_STRIDE + p.places.length / PLACE_STRIDE +
      p.resources.length / RESOURCE_STRIDE
    : 0;
  return b.status.length / STATUS_STRIDE + b.tasks.length + b.places.length +
    b.workflows.length + b.resources.length + b.nodes.length + b.blocks.length + packed;
}

/** Numbers per task in {@linkcode PackedTasks.nums}. */
export const TASK_STRIDE = 12;

/** Task, place and resource events in columns (built by `BatchBuilder`), for the trip to the writer thread. */
export interface PackedTasks {
  /**
   * {@linkcode TASK_STRIDE} numbers per task: run, task id, try id, state, time, app name and
   * executor (indexes into `strings`), memoize, time invoked, time returned (NaN: none), fail
   * count, fail cost. A typed array crosses threads by one copy.
   */
  nums: Float64Array<ArrayBuffer>;
  /** Run ids, app names and executors, each once. */
  strings: string[];
  /** The rarely set fields, as (task index, field, value) triples; field -1 clears them all. */
  extras: unknown[];
  /**
   * {@linkcode PLACE_STRIDE} numbers per `Batch.places` entry: run, task id, try id, then
   * executor, hostname, block and worker as indexes into `strings` (-1: none).
   */
  places: Float64Array<ArrayBuffer>;
  /**
   * {@linkcode RESOURCE_STRIDE} numbers per `Batch.resources` entry (every task has one or more:
   * objects would cost a structured clone per field): run, task id, try id, time, pid, CPU
   * percent, user and system seconds, RSS, VMS, memory percent, read and written, children, CPU
   * number, voluntary and involuntary switches (NaN: none), then status and host as indexes into
   * `strings` (-1: none).
   */
  resources: Float64Array<ArrayBuffer>;
}

/** Numbers per place in {@linkcode PackedTasks.places}. */
export const PLACE_STRIDE = 7;

/** Numbers per sample in {@linkcode PackedTasks.resources}. */
export const RESOURCE_STRIDE = 19;

/** The rarely set task fields, carried as (task index, field, value) triples. */
export const EXTRA_FIELDS = [
  "hashsum",
  "dependsOn",
  "inputs",
  "outputs",
  "stdout",
  "stderr",
  "failHistory",
  "joins",
] as const;
const NO_ITEMS: never[] = [];
/** What a task's extra fields hold when its event set none of them. */
const NO_EXTRAS = {
  hashsum: undefined,
  dependsOn: NO_ITEMS,
  inputs: "None",
  outputs: "None",
  stdout: undefined,
  stderr: undefined,
  failHistory: NO_ITEMS,
  joins: NO_ITEMS,
};

/**
 * Rebuilds `b.tasks` and `b.places` from `b.packedTasks` (on the writer thread).
 *
 * @param b A batch that crossed threads.
 *
 * @example
 * ```ts
 * import { emptyBatch, unpackTasks } from "./_batch.ts";
 * import assert from "node:assert/strict";
 * const b = emptyBatch();
 * unpackTasks(b);
 * assert(b.tasks.length === 0);
 * ```
 */
export function unpackTasks(b: Batch): void {
  const p = b.packedTasks;
  if (!p) return;
  const { nums, strings } = p;
  const tasks: TaskEvent[] = [];
  for (let i = 0; i < nums.length; i += TASK_STRIDE) {
    const returned = nums[i + 9];
    tasks.push({
      type: "task",
      runId: strings[nums[i]],
      taskId: nums[i + 1],
      tryId: nums[i + 2],
      state: STATE_CODES[nums[i + 3]],
      time: nums[i + 4],
      appName: strings[nums[i + 5]],
      executor: strings[nums[i + 6]],
      memoize: nums[i + 7] === 1,
      timeInvoked: nums[i + 8],
      timeReturned: Number.isNaN(returned) ? undefined : returned,
      failCount: nums[i + 10],
      failCost: nums[i + 11],
      ...NO_EXTRAS,
    });
  }
  const x = p.extras;
  for (let j = 0; j < x.length; j += 3) {
    const e = tasks[x[j] as number] as unknown as Record<string, unknown>;
    const f = x[j + 1] as number;
    // -1: the task's slot took a later event; the fields the earlier one set are gone.
    if (f < 0) Object.assign(e, NO_EXTRAS);
    else e[EXTRA_FIELDS[f]] = x[j + 2];
  }
  b.tasks = tasks;
  const opt = (i: number): string | undefined => i < 0 ? undefined : strings[i];
  const pl = p.places;
  for (let i = 0; i < pl.length; i += PLACE_STRIDE) {
    b.places.push({
      runId: strings[pl[i]],
      taskId: pl[i + 1],
      tryId: pl[i + 2],
      executor: strings[pl[i + 3]],
      hostname: opt(pl[i + 4]),
      blockId: opt(pl[i + 5]),
      workerId: opt(pl[i + 6]),
    });
  }
  const rs = p.resources;
  const num = (v: number): number | undefined => Number.isNaN(v) ? undefined : v;
  for (let i = 0; i < rs.length; i += RESOURCE_STRIDE) {
    b.resources.push({
      type: "resource",
      runId: strings[rs[i]],
      taskId: rs[i + 1],
      tryId: rs[i + 2],
      time: rs[i + 3],
      pid: rs[i + 4],
      cpuPercent: rs[i + 5],
      cpuUser: rs[i + 6],
      cpuSystem: rs[i + 7],
      memoryRss: rs[i + 8],
      memoryVms: rs[i + 9],
      memoryPercent: num(rs[i + 10]),
      readBytes: rs[i + 11],
      writeBytes: rs[i + 12],
      childrenCount: num(rs[i + 13]),
      cpuNum: num(rs[i + 14]),
      ctxSwitchesVoluntary: num(rs[i + 15]),
      ctxSwitchesInvoluntary: num(rs[i + 16]),
      processStatus: opt(rs[i + 17]),
      hostname: opt(rs[i + 18]),
    });
  }
  b.packedTasks = undefined;
}
