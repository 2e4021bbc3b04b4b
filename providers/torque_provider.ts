/**
 * {@linkcode TorqueProvider}: blocks are Torque / PBS jobs (`qsub`, `qstat`, `qdel`).
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
import { parsePbsQsub } from "./pbspro_provider.ts";
import { optionKeys } from "../dfk/option_keys.ts";
import { CLUSTER_OPTION_KEYS } from "./cluster_provider.ts";

/** Options of {@linkcode TorqueProvider}. */
export interface TorqueProviderOptions extends ClusterProviderOptions {
  /** Queue (`-q`). */
  queue?: string;
  /** Account (`-A`). */
  account?: string;
}

const TORQUE_STATES: Record<string, JobState> = {
  Q: "PENDING",
  W: "PENDING",
  T: "PENDING",
  R: "RUNNING",
  E: "RUNNING",
  H: "HELD",
  S: "HELD",
  C: "COMPLETED",
};

/**
 * Parses Torque's default `qstat` table (Job ID, Name, User, Time Use, S, Queue).
 *
 * @param stdout qstat's output.
 * @returns Statuses by job id.
 *
 * @example
 * ```ts
 * import { parseTorqueQstat } from "./torque_provider.ts";
 * import assert from "node:assert/strict";
 * const m = parseTorqueQstat("4807.srv  b0  alice  0 R batch\n");
 * assert(m.get("4807.srv")?.state === "RUNNING");
 * ```
 */
export function parseTorqueQstat(stdout: string): Map<string, JobStatus> {
  const out = new Map<string, JobStatus>();
  for (const line of stdout.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6 || !/^\d/.test(f[0])) continue;
    const s = f[f.length - 2];
    out.set(f[0], { state: TORQUE_STATES[s] ?? "UNKNOWN", message: s });
  }
  return out;
}

/**
 * Runs blocks as Torque jobs (`-l nodes=N:ppn=tasksPerNode`). Finished jobs stay in `qstat` as
 * `C` for the server's `keep_completed` time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TorqueProvider } from "./torque_provider.ts";
 * // Submitting blocks needs the scheduler; making one and its YAML keys does not.
 * const p = new TorqueProvider({ queue: "batch", walltime: "00:30:00" });
 * assert.equal(p.label, "torque");
 * assert.ok(TorqueProvider.configKeys.includes("queue"));
 * ```
 */
export class TorqueProvider extends ClusterProvider<TorqueProviderOptions> {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = optionKeys<TorqueProviderOptions>()(
    ...CLUSTER_OPTION_KEYS,
    "queue",
    "account",
  );
  /** Name. */
  readonly label = "torque";
  /** Directive lines of the block script. */
  protected header(p: HeaderParams): string {
    return [
      "#PBS -S /bin/bash",
      `#PBS -N ${p.jobName}`,
      "#PBS -m n",
      `#PBS -l walltime=${p.walltime}`,
      `#PBS -l nodes=${p.nodes}:ppn=${p.tasksPerNode}`,
      `#PBS -o ${p.stdoutPath}`,
      `#PBS -e ${p.stderrPath}`,
      this.settings.queue ? `#PBS -q ${this.settings.queue}` : "",
      this.settings.account ? `#PBS -A ${this.settings.account}` : "",
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
    return ["qstat", ...jobIds];
  }

  /** Statuses found in the status output. */
  protected parseStatus(stdout: string): Map<string, JobStatus> {
    return parseTorqueQstat(stdout);
  }

  /** The cancel command line. */
  protected cancelCommand(jobIds: string[]): string[] {
    return ["qdel", ...jobIds];
  }

  /** `qstat` / `qdel` of a purged id: "Unknown Job Id" (exit 153). */
  protected override acceptFailure(r: CommandResult): boolean {
    return /Unknown Job Id/i.test(r.stderr + r.stdout);
  }
}
