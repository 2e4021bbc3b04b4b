/**
 * {@linkcode AprunLauncher}: Cray ALPS `aprun`.
 *
 * @module
 */
import { SCRIPT_LAUNCHER_OPTION_KEYS, ScriptLauncher } from "./script_launcher.ts";
import { runnerScript } from "./_cmd_file.ts";

/**
 * `aprun -n tasksPerNode×nodesPerBlock -N tasksPerNode` (Parsl's `AprunLauncher`).
 *
 * @example
 * ```ts
 * import { AprunLauncher } from "./aprun_launcher.ts";
 * import assert from "node:assert/strict";
 * assert(new AprunLauncher().launch("w", 4, 2).includes("aprun -n 8 -N 4"));
 * ```
 */
export class AprunLauncher extends ScriptLauncher {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = SCRIPT_LAUNCHER_OPTION_KEYS;
  /** Name. */
  readonly name = "aprun";
  /**
   * Builds the block's command.
   * @param command Worker command.
   * @param tasksPerNode Copies per node.
   * @param nodesPerBlock Nodes.
   * @returns The script fragment.
   */
  override launch(command: string, tasksPerNode: number, nodesPerBlock: number): string {
    const o = this.overrides ? `${this.overrides} ` : "";
    const n = tasksPerNode * nodesPerBlock;
    return runnerScript(
      command,
      "APRUN_EOF",
      `aprun -n ${n} -N ${tasksPerNode} ${o}`.trimEnd(),
      n,
      this.debug,
    );
  }
}
