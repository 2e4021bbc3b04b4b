/**
 * The colour of each task state on the `tsflow visualize` page. Keyed by the kernel's own
 * {@linkcode TaskState}, so a state added in `dfk/states.ts` fails the type check until it has a
 * colour here (Parsl's test_viz_colouring asks the same of parsl-visualize).
 *
 * @module
 */
import { FINAL_STATES, type TaskState } from "../../dfk/states.ts";

/**
 * Colour per task state, in the order the legend and the state filter list them.
 *
 * @example
 * ```ts
 * import { STATE_COLORS } from "./state_colors.ts";
 * import assert from "node:assert/strict";
 * assert.equal(STATE_COLORS.running, "#0000ff");
 * ```
 */
export const STATE_COLORS: Readonly<Record<TaskState, string>> = {
  unsched: "#f0f0f0",
  pending: "#a8a8a8",
  launched: "#64ffff",
  running: "#0000ff",
  running_ended: "#4040ff",
  joining: "#8080ff",
  dep_fail: "#ff80ff",
  failed: "#c80000",
  exec_done: "#00c800",
  memo_done: "#40c840",
  fail_retryable: "#c88080",
};

/**
 * The colour of a state as the database names it; a database written by another Parsl version
 * may hold states tsflow does not know, which get `fallback`.
 *
 * @param state A state name from the database.
 * @param fallback Colour for an unknown state.
 * @returns A CSS colour.
 *
 * @example
 * ```ts
 * import { stateColor } from "./state_colors.ts";
 * import assert from "node:assert/strict";
 * assert.equal(stateColor("failed", "#999"), "#c80000");
 * assert.equal(stateColor("no_such_state", "#999"), "#999");
 * ```
 */
export function stateColor(state: string, fallback: string): string {
  return Object.hasOwn(STATE_COLORS, state) ? STATE_COLORS[state as TaskState] : fallback;
}

/**
 * Whether a task in this state never changes again (the kernel's {@linkcode FINAL_STATES}).
 *
 * @param state A state name from the database.
 * @returns True for a final state.
 *
 * @example
 * ```ts
 * import { isFinalState } from "./state_colors.ts";
 * import assert from "node:assert/strict";
 * assert(isFinalState("dep_fail"));
 * assert(!isFinalState("running"));
 * ```
 */
export function isFinalState(state: string): boolean {
  return FINAL_STATES.has(state as TaskState);
}
