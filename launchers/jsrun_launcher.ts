/**
 * {@linkcode JsrunLauncher}: IBM LSF `jsrun` (Summit-style machines).
 *
 * @module
 */
import { SCRIPT_LAUNCHER_OPTION_KEYS, ScriptLauncher } from "./script_launcher.ts";
import { runnerScript } from "./_cmd_file.ts";

/**
 * `jsrun -n tasksPerNode×nodesPerBlock -r tasksPerNode` (Parsl's `JsrunLauncher`).
 *
 * @example
 * ```ts
 * import { JsrunLauncher } from "./jsrun_launcher.ts";
 * import assert from "node:assert/strict";
 * assert(new JsrunLauncher().launch("w", 2, 3).includes("jsrun -n 6 -r 2"));
 * ```
 */
export class JsrunLauncher extends ScriptLauncher {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = SCRIPT_LAUNCHER_OPTION_KEYS;
  /** Name. */
  readonly name = "jsrun";
  /**
   * Builds the block's command.
   * @param command Worker command.
   * @param tasksPerNode Resource sets per node.
   * @param nodesPerBlock Nodes.
   * @returns The script fragment.
   */
  override launch(command: string, tasksPerNode: number, nodesPerBlock: number): string {
    const o = this.overrides ? `${this.overrides} ` : "";
    const n = tasksPerNode * nodesPerBlock;
    return runnerScript(
      command,
      "JSRUN_EOF",
      `jsrun -n ${n} -r ${tasksPerNode} ${o}`.trimEnd(),
      n,
      this.debug,
    );
  }
}
