/**
 * {@linkcode PBSProProvider}: blocks are PBS Professional / OpenPBS jobs (`qsub`,
 * `qstat -f -F json -x`, `qdel`).
 *
 * @module
 */
import type { JobState, JobStatus } from "./execution_provider.ts";
import {
  ClusterProvider,
  type ClusterProviderOptions,
  type HeaderParams,
} from "./cluster_provider.ts";
import type { CommandResult } from "./command_runner.ts";
import { optionKeys } from "../dfk/option_keys.ts";
import { CLUSTER_OPTION_KEYS } from "./cluster_provider.ts";

/** Options of {@linkcode PBSProProvider}. */
export interface PBSProProviderOptions extends ClusterProviderOptions {
  /** Queue (`-q`). */
  queue?: string;
  /** Account (`-A`). */
  account?: string;
  /** CPUs per node in the `select` statement. @default 1 */
  cpusPerNode?: number;
  /** Extra `select` resources, e.g. `mem=16gb:ngpus=1`. */
  selectOptions?: string;
}

const PBS_STATES: Record<string, JobState> = {
  Q: "PENDING",
  W: "PENDING",
  T: "PENDING",
  M: "PENDING",
  R: "RUNNING",
  E: "RUNNING",
  B: "RUNNING",
  H: "HELD",
  S: "HELD",
  U: "HELD",
  F: "COMPLETED",
  X: "COMPLETED",
  C: "COMPLETED",
};

/**
 * Maps a PBS `job_state` letter to a tsflow state (finished `F` jobs are refined by exit status).
 *
 * @param s The letter.
 * @returns The job state.
 *
 * @example
 * ```ts
 * import { pbsState } from "./pbspro_provider.ts";
 * import assert from "node:assert/strict";
 * assert(pbsState("Q") === "PENDING");
 * ```
 */
export function pbsState(s: string): JobState {
  return PBS_STATES[s.trim()] ?? "UNKNOWN";
}

/**
 * Parses `qsub`'s output, the job id `<sequence>.<server>`.
 *
 * @param stdout qsub's output.
 * @returns The job id, if any.
 *
 * @example
 * ```ts
 * import { parsePbsQsub } from "./pbspro_provider.ts";
 * import assert from "node:assert/strict";
 * assert(parsePbsQsub("1234.pbs-server\n") === "1234.pbs-server");
 * ```
 */
export function parsePbsQsub(stdout: string): string | undefined {
  return /^(\d+(?:\[\])?(?:\.[\w.-]+)?)\s*$/m.exec(stdout.trim())?.[1];
}

/**
 * Parses `qstat -f -F json`: `Jobs` keyed by id, each with `job_state` and, once finished,
 * `Exit_status` (non-zero: FAILED; PBS reports walltime kills as -29 (JOB_EXEC_KILL_WALLTIME)).
 *
 * @param stdout qstat's output (JSON, possibly after warning lines).
 * @returns Statuses by job id.
 *
 * @example
 * ```ts
 * import { parsePbsQstatJson } from "./pbspro_provider.ts";
 * import assert from "node:assert/strict";
 * const m = parsePbsQstatJson('{"Jobs":{"1.s":{"job_state":"R"}}}');
 * assert(m.get("1.s")?.state === "RUNNING");
 * ```
 */
export function parsePbsQstatJson(stdout: string): Map<string, JobStatus> {
  const out = new Map<string, JobStatus>();
  const start = stdout.indexOf("{");
  if (start < 0) return out;
  const doc = JSON.parse(stdout.slice(start)) as {
    Jobs?: Record<string, { job_state?: string; Exit_status?: number; stime?: string }>;
  };
  for (const [id, job] of Object.entries(doc.Jobs ?? {})) {
    let state = pbsState(job.job_state ?? "");
    const exitCode = job.Exit_status;
    if (state === "COMPLETED" && exitCode !== undefined && exitCode !== 0) {
      state = exitCode === -29 ? "TIMEOUT" : "FAILED";
    }
    const st: JobStatus = { state, exitCode, message: job.job_state };
    if (state === "RUNNING" && job.stime) st.startTime = new Date(job.stime).getTime() || undefined;
    out.set(id, st);
  }
  return out;
}

/**
 * Runs blocks as PBS Pro jobs. `qstat -x` keeps finished jobs in the listing (job history), so
 * one call reports every block.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PBSProProvider } from "./pbspro_provider.ts";
 * // Submitting blocks needs the scheduler; making one and its YAML keys does not.
 * const p = new PBSProProvider({ queue: "workq", cpusPerNode: 32, walltime: "01:00:00" });
 * assert.equal(p.label, "pbspro");
 * assert.ok(PBSProProvider.configKeys.includes("cpusPerNode"));
 * ```
 */
export class PBSProProvider extends ClusterProvider<PBSProProviderOptions> {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = optionKeys<PBSProProviderOptions>()(
    ...CLUSTER_OPTION_KEYS,
    "queue",
    "account",
    "cpusPerNode",
    "selectOptions",
  );
  /** Name. */
  readonly label = "pbspro";
  /** Directive lines of the block script. */
  protected header(p: HeaderParams): string {
    const o = this.settings;
    const select = [`select=${p.nodes}`, `ncpus=${o.cpusPerNode ?? 1}`, o.selectOptions].filter((
      s,
    ) => s).join(":");
    return [
      "#PBS -S /bin/bash",
      `#PBS -N ${p.jobName}`,
      "#PBS -m n",
      `#PBS -l walltime=${p.walltime}`,
      `#PBS -l ${select}`,
      `#PBS -o ${p.stdoutPath}`,
      `#PBS -e ${p.stderrPath}`,
      o.queue ? `#PBS -q ${o.queue}` : "",
      o.account ? `#PBS -A ${o.account}` : "",
    ].filter((l) => l).join("\n");
  }

  /** PBS starts jobs in the home folder; `$PBS_O_WORKDIR` is where qsub ran (the driver's). */
  protected override startDir(): string {
    return '"$PBS_O_WORKDIR"';
  }

  /** The submit command line. */
  protected submitCommand(scriptPath: string): { argv: string[] } {
    return { argv: ["qsub", scriptPath] };
  }

  /** The job id in the submit output. */
  protected parseSubmit(stdout: string): string | undefined {
    return parsePbsQsub(stdout);
  }

  /** One status command for many jobs. */
  protected statusCommand(jobIds: string[]): string[] {
    return ["qstat", "-f", "-F", "json", "-x", ...jobIds];
  }

  /** Statuses found in the status output. */
  protected parseStatus(stdout: string): Map<string, JobStatus> {
    return parsePbsQstatJson(stdout);
  }

  /** The cancel command line. */
  protected cancelCommand(jobIds: string[]): string[] {
    return ["qdel", ...jobIds];
  }

  /** Unknown or already-finished ids make qstat/qdel exit non-zero after printing the rest. */
  protected override acceptFailure(r: CommandResult): boolean {
    return /Unknown Job Id|Job has finished/i.test(r.stderr + r.stdout);
  }
}
