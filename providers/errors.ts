/**
 * Errors raised by providers: a scheduler command that failed or a submission refused. A scale-out
 * that could not start blocks (`ScaleOutFailed`) is the kernel's scaling error, re-exported here.
 *
 * @module
 */
import { TsflowError } from "../dfk/errors.ts";

export { ScaleOutFailed } from "../dfk/scaling/scale_out_failed.ts";

/**
 * A scheduler command (`sbatch`, `squeue`, `qstat`…) failed: non-zero exit, timeout, or output
 * that could not be parsed. Carries what is needed to reproduce it by hand.
 *
 * @example
 * ```ts
 * import { SchedulerCommandError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new SchedulerCommandError("squeue -h", 1, "", "slurm_load_jobs error");
 * assert(e.exitCode === 1);
 * ```
 */
export class SchedulerCommandError extends TsflowError {
  /** The command line that was run. */
  command: string;
  /** Its exit code; -1 when it timed out or could not start. */
  exitCode: number;
  /** Its standard output. */
  stdout: string;
  /** Its standard error. */
  stderr: string;
  /**
   * Creates it.
   * @param command Command line.
   * @param exitCode Exit code (-1: timed out or did not start).
   * @param stdout Standard output.
   * @param stderr Standard error.
   * @param why What went wrong, when not just the exit code.
   */
  constructor(command: string, exitCode: number, stdout: string, stderr: string, why?: string) {
    super(
      `Command "${command}" failed: ${why ?? `exit code ${exitCode}`}` +
        (stderr.trim() ? `; stderr: ${stderr.trim().slice(0, 2000)}` : ""),
    );
    this.command = command;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/**
 * A block could not be submitted (Parsl's `SubmitException`).
 *
 * @example
 * ```ts
 * import { SubmitException } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new SubmitException("tsflow.block.0", "sbatch /x.submit", 1, "", "invalid partition");
 * assert(e.jobName === "tsflow.block.0");
 * ```
 */
export class SubmitException extends SchedulerCommandError {
  /** Name of the block's job. */
  jobName: string;
  /**
   * Creates it.
   * @param jobName Job name.
   * @param command Submit command.
   * @param exitCode Its exit code (-1: timed out or did not start).
   * @param stdout Its output.
   * @param stderr Its error output.
   * @param why What went wrong, when not just the exit code.
   */
  constructor(
    jobName: string,
    command: string,
    exitCode: number,
    stdout: string,
    stderr: string,
    why?: string,
  ) {
    super(
      command,
      exitCode,
      stdout,
      stderr,
      why ? `cannot submit ${jobName}: ${why}` : `cannot submit ${jobName}, exit code ${exitCode}`,
    );
    this.jobName = jobName;
  }
}
