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
import type { Launcher } from "./launcher.ts";
import { optionKeys } from "./option_keys.ts";

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
  | "UNKNOWN"
  /** Deliberately scaled in by tsflow (never reported by a scheduler; Parsl's `SCALED_IN`). */
  | "SCALED_IN";

/** Terminal job states. */
export const TERMINAL_JOB_STATES: ReadonlySet<JobState> = new Set<JobState>([
  "CANCELLED",
  "COMPLETED",
  "FAILED",
  "TIMEOUT",
  "MISSING",
  "SCALED_IN",
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
  /** When the job started running (epoch ms), when known. */
  startTime?: number;
  /**
   * When the job's walltime ends (epoch ms), when known: the interchange uses it to avoid sending
   * a task to a pool that expires before the task could finish.
   */
  endTime?: number;
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

/** The keys of {@linkcode ProviderOptions}, for the YAML loader's "unknown option" check. */
export const PROVIDER_OPTION_KEYS = optionKeys<ProviderOptions>()(
  "initBlocks",
  "minBlocks",
  "maxBlocks",
  "nodesPerBlock",
  "parallelism",
  "walltime",
  "workerInit",
  "launcher",
  "cmdTimeout",
);

/**
 * A provider of blocks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ExecutionProvider } from "../mod.ts";
 * import { LocalProvider } from "../providers/local_provider.ts";
 * const provider: ExecutionProvider = new LocalProvider();
 * provider.scriptDir = Deno.makeTempDirSync();
 * const id = await provider.submit("sleep 60", 1, "tsflow.block.0");
 * const [st] = await provider.status([id]);
 * assert.equal(st.state, "RUNNING");
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
  /**
   * Directory for batch scripts and job stdout/stderr. The executor sets it (to
   * `<runDir>/submit_scripts`) before the first `submit`, as Parsl does; providers fall back to
   * `runinfo/submit_scripts` under the working directory.
   */
  scriptDir?: string;
  /** Where the provider logs scheduler commands and their failures; the executor sets it. */
  logger?: ProviderLogger;
}

/** The few logger methods a provider uses (`dfk/logger.ts`'s `Logger` fits). */
export interface ProviderLogger {
  /** Routine events (commands run). */
  debug(msg: string, data?: unknown): void;
  /** Block submitted/cancelled. */
  info(msg: string, data?: unknown): void;
  /** A scheduler command failed and will be retried. */
  warn(msg: string, data?: unknown): void;
  /** A failure the caller sees. */
  error(msg: string, data?: unknown): void;
}
