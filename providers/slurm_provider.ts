/**
 * {@linkcode SlurmProvider}: blocks are Slurm batch jobs (`sbatch`, `squeue`, `sacct`, `scancel`).
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
import { runCommand } from "./command_runner.ts";
import { optionKeys } from "../dfk/option_keys.ts";
import { CLUSTER_OPTION_KEYS } from "./cluster_provider.ts";

/** Options of {@linkcode SlurmProvider}. */
export interface SlurmProviderOptions extends ClusterProviderOptions {
  /** Partition (`--partition`). */
  partition?: string;
  /** Account charged (`--account`). */
  account?: string;
  /** Quality of service (`--qos`). */
  qos?: string;
  /** Node features (`--constraint`). */
  constraint?: string;
  /** Whole nodes (`--exclusive`). @default true */
  exclusive?: boolean;
  /** Memory per node in GB (`--mem=<n>g`). */
  memPerNode?: number;
  /** Cores per node (`--cpus-per-task`). */
  coresPerNode?: number;
}

/**
 * Slurm's job states (short codes from `squeue %t`, long names from `sacct`) as tsflow's.
 * Completing jobs count as running: their processes are still ending.
 */
const STATES: Record<string, JobState> = {
  PD: "PENDING",
  PENDING: "PENDING",
  CF: "PENDING",
  CONFIGURING: "PENDING",
  RQ: "PENDING",
  REQUEUED: "PENDING",
  RF: "PENDING",
  RS: "PENDING",
  R: "RUNNING",
  RUNNING: "RUNNING",
  CG: "RUNNING",
  COMPLETING: "RUNNING",
  SO: "RUNNING",
  ST: "HELD",
  S: "HELD",
  SUSPENDED: "HELD",
  RH: "HELD",
  RD: "HELD",
  CD: "COMPLETED",
  COMPLETED: "COMPLETED",
  CA: "CANCELLED",
  CANCELLED: "CANCELLED",
  F: "FAILED",
  FAILED: "FAILED",
  NF: "FAILED",
  NODE_FAIL: "FAILED",
  BF: "FAILED",
  BOOT_FAIL: "FAILED",
  OOM: "FAILED",
  OUT_OF_MEMORY: "FAILED",
  DL: "TIMEOUT",
  DEADLINE: "TIMEOUT",
  TO: "TIMEOUT",
  TIMEOUT: "TIMEOUT",
  PR: "TIMEOUT",
  PREEMPTED: "TIMEOUT",
  RV: "FAILED",
  REVOKED: "FAILED",
  SE: "FAILED",
  SPECIAL_EXIT: "FAILED",
};

/**
 * Maps a Slurm state (`R`, `CD`, `CANCELLED by 0`…) to a tsflow job state.
 *
 * @param s The scheduler's state text.
 * @returns The job state (`UNKNOWN` if not recognised).
 *
 * @example
 * ```ts
 * import { slurmState } from "./slurm_provider.ts";
 * import assert from "node:assert/strict";
 * assert(slurmState("CANCELLED by 0") === "CANCELLED");
 * ```
 */
export function slurmState(s: string): JobState {
  return STATES[s.trim().split(/\s+/)[0]] ?? "UNKNOWN";
}

/** Parses a Slurm local time (`2026-11-28T12:43:30`) to epoch ms; `Unknown`/`N/A`/`NONE` → none. */
function slurmTime(s: string | undefined): number | undefined {
  if (!s || !/^\d{4}-\d\d-\d\dT/.test(s)) return undefined;
  const t = new Date(s).getTime();
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Parses the output of `sbatch --parsable` (`12` or `12;cluster`) or plain `sbatch`
 * (`Submitted batch job 12`).
 *
 * @param stdout sbatch's output.
 * @returns The job id, if any.
 *
 * @example
 * ```ts
 * import { parseSbatch } from "./slurm_provider.ts";
 * import assert from "node:assert/strict";
 * assert(parseSbatch("Submitted batch job 16\n") === "16");
 * ```
 */
export function parseSbatch(stdout: string): string | undefined {
  const m = /Submitted batch job (\d+)/.exec(stdout) ?? /^(\d+)(?:;\S+)?\s*$/m.exec(stdout.trim());
  return m?.[1];
}

/**
 * Parses `squeue -h -t all -o '%i|%t|%S|%e|%r'`.
 *
 * @param stdout squeue's output.
 * @returns Statuses by job id.
 *
 * @example
 * ```ts
 * import { parseSqueue } from "./slurm_provider.ts";
 * import assert from "node:assert/strict";
 * const m = parseSqueue("13|PD|N/A|N/A|Resources\n");
 * assert(m.get("13")?.state === "PENDING");
 * ```
 */
export function parseSqueue(stdout: string): Map<string, JobStatus> {
  const out = new Map<string, JobStatus>();
  for (const line of stdout.split("\n")) {
    const t = line.trim();
    const [id, st, start, end, reason] = t.includes("|") ? t.split("|") : t.split(/\s+/);
    if (!id || !st) continue;
    const status: JobStatus = {
      state: slurmState(st),
      message: reason && reason !== "None" ? reason : undefined,
    };
    if (status.state === "RUNNING") {
      status.startTime = slurmTime(start);
      status.endTime = slurmTime(end);
    }
    out.set(id, status);
  }
  return out;
}

/**
 * Parses `sacct -P -o JobID,State,ExitCode` (with or without `-c`; with `-n` the columns are
 * these three, else the header names them); job steps (`12.batch`) are skipped, `ExitCode` `3:0` gives exit code 3.
 *
 * @param stdout sacct's output.
 * @returns Statuses by job id.
 *
 * @example
 * ```ts
 * import { parseSacct } from "./slurm_provider.ts";
 * import assert from "node:assert/strict";
 * assert(parseSacct("9|FAILED|3:0\n").get("9")?.exitCode === 3);
 * ```
 */
export function parseSacct(stdout: string): Map<string, JobStatus> {
  const out = new Map<string, JobStatus>();
  const lines = stdout.split("\n").map((l) => l.trim()).filter((l) => l);
  // With a header line (no -n) the columns are named; else JobID|State|ExitCode.
  let cols = ["JobID", "State", "ExitCode"];
  if (lines[0]?.startsWith("JobID|")) cols = lines.shift()!.split("|");
  const [iId, iSt, iCode] = ["JobID", "State", "ExitCode"].map((c) => cols.indexOf(c));
  for (const line of lines) {
    const f = line.split("|");
    const [id, st, code] = [f[iId], f[iSt], iCode >= 0 ? f[iCode] : undefined];
    if (!id || !st || !/^\d+$/.test(id)) continue;
    const exit = /^(\d+):/.exec(code ?? "");
    out.set(id, {
      state: slurmState(st),
      exitCode: exit ? Number(exit[1]) : undefined,
      message: st,
    });
  }
  return out;
}

/**
 * Runs blocks as Slurm jobs. Status comes from `squeue -t all` (which keeps finished jobs for
 * `MinJobAge`, 300 s by default) and, for jobs gone from it, `sacct` — with `-c` (the job
 * completion log) when the cluster has no accounting storage. `scancel` exits 0 even for
 * unknown ids, so a cancel never fails on a job that already ended.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SlurmProvider } from "./slurm_provider.ts";
 * import { SrunLauncher } from "../launchers/srun_launcher.ts";
 * // Submitting blocks needs Slurm; making one and its YAML keys does not.
 * const p = new SlurmProvider({ partition: "debug", walltime: "00:30:00", launcher: new SrunLauncher() });
 * assert.equal(p.label, "slurm");
 * assert.ok(SlurmProvider.configKeys.includes("partition"));
 * ```
 */
export class SlurmProvider extends ClusterProvider<SlurmProviderOptions> {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = optionKeys<SlurmProviderOptions>()(
    ...CLUSTER_OPTION_KEYS,
    "partition",
    "account",
    "qos",
    "constraint",
    "exclusive",
    "memPerNode",
    "coresPerNode",
  );
  /** Name. */
  readonly label = "slurm";
  #sacctCompletionLog?: boolean;

  /**
   * Creates it.
   * @param opts Options.
   */
  constructor(opts: SlurmProviderOptions = {}) {
    super({ exclusive: true, ...opts });
  }

  /** Directive lines of the block script. */
  protected header(p: HeaderParams): string {
    const o = this.settings;
    return [
      `#SBATCH --job-name=${p.jobName}`,
      `#SBATCH --output=${p.stdoutPath}`,
      `#SBATCH --error=${p.stderrPath}`,
      `#SBATCH --nodes=${p.nodes}`,
      `#SBATCH --time=${p.walltime}`,
      `#SBATCH --ntasks-per-node=${p.tasksPerNode}`,
      o.coresPerNode ? `#SBATCH --cpus-per-task=${o.coresPerNode}` : "",
      o.memPerNode ? `#SBATCH --mem=${o.memPerNode}g` : "",
      o.exclusive ? "#SBATCH --exclusive" : "",
      o.partition ? `#SBATCH --partition=${o.partition}` : "",
      o.account ? `#SBATCH --account=${o.account}` : "",
      o.qos ? `#SBATCH --qos=${o.qos}` : "",
      o.constraint ? `#SBATCH --constraint=${o.constraint}` : "",
    ].filter((l) => l).join("\n");
  }

  /** The submit command line. */
  protected submitCommand(scriptPath: string): { argv: string[] } {
    return { argv: ["sbatch", "--parsable", scriptPath] };
  }

  /** The job id in the submit output. */
  protected parseSubmit(stdout: string): string | undefined {
    return parseSbatch(stdout);
  }

  /** One status command for many jobs. */
  protected statusCommand(jobIds: string[]): string[] {
    return ["squeue", "-h", "-t", "all", "-j", jobIds.join(","), "-o", "%i|%t|%S|%e|%r"];
  }

  /** Statuses found in the status output. */
  protected parseStatus(stdout: string): Map<string, JobStatus> {
    return parseSqueue(stdout);
  }

  /** The cancel command line. */
  protected cancelCommand(jobIds: string[]): string[] {
    return ["scancel", ...jobIds];
  }

  /** `squeue -j` of only purged ids exits 1 with "Invalid job id": an empty answer. */
  protected override acceptFailure(r: CommandResult): boolean {
    return /Invalid job id/i.test(r.stderr);
  }

  /** Looks up jobs that left the queue. */
  protected override async finishedLookup(jobIds: string[]): Promise<Map<string, JobStatus>> {
    const base = ["sacct", "-X", "-n", "-P", "-o", "JobID,State,ExitCode", "-j", jobIds.join(",")];
    const opts = { timeout: this.options.cmdTimeout, logger: this.logger };
    if (this.#sacctCompletionLog !== true) {
      const r = await runCommand(this.bin(base), opts);
      if (r.exitCode === 0) {
        this.#sacctCompletionLog = false;
        return parseSacct(r.stdout);
      }
      if (!/accounting storage is disabled/i.test(r.stdout + r.stderr)) return new Map();
      this.#sacctCompletionLog = true;
    }
    const c = await runCommand(this.bin(["sacct", "-c", ...base.slice(1)]), opts);
    return c.exitCode === 0 ? parseSacct(c.stdout) : new Map();
  }
}
