/**
 * {@linkcode SrunLauncher}: starts the command on every task slot of a Slurm allocation.
 *
 * @module
 */
import { SCRIPT_LAUNCHER_OPTION_KEYS, ScriptLauncher } from "./script_launcher.ts";
import { debugLine, exitWithStatus, script, writeCmdFile } from "./_cmd_file.ts";
import type { ScriptLauncherOptions } from "./script_launcher.ts";

/** Options of srun-based launchers (`overrides`: extra `srun` arguments). */
export type SrunLauncherOptions = ScriptLauncherOptions;

/**
 * One `srun --ntasks N` over the whole job, running `tasksPerNode × nodesPerBlock` copies
 * (Parsl's `SrunLauncher`). Runs inside a Slurm batch job.
 *
 * @example
 * ```ts
 * import { SrunLauncher } from "./srun_launcher.ts";
 * import assert from "node:assert/strict";
 * const s = new SrunLauncher({ overrides: "--cpu-bind=none" }).launch("tsflow worker", 2, 2);
 * assert(s.includes("srun --ntasks 4 -l --cpu-bind=none"));
 * ```
 */
export class SrunLauncher extends ScriptLauncher {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = SCRIPT_LAUNCHER_OPTION_KEYS;
  /** Name. */
  readonly name = "srun";
  /**
   * Builds the block's command.
   * @param command Worker command.
   * @param tasksPerNode Copies per node.
   * @param nodesPerBlock Nodes in the job.
   * @returns The script fragment.
   */
  override launch(command: string, tasksPerNode: number, nodesPerBlock: number): string {
    const n = tasksPerNode * nodesPerBlock;
    return script([
      "export CORES=$SLURM_CPUS_ON_NODE",
      "export NODES=$SLURM_JOB_NUM_NODES",
      debugLine(this.debug, "Found cores : $CORES"),
      debugLine(this.debug, "Found nodes : $NODES"),
      `WORKERCOUNT=${n}`,
      writeCmdFile(command, "SLURM_EOF"),
      `srun --ntasks ${n} -l ${this.overrides} bash "$CMD_FILE"`.replace(/ +/g, " ").trimEnd(),
      exitWithStatus(this.debug, "Done"),
    ]);
  }
}
