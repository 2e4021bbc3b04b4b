/**
 * The `Launcher` interface: a pure function of the worker command that returns the command the
 * block runs (Parsl's `parsl.launchers`).
 *
 * @module
 */

/**
 * Prefixes (or wraps) the worker command so it starts on every node / rank of a block.
 *
 * @example
 * ```ts
 * import type { Launcher } from "./launcher.ts";
 * import assert from "node:assert/strict";
 * const simple: Launcher = { name: "simple", launch: (cmd) => cmd };
 * assert(simple.launch("tsflow worker", 1, 1) === "tsflow worker");
 * ```
 */
export interface Launcher {
  /** Name for logs and YAML. */
  readonly name: string;
  /** Builds the block's command line. */
  launch(command: string, tasksPerNode: number, nodesPerBlock: number): string;
}
