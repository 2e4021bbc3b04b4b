/**
 * {@linkcode ScriptLauncher}: what the launchers that start the worker command through a
 * parallel runner (`srun`, `mpiexec`, `aprun`, …) share: debug lines and extra arguments.
 *
 * @module
 */
import type { Launcher } from "./launcher.ts";
import { LAUNCHER_OPTION_KEYS, type LauncherOptions } from "./_cmd_file.ts";
import { optionKeys } from "../dfk/option_keys.ts";

/** Options of a launcher that runs the command through a parallel runner. */
export interface ScriptLauncherOptions extends LauncherOptions {
  /** Extra arguments for the runner. @default "" */
  overrides?: string;
}

/** The keys of {@linkcode ScriptLauncherOptions}. */
export const SCRIPT_LAUNCHER_OPTION_KEYS = optionKeys<ScriptLauncherOptions>()(
  ...LAUNCHER_OPTION_KEYS,
  "overrides",
);

/**
 * Base of the runner launchers (and of a site's own): each subclass names itself and builds its
 * script.
 *
 * @example
 * ```ts
 * import { ScriptLauncher } from "./script_launcher.ts";
 * import assert from "node:assert/strict";
 * class Echo extends ScriptLauncher {
 *   readonly name = "echo";
 *   launch(command: string): string {
 *     return `echo ${this.overrides} ${command}`;
 *   }
 * }
 * assert(new Echo({ overrides: "-n" }).launch("w") === "echo -n w");
 * ```
 */
export abstract class ScriptLauncher implements Launcher {
  /** Name. */
  abstract readonly name: string;
  /** Whether the script echoes progress lines. */
  protected readonly debug: boolean;
  /** Extra runner arguments ("" for none). */
  protected readonly overrides: string;

  /**
   * Takes the shared options.
   * @param opts Options.
   */
  constructor(opts: ScriptLauncherOptions = {}) {
    this.debug = opts.debug ?? true;
    this.overrides = opts.overrides ?? "";
  }

  /**
   * Builds the block's command.
   * @param command Worker command.
   * @param tasksPerNode Copies per node.
   * @param nodesPerBlock Nodes in the block.
   * @returns The script fragment.
   */
  abstract launch(command: string, tasksPerNode: number, nodesPerBlock: number): string;
}
