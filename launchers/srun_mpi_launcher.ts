/**
 * {@linkcode SrunMPILauncher}: one `srun` per worker pool, each over its share of the job, so each
 * pool can start MPI applications of its own.
 *
 * @module
 */
import { SCRIPT_LAUNCHER_OPTION_KEYS, ScriptLauncher } from "./script_launcher.ts";
import { debugLine, exitWithStatus, script, writeCmdFile } from "./_cmd_file.ts";

/**
 * Starts `tasksPerNode × nodesPerBlock` separate `srun` steps (Parsl's `SrunMPILauncher`): when
 * there are more pools than nodes each gets `NODES × CORES / pools` tasks, else each gets whole
 * nodes (`--exclusive --nodes NODES/pools`).
 *
 * @example
 * ```ts
 * import { SrunMPILauncher } from "./srun_mpi_launcher.ts";
 * import assert from "node:assert/strict";
 * const s = new SrunMPILauncher().launch("tsflow worker", 1, 2);
 * assert(s.includes("TASKBLOCKS=2"));
 * ```
 */
export class SrunMPILauncher extends ScriptLauncher {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = SCRIPT_LAUNCHER_OPTION_KEYS;
  /** Name. */
  readonly name = "srun_mpi";
  /**
   * Builds the block's command.
   * @param command Worker command.
   * @param tasksPerNode Pools per node.
   * @param nodesPerBlock Nodes in the job.
   * @returns The script fragment.
   */
  override launch(command: string, tasksPerNode: number, nodesPerBlock: number): string {
    const o = this.overrides ? ` ${this.overrides}` : "";
    return script([
      "export CORES=$SLURM_CPUS_ON_NODE",
      "export NODES=$SLURM_JOB_NUM_NODES",
      debugLine(this.debug, "Found cores : $CORES"),
      debugLine(this.debug, "Found nodes : $NODES"),
      writeCmdFile(command, "SLURM_EOF"),
      `TASKBLOCKS=${tasksPerNode * nodesPerBlock}`,
      "PIDS=''",
      'if [ "$TASKBLOCKS" -gt "$NODES" ]; then',
      "  CORES_PER_BLOCK=$(( NODES * CORES / TASKBLOCKS ))",
      "  for blk in $(seq 1 $TASKBLOCKS); do",
      `    srun --ntasks $CORES_PER_BLOCK -l${o} bash "$CMD_FILE" &`,
      '    PIDS="$PIDS $!"',
      "  done",
      "else",
      "  NODES_PER_BLOCK=$(( NODES / TASKBLOCKS ))",
      "  for blk in $(seq 1 $TASKBLOCKS); do",
      `    srun --exclusive --nodes $NODES_PER_BLOCK -l${o} bash "$CMD_FILE" &`,
      '    PIDS="$PIDS $!"',
      "  done",
      "fi",
      // Any failed srun fails the block (a bare `wait` would always return 0).
      "FAILED=0",
      'for PID in $PIDS; do wait "$PID" || FAILED=1; done',
      '[ "$FAILED" = 0 ]',
      exitWithStatus(this.debug, "Done"),
    ]);
  }
}
