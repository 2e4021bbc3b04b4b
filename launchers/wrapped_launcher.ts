/**
 * {@linkcode WrappedLauncher}: puts a fixed prefix before the command.
 *
 * @module
 */
import type { Launcher } from "./launcher.ts";

/**
 * Prepends a command, e.g. `time` or a container runtime (Parsl's `WrappedLauncher`). Runs one
 * copy; tasks per node and nodes per block are ignored.
 *
 * @example
 * ```ts
 * import { WrappedLauncher } from "./wrapped_launcher.ts";
 * import assert from "node:assert/strict";
 * const l = new WrappedLauncher("docker run img");
 * assert(l.launch("tsflow worker", 1, 1) === "docker run img tsflow worker");
 * ```
 */
export class WrappedLauncher implements Launcher {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = ["prepend"];
  /** Name. */
  readonly name = "wrapped";
  /** The prefix. */
  readonly prepend: string;
  /**
   * Creates it.
   * @param prepend Command placed before the worker command.
   */
  constructor(prepend: string) {
    this.prepend = prepend;
  }
  /**
   * Builds one from YAML options (its constructor takes the prefix alone).
   * @param options `{ prepend }`.
   * @returns The launcher.
   */
  static fromConfig(options: Record<string, unknown>): WrappedLauncher {
    return new WrappedLauncher(String(options.prepend ?? ""));
  }
  /**
   * Builds the block's command.
   * @param command Worker command.
   * @param _tasksPerNode Ignored.
   * @param _nodesPerBlock Ignored.
   * @returns `prepend command`.
   */
  launch(command: string, _tasksPerNode: number, _nodesPerBlock: number): string {
    return `${this.prepend} ${command}`;
  }
}
