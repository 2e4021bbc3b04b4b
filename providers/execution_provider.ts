/**
 * The `ExecutionProvider` interface (Parsl's `parsl.providers.base.ExecutionProvider`): a
 * provider submits *blocks* (pilot jobs) that run a worker-pool command, reports their status and
 * cancels them.
 *
 * Block lifecycle: submit → PENDING → RUNNING → COMPLETED | FAILED | TIMEOUT | CANCELLED;
 * a job the scheduler forgot is MISSING; one it cannot describe is UNKNOWN.
 *
 * @module
 */
import type { Launcher } from "../launchers/launcher.ts";

/** A job's state, as Parsl's `JobState`. */
export type JobState =
  | "PENDING"
  | "RUNNING"
  | "CANCELLED"
  | "COMPLETED"
  | "FAILED"
  | "TIMEOUT"
  | "HELD"
  | "MISSING"
  | "UNKNOWN";

/** Terminal job states. */
export const TERMINAL_JOB_STATES: ReadonlySet<JobState> = new Set<JobState>([
  "CANCELLED",
  "COMPLETED",
  "FAILED",
  "TIMEOUT",
  "MISSING",
]);

/** A job's status. */
export interface JobStatus {
  /** State. */
  state: JobState;
  /** Free text from the scheduler. */
  message?: string;
  /** Exit code, when finished and known. */
  exitCode?: number;
  /** Path of the job's stdout file. */
  stdoutPath?: string;
  /** Path of the job's stderr file. */
  stderrPath?: string;
}

/** Options every provider shares (Parsl's names in camelCase). */
export interface ProviderOptions {
  /** Blocks started at once when the executor starts. @default 1 */
  initBlocks?: number;
  /** Fewest blocks kept. @default 0 */
  minBlocks?: number;
  /** Most blocks. @default 1 */
  maxBlocks?: number;
  /** Nodes per block. @default 1 */
  nodesPerBlock?: number;
  /** Ratio of slots to outstanding tasks the strategy aims for. @default 1 */
  parallelism?: number;
  /** Block walltime `HH:MM:SS`. @default "00:10:00" */
  walltime?: string;
  /** Shell lines run in the job before the worker command (module loads, env). */
  workerInit?: string;
  /** Prefixes the worker command (srun, mpiexec…). */
  launcher?: Launcher;
  /** Seconds a scheduler command may take. @default 10 */
  cmdTimeout?: number;
}

/**
 * A provider of blocks.
 *
 * @example
 * ```ts ignore
 * const id = await provider.submit("tsflow worker --interchange h:9000", 2, "tsflow.block.0");
 * const [st] = await provider.status([id]);
 * await provider.cancel([id]);
 * ```
 */
export interface ExecutionProvider {
  /** Short name for logs and YAML (`local`, `slurm`…). */
  readonly label: string;
  /** Shared options after defaults. */
  readonly options: Required<Omit<ProviderOptions, "launcher" | "workerInit">> & {
    launcher?: Launcher;
    workerInit: string;
  };
  /** Submits a block running `command`; returns the job id. */
  submit(command: string, tasksPerNode: number, jobName: string): Promise<string>;
  /** Status of many jobs in one call, in the order given. */
  status(jobIds: string[]): Promise<JobStatus[]>;
  /** Cancels jobs; returns, per job, whether it was cancelled. */
  cancel(jobIds: string[]): Promise<boolean[]>;
}
