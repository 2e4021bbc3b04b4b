/**
 * {@linkcode GnuParallelLauncher}: GNU `parallel` over the block's nodes.
 *
 * @module
 */
import type { Launcher } from "./launcher.ts";
import {
  debugLine,
  exitWithStatus,
  EXPORT_CORES,
  type LauncherOptions,
  script,
  writeCmdFile,
} from "./_cmd_file.ts";
import { LAUNCHER_OPTION_KEYS } from "./_cmd_file.ts";

/**
 * Runs `tasksPerNode × nodesPerBlock` copies with GNU `parallel`, `tasksPerNode` at a time per
 * host (Parsl's `GnuParallelLauncher`). Hosts come from `$PBS_NODEFILE` (reached by password-less
 * ssh, with `parallel --record-env` run once there); without one the copies run on this machine (`:` is parallel's name for it).
 *
 * @example
 * ```ts
 * import { GnuParallelLauncher } from "./gnu_parallel_launcher.ts";
 * import assert from "node:assert/strict";
 * assert(new GnuParallelLauncher().launch("w", 2, 1).includes("--jobs 2"));
 * ```
 */
export class GnuParallelLauncher implements Launcher {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = LAUNCHER_OPTION_KEYS;
  /** Name. */
  readonly name = "gnu_parallel";
  #debug: boolean;
  /**
   * Creates it.
   * @param opts Options.
   */
  constructor(opts: LauncherOptions = {}) {
    this.#debug = opts.debug ?? true;
  }
  /**
   * Builds the block's command.
   * @param command Worker command.
   * @param tasksPerNode Copies at a time per host.
   * @param nodesPerBlock Nodes.
   * @returns The script fragment.
   */
  launch(command: string, tasksPerNode: number, nodesPerBlock: number): string {
    return script([
      EXPORT_CORES,
      debugLine(this.#debug, "Found cores : $CORES"),
      `WORKERCOUNT=${tasksPerNode * nodesPerBlock}`,
      'SSHLOGINFILE="${TSFLOW_SCRIPT_DIR:-.}/${JOBNAME:-block}.nodes"',
      'if [ -z "${PBS_NODEFILE:-}" ]; then echo : > "$SSHLOGINFILE"; else sort -u "$PBS_NODEFILE" > "$SSHLOGINFILE"; fi',
      writeCmdFile(command, "PARALLEL_CMD_EOF"),
      'PFILE="$CMD_FILE.parallel"',
      ': > "$PFILE"',
      'for ((COUNT = 1; COUNT <= WORKERCOUNT; COUNT++)); do echo "sh $CMD_FILE" >> "$PFILE"; done',
      `parallel $ENVARG --joblog "$CMD_FILE.parallel.log" --sshloginfile "$SSHLOGINFILE" --jobs ${tasksPerNode} < "$PFILE"`,
      exitWithStatus(this.#debug, "All workers done"),
    ]);
  }
}
