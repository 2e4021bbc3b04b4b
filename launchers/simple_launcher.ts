/**
 * {@linkcode SimpleLauncher}: runs the command once, as it is.
 *
 * @module
 */
import type { Launcher } from "./launcher.ts";
import { LAUNCHER_OPTION_KEYS } from "./_cmd_file.ts";

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
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = LAUNCHER_OPTION_KEYS;
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
