/**
 * {@linkcode MpiExecLauncher}: starts the command on every rank with `mpiexec`.
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

/** Options of {@linkcode MpiExecLauncher}. */
export interface MpiExecLauncherOptions extends LauncherOptions {
  /** Flag that sets rank binding (its value is `none`). @default "--bind-to" */
  bindCmd?: string;
  /** Extra `mpiexec` arguments, e.g. `--allow-run-as-root --oversubscribe`. @default "" */
  overrides?: string;
}

/**
 * `mpiexec -n tasksPerNode×nodesPerBlock --hostfile …` over the unique hosts of `$PBS_NODEFILE`,
 * else of the Slurm allocation, else `localhost`; ranks unbound (Parsl's `MpiExecLauncher`). The
 * script exits with `mpiexec`'s status.
 *
 * @example
 * ```ts
 * import { MpiExecLauncher } from "./mpiexec_launcher.ts";
 * import assert from "node:assert/strict";
 * const s = new MpiExecLauncher({ overrides: "--allow-run-as-root" }).launch("w", 2, 1);
 * assert(s.includes("WORKERCOUNT=2"));
 * assert(s.includes("mpiexec --bind-to none --allow-run-as-root -n $WORKERCOUNT"));
 * ```
 */
export class MpiExecLauncher extends ScriptLauncher {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = optionKeys<MpiExecLauncherOptions>()(
    ...LAUNCHER_OPTION_KEYS,
    "bindCmd",
    "overrides",
  );
  /** Name. */
  readonly name = "mpiexec";
  #bindCmd: string;
  /**
   * Creates it.
   * @param opts Options.
   */
  constructor(opts: MpiExecLauncherOptions = {}) {
    super(opts);
    this.#bindCmd = opts.bindCmd ?? "--bind-to";
  }
  /**
   * Builds the block's command.
   * @param command Worker command.
   * @param tasksPerNode Ranks per node.
   * @param nodesPerBlock Nodes.
   * @returns The script fragment.
   */
  override launch(command: string, tasksPerNode: number, nodesPerBlock: number): string {
    const args = [this.#bindCmd, "none", this.overrides].filter((a) => a).join(" ");
    return script([
      EXPORT_CORES,
      debugLine(this.debug, "Found cores : $CORES"),
      `WORKERCOUNT=${tasksPerNode * nodesPerBlock}`,
      'HOSTFILE="${TSFLOW_SCRIPT_DIR:-.}/${JOBNAME:-block}.nodes"',
      // Parsl reads only PBS's node file; inside a Slurm job the allocation's nodes are used too,
      // so a multi-node block gets ranks on every node instead of all on the first.
      'if [ -n "${PBS_NODEFILE:-}" ]; then sort -u "$PBS_NODEFILE" > "$HOSTFILE"',
      'elif [ -n "${SLURM_JOB_NODELIST:-}" ]; then scontrol show hostnames "$SLURM_JOB_NODELIST" > "$HOSTFILE"',
      'else echo localhost > "$HOSTFILE"; fi',
      writeCmdFile(command, "MPIEXEC_EOF"),
      `mpiexec ${args} -n $WORKERCOUNT --hostfile "$HOSTFILE" /bin/sh "$CMD_FILE"`,
      exitWithStatus(this.debug, "All workers done"),
    ]);
  }
}
