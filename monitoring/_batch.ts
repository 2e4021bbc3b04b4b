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
  /** Status changes, {@linkcode STATUS_STRIDE} numbers each. */
  status: number[];
  /** The latest event of each task that changed in this window. */
  tasks: TaskEvent[];
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
