/**
 * {@linkcode LSFProvider}: blocks are IBM Spectrum LSF jobs (`bsub`, `bjobs -o`, `bkill`).
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
import { walltimeMinutes } from "./_walltime.ts";
import { optionKeys } from "../dfk/option_keys.ts";
import { CLUSTER_OPTION_KEYS } from "./cluster_provider.ts";

/** Options of {@linkcode LSFProvider}. */
export interface LSFProviderOptions extends ClusterProviderOptions {
  /** Queue (`-q`). */
  queue?: string;
  /** Project (`-P`). */
  project?: string;
  /** Request whole nodes with `-nnodes` (Summit-style CSM clusters) instead of `-n` slots. */
  requestByNodes?: boolean;
}

const LSF_STATES: Record<string, JobState> = {
  PEND: "PENDING",
  WAIT: "PENDING",
  PROV: "PENDING",
  RUN: "RUNNING",
  DONE: "COMPLETED",
  EXIT: "FAILED",
  PSUSP: "HELD",
  USUSP: "HELD",
  SSUSP: "HELD",
  UNKWN: "UNKNOWN",
  ZOMBI: "FAILED",
};

/**
 * Parses `bsub`'s answer `Job <5521> is submitted to queue <normal>.`
 *
 * @param stdout bsub's output.
 * @returns The job id, if any.
 *
 * @example
 * ```ts
 * import { parseBsub } from "./lsf_provider.ts";
 * import assert from "node:assert/strict";
 * assert(parseBsub("Job <5521> is submitted to queue <normal>.") === "5521");
 * ```
 */
export function parseBsub(stdout: string): string | undefined {
  return /Job <(\d+)> is submitted/.exec(stdout)?.[1];
}

/**
 * Parses `bjobs -noheader -o 'jobid stat exit_code delimiter="|"'`; "not found" lines are skipped.
 *
 * @param stdout bjobs' output.
 * @returns Statuses by job id.
 *
 * @example
 * ```ts
 * import { parseBjobs } from "./lsf_provider.ts";
 * import assert from "node:assert/strict";
 * assert(parseBjobs("5524|EXIT|3\n").get("5524")?.exitCode === 3);
 * ```
 */
export function parseBjobs(stdout: string): Map<string, JobStatus> {
  const out = new Map<string, JobStatus>();
  for (const line of stdout.split("\n")) {
    const [id, st, code] = line.trim().split("|");
    if (!id || !st || !/^\d+$/.test(id)) continue;
    const exitCode = code && /^\d+$/.test(code) ? Number(code) : st === "DONE" ? 0 : undefined;
    out.set(id, { state: LSF_STATES[st] ?? "UNKNOWN", exitCode, message: st });
  }
  return out;
}

/**
 * Runs blocks as LSF jobs; the script is fed to `bsub` on standard input so its `#BSUB` lines
 * are read. Walltime is whole minutes (`-W`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LSFProvider } from "./lsf_provider.ts";
 * // Submitting blocks needs the scheduler; making one and its YAML keys does not.
 * const p = new LSFProvider({ project: "ABC123", requestByNodes: true });
 * assert.equal(p.label, "lsf");
 * assert.ok(LSFProvider.configKeys.includes("project"));
 * ```
 */
export class LSFProvider extends ClusterProvider<LSFProviderOptions> {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = optionKeys<LSFProviderOptions>()(
    ...CLUSTER_OPTION_KEYS,
    "queue",
    "project",
    "requestByNodes",
  );
  /** Name. */
  readonly label = "lsf";
  /** Directive lines of the block script. */
  protected header(p: HeaderParams): string {
    const o = this.settings;
    const size = o.requestByNodes
      ? [`#BSUB -nnodes ${p.nodes}`]
      : [`#BSUB -n ${p.tasksPerNode * p.nodes}`, `#BSUB -R "span[ptile=${p.tasksPerNode}]"`];
    return [
      `#BSUB -J ${p.jobName}`,
      `#BSUB -o ${p.stdoutPath}`,
      `#BSUB -e ${p.stderrPath}`,
      `#BSUB -W ${walltimeMinutes(p.walltime)}`,
      ...size,
      o.queue ? `#BSUB -q ${o.queue}` : "",
      o.project ? `#BSUB -P ${o.project}` : "",
    ].filter((l) => l).join("\n");
  }

  /** The submit command line. */
  protected submitCommand(scriptPath: string): { argv: string[]; stdin: string } {
    return { argv: ["bsub"], stdin: Deno.readTextFileSync(scriptPath) };
  }

  /** The job id in the submit output. */
  protected parseSubmit(stdout: string): string | undefined {
    return parseBsub(stdout);
  }

  /** One status command for many jobs. */
  protected statusCommand(jobIds: string[]): string[] {
    return ["bjobs", "-noheader", "-o", 'jobid stat exit_code delimiter="|"', ...jobIds];
  }

  /** Statuses found in the status output. */
  protected parseStatus(stdout: string): Map<string, JobStatus> {
    return parseBjobs(stdout);
  }

  /** The cancel command line. */
  protected cancelCommand(jobIds: string[]): string[] {
    return ["bkill", ...jobIds];
  }

  /** Unknown ids ("is not found") and finished ones ("already finished") exit 255. */
  protected override acceptFailure(r: CommandResult): boolean {
    return /is not found|already finished/i.test(r.stdout + r.stderr);
  }
}
