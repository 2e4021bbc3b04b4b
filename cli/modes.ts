/**
 * The modes `tsflow` dispatches to, in a file of their own: `main.ts` checks the mode word with
 * them before it imports anything else (the help pages import every mode's flags).
 *
 * @module
 */

/**
 * The modes `tsflow` dispatches to.
 *
 * @example
 * ```ts
 * import { MODES } from "./modes.ts";
 * import assert from "node:assert/strict";
 * assert(MODES.includes("worker"));
 * ```
 */
export const MODES = ["run", "worker", "visualize", "interchange"] as const;

/** A mode name. */
export type Mode = typeof MODES[number];
