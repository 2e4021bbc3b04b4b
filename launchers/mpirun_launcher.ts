/**
 * {@linkcode MpiRunLauncher}: starts the command on every rank with `mpirun`.
 *
 * @module
 */
import { ScriptLauncher } from "./script_launcher.ts";
import {
  debugLine,
  exitWithStatus,
  EXPORT_CORES,
  type LauncherOptions,
  script,
  writeCmdFile,
} from "./_cmd_file.ts";
import { optionKeys } from "../dfk/option_keys.ts";
import { LAUNCHER_OPTION_KEYS } from "./_cmd_file.ts";

/** Options of {@linkcode MpiRunLauncher}. */
export interface MpiRunLauncherOptions extends LauncherOptions {
  /** Shell that runs the command on each rank. @default "/bin/bash" */
  bashLocation?: string;
  /** Extra `mpirun` arguments. @default "" */
  overrides?: string;
}

/**
 * `mpirun -np tasksPerNode×nodesPerBlock` running the command through bash, using whatever host
 * list the MPI runtime takes from the allocation (Parsl's `MpiRunLauncher`).
 *
 * @example
 * ```ts
 * import { MpiRunLauncher } from "./mpirun_launcher.ts";
 * import assert from "node:assert/strict";
 * assert(new MpiRunLauncher().launch("w", 2, 2).includes("mpirun -np $WORKERCOUNT"));
 * ```
 */
export class MpiRunLauncher extends ScriptLauncher {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = optionKeys<MpiRunLauncherOptions>()(
    ...LAUNCHER_OPTION_KEYS,
    "bashLocation",
    "overrides",
  );
  /** Name. */
  readonly name = "mpirun";
  #bash: string;
  /**
   * Creates it.
   * @param opts Options.
   */
  constructor(opts: MpiRunLauncherOptions = {}) {
    super(opts);
    this.#bash = opts.bashLocation ?? "/bin/bash";
  }
  /**
   * Builds the block's command.
   * @param command Worker command.
   * @param tasksPerNode Ranks per node.
   * @param nodesPerBlock Nodes.
   * @returns The script fragment.
   */
  override launch(command: string, tasksPerNode: number, nodesPerBlock: number): string {
    const o = this.overrides ? `${this.overrides} ` : "";
    return script([
      EXPORT_CORES,
      debugLine(this.debug, "Found cores : $CORES"),
      `WORKERCOUNT=${tasksPerNode * nodesPerBlock}`,
      writeCmdFile(command, "MPIRUN_EOF"),
      `mpirun -np $WORKERCOUNT ${o}${this.#bash} "$CMD_FILE"`,
      exitWithStatus(this.debug, "All workers done"),
    ]);
  }
}
