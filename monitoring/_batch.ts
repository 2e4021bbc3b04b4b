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
import type { TaskState } from "../dfk/states.ts";

/** State names by code (the code is the index). */
export const STATE_CODES: readonly TaskState[] = [
  "unsched",
  "pending",
  "launched",
  "running",
  "running_ended",
  "exec_done",
  "memo_done",
  "failed",
  "dep_fail",
  "fail_retryable",
  "joining",
];

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
  /** `tasks` packed as {@linkcode TASK_STRIDE} values each, while the batch crosses threads. */
  packedTasks?: unknown[];
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
 * console.assert(emptyBatch().status.length === 0);
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
 * console.assert(batchSize(emptyBatch()) === 0);
 * ```
 */
export function batchSize(b: Batch): number {
  return b.status.length / STATUS_STRIDE + b.tasks.length + b.places.length +
    b.workflows.length + b.resources.length + b.nodes.length + b.blocks.length;
}

/** Values per task in {@linkcode Batch.packedTasks}. */
export const TASK_STRIDE = 19;

/**
 * Packs `b.tasks` into flat values for the trip to the writer thread: cloning arrays of values
 * costs about a third of cloning the same events as objects.
 *
 * @param b A batch; its `tasks` move to `packedTasks`.
 *
 * @example
 * ```ts
 * import { emptyBatch, packTasks, unpackTasks } from "./_batch.ts";
 * const b = emptyBatch();
 * packTasks(b);
 * unpackTasks(b);
 * console.assert(b.tasks.length === 0);
 * ```
 */
export function packTasks(b: Batch): void {
  const out: unknown[] = new Array(b.tasks.length * TASK_STRIDE);
  let i = 0;
  for (const e of b.tasks) {
    out[i++] = e.runId;
    out[i++] = e.taskId;
    out[i++] = e.tryId;
    out[i++] = e.state;
    out[i++] = e.time;
    out[i++] = e.appName;
    out[i++] = e.executor;
    out[i++] = e.memoize;
    out[i++] = e.hashsum;
    out[i++] = e.dependsOn;
    out[i++] = e.inputs;
    out[i++] = e.outputs;
    out[i++] = e.stdout;
    out[i++] = e.stderr;
    out[i++] = e.timeInvoked;
    out[i++] = e.timeReturned;
    out[i++] = e.failCount;
    out[i++] = e.failCost;
    out[i++] = [e.failHistory, e.joins];
  }
  b.packedTasks = out;
  b.tasks = [];
}

/**
 * Rebuilds `b.tasks` from `b.packedTasks` (on the writer thread).
 *
 * @param b A batch that crossed threads.
 *
 * @example
 * ```ts
 * import { emptyBatch, unpackTasks } from "./_batch.ts";
 * unpackTasks(emptyBatch());
 * ```
 */
export function unpackTasks(b: Batch): void {
  const p = b.packedTasks;
  if (!p) return;
  const tasks: TaskEvent[] = [];
  for (let i = 0; i < p.length; i += TASK_STRIDE) {
    const [failHistory, joins] = p[i + 18] as [string[], number[]];
    tasks.push({
      type: "task",
      runId: p[i] as string,
      taskId: p[i + 1] as number,
      tryId: p[i + 2] as number,
      state: p[i + 3] as TaskState,
      time: p[i + 4] as number,
      appName: p[i + 5] as string,
      executor: p[i + 6] as string,
      memoize: p[i + 7] as boolean,
      hashsum: p[i + 8] as string | undefined,
      dependsOn: p[i + 9] as number[],
      inputs: p[i + 10] as string[],
      outputs: p[i + 11] as string[],
      stdout: p[i + 12] as string | undefined,
      stderr: p[i + 13] as string | undefined,
      timeInvoked: p[i + 14] as number,
      timeReturned: p[i + 15] as number | undefined,
      failCount: p[i + 16] as number,
      failCost: p[i + 17] as number,
      failHistory,
      joins,
    });
  }
  b.tasks = tasks;
  b.packedTasks = undefined;
}
