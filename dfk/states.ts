/**
 * Task states, named as in Parsl so monitoring data lines up.
 *
 * @module
 */

/**
 * Every task state, in a fixed order (monitoring sends a state as its index here).
 * `running` and `running_ended` come from workers and appear only in monitoring.
 *
 * @example
 * ```ts
 * import { TASK_STATES } from "./states.ts";
 * import assert from "node:assert/strict";
 * assert(TASK_STATES.includes("exec_done"));
 * ```
 */
export const TASK_STATES = [
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
] as const;

/**
 * A task's state.
 *
 * @example
 * ```ts
 * import { FINAL_STATES, type TaskState } from "./states.ts";
 * import assert from "node:assert/strict";
 * const s: TaskState = "exec_done";
 * assert(FINAL_STATES.has(s));
 * ```
 */
export type TaskState = typeof TASK_STATES[number];

/** States a task never leaves. */
export const FINAL_STATES: ReadonlySet<TaskState> = new Set<TaskState>([
  "exec_done",
  "memo_done",
  "failed",
  "dep_fail",
]);

/**
 * Whether a state is one of {@linkcode FINAL_STATES}, by comparison rather than a Set lookup
 * (the kernel asks on every state change).
 *
 * @param s A state.
 * @returns True for a final state.
 *
 * @example
 * ```ts
 * import { FINAL_STATES, isFinal, TASK_STATES } from "./states.ts";
 * import assert from "node:assert/strict";
 * for (const s of TASK_STATES) assert.equal(isFinal(s), FINAL_STATES.has(s));
 * ```
 */
export function isFinal(s: TaskState): boolean {
  return s === "exec_done" || s === "failed" || s === "memo_done" || s === "dep_fail";
}

/** Final states that count as failure. */
export const FAILED_STATES: ReadonlySet<TaskState> = new Set<TaskState>(["failed", "dep_fail"]);

/** Counts of tasks by state, for progress lines. */
export type TaskCounts = Record<TaskState, number>;

/**
 * A count of zero for every state.
 *
 * @returns Fresh counts.
 *
 * @example
 * ```ts
 * import { emptyCounts } from "./states.ts";
 * import assert from "node:assert/strict";
 * assert(emptyCounts().exec_done === 0);
 * ```
 */
export function emptyCounts(): TaskCounts {
  return Object.fromEntries(TASK_STATES.map((st) => [st, 0])) as TaskCounts;
}
