/**
 * {@linkcode SimpleLauncher}: runs the command once, as it is.
 *
 * @module
 */
import type { Launcher } from "./launcher.ts";

/**
 * Returns the command unchanged: one worker pool per block, whatever the node count (Parsl's
 * `SimpleLauncher`). Use it when the worker command itself spreads over the nodes.
 *
 * @example
 * ```ts
 * import { SimpleLauncher } from "./simple_launcher.ts";
 * import assert from "node:assert/strict";
 * assert(new SimpleLauncher().launch("tsflow worker", 4, 1) === "tsflow worker");
 * ```
 */
export class SimpleLauncher implements Launcher {
  /** Name. */
  readonly name = "simple";
  /**
   * Builds the block's command.
   * @param command Worker command.
   * @param _tasksPerNode Ignored.
   * @param _nodesPerBlock Ignored (only one copy runs).
   * @returns `command`.
   */
  launch(command: string, _tasksPerNode: number, _nodesPerBlock: number): string {
    return command;
  }
}
