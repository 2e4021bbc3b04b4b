/**
 * {@linkcode CondorProvider}: blocks are HTCondor jobs (`condor_submit`, `condor_q`,
 * `condor_history`, `condor_rm`).
 *
 * @module
 */
import type { JobState, JobStatus } from "./execution_provider.ts";
import {
  ClusterProvider,
  type ClusterProviderOptions,
  type HeaderParams,
} from "./cluster_provider.ts";
import { runCommand } from "./command_runner.ts";
import { walltimeSeconds } from "./_walltime.ts";
import { optionKeys } from "../dfk/option_keys.ts";
import { CLUSTER_OPTION_KEYS } from "./cluster_provider.ts";

/** Options of {@linkcode CondorProvider}. */
export interface CondorProviderOptions extends ClusterProviderOptions {
  /** `request_cpus`. @default tasksPerNode */
  cores?: number;
  /** `request_memory` in MB. */
  memoryMb?: number;
  /** Extra ClassAd requirements expression. */
  requirements?: string;
  /** Project name (`+ProjectName`). */
  project?: string;
  /** Extra submit-description lines (besides `schedulerOptions`, which go in the script). */
  submitOptions?: string;
}

/**
 * Maps HTCondor's numeric `JobStatus` (1 Idle, 2 Running, 3 Removed, 4 Completed, 5 Held,
 * 6 Transferring Output, 7 Suspended) and `ExitCode` to a tsflow state.
 *
 * @param code JobStatus.
 * @param exitCode ExitCode, when known.
 * @returns The job state.
 *
 * @example
 * ```ts
 * import { condorState } from "./condor_provider.ts";
 * import assert from "node:assert/strict";
 * assert(condorState(4, 3) === "FAILED");
 * ```
 */
export function condorState(code: number, exitCode?: number): JobState {
  switch (code) {
    case 1:
      return "PENDING";
    case 2:
    case 6:
      return "RUNNING";
    case 3:
      return "CANCELLED";
    case 4:
      return exitCode !== undefined && exitCode !== 0 ? "FAILED" : "COMPLETED";
    case 5:
    case 7:
      return "HELD";
    default:
      return "UNKNOWN";
  }
}

/**
 * Parses `condor_submit`'s `N job(s) submitted to cluster C.`
 *
 * @param stdout condor_submit's output.
 * @returns The cluster id, if any.
 *
 * @example
 * ```ts
 * import { parseCondorSubmit } from "./condor_provider.ts";
 * import assert from "node:assert/strict";
 * assert(parseCondorSubmit("1 job(s) submitted to cluster 42.") === "42");
 * ```
 */
export function parseCondorSubmit(stdout: string): string | undefined {
  return /submitted to cluster (\d+)/.exec(stdout)?.[1];
}

/**
 * Parses `condor_q`/`condor_history … -af:j JobStatus ExitCode` lines (`42.0 2 undefined`); the
 * id is the cluster.
 *
 * @param stdout The command's output.
 * @returns Statuses by cluster id.
 *
 * @example
 * ```ts
 * import { parseCondorAf } from "./condor_provider.ts";
 * import assert from "node:assert/strict";
 * assert(parseCondorAf("42.0 2 undefined\n").get("42")?.state === "RUNNING");
 * ```
 */
export function parseCondorAf(stdout: string): Map<string, JobStatus> {
  const out = new Map<string, JobStatus>();
  for (const line of stdout.split("\n")) {
    const [id, status, exit] = line.trim().split(/\s+/);
    const m = /^(\d+)\.\d+$/.exec(id ?? "");
    if (!m || !/^\d+$/.test(status ?? "")) continue;
    const exitCode = /^-?\d+$/.test(exit ?? "") ? Number(exit) : undefined;
    out.set(m[1], {
      state: condorState(Number(status), exitCode),
      exitCode,
      message: `JobStatus ${status}`,
    });
  }
  return out;
}

/**
 * Runs blocks as HTCondor vanilla-universe jobs: the block script is the executable of a submit
 * description written beside it; walltime is enforced by a `periodic_remove` expression.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CondorProvider } from "./condor_provider.ts";
 * // Submitting blocks needs the scheduler; making one and its YAML keys does not.
 * const p = new CondorProvider({ cores: 4, memoryMb: 8000 });
 * assert.equal(p.label, "condor");
 * assert.ok(CondorProvider.configKeys.includes("memoryMb"));
 * ```
 */
export class CondorProvider extends ClusterProvider<CondorProviderOptions> {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = optionKeys<CondorProviderOptions>()(
    ...CLUSTER_OPTION_KEYS,
    "cores",
    "memoryMb",
    "requirements",
    "project",
    "submitOptions",
  );
  /** Name. */
  readonly label = "condor";
  #tasksPerNode = 1;

  /** The script has no directives; they go in the submit description. */
  protected header(p: HeaderParams): string {
    this.#tasksPerNode = p.tasksPerNode;
    return "";
  }

  /**
   * Renders the submit description for a script.
   * @param scriptPath The block script.
   * @returns Its text.
   */
  submitDescription(scriptPath: string): string {
    const o = this.settings;
    const wall = walltimeSeconds(this.options.walltime);
    return [
      "universe = vanilla",
      "executable = /bin/bash",
      `arguments = ${scriptPath}`,
      `output = ${scriptPath}.stdout`,
      `error = ${scriptPath}.stderr`,
      `log = ${scriptPath}.log`,
      "should_transfer_files = NO",
      "getenv = true",
      `request_cpus = ${o.cores ?? this.#tasksPerNode}`,
      o.memoryMb ? `request_memory = ${o.memoryMb}` : "",
      o.requirements ? `requirements = ${o.requirements}` : "",
      o.project ? `+ProjectName = "${o.project}"` : "",
      `periodic_remove = JobStatus == 2 && (time() - EnteredCurrentStatus) > ${wall}`,
      "leave_in_queue = false",
      o.submitOptions ?? "",
      "queue",
      "",
    ].filter((l, i, a) => l !== "" || i === a.length - 1).join("\n");
  }

  /** The submit command line. */
  protected submitCommand(scriptPath: string): { argv: string[] } {
    const sub = `${scriptPath}.condor`;
    Deno.writeTextFileSync(sub, this.submitDescription(scriptPath));
    return { argv: ["condor_submit", sub] };
  }

  /** The job id in the submit output. */
  protected parseSubmit(stdout: string): string | undefined {
    return parseCondorSubmit(stdout);
  }

  /** One status command for many jobs. */
  protected statusCommand(jobIds: string[]): string[] {
    return ["condor_q", ...jobIds, "-af:j", "JobStatus", "ExitCode"];
  }

  /** Statuses found in the status output. */
  protected parseStatus(stdout: string): Map<string, JobStatus> {
    return parseCondorAf(stdout);
  }

  /** The cancel command line. */
  protected cancelCommand(jobIds: string[]): string[] {
    return ["condor_rm", ...jobIds];
  }

  /** Jobs that left the queue are in the history. */
  protected override async finishedLookup(jobIds: string[]): Promise<Map<string, JobStatus>> {
    const r = await runCommand(
      this.bin(["condor_history", ...jobIds, "-af:j", "JobStatus", "ExitCode"]),
      {
        timeout: this.options.cmdTimeout,
        logger: this.logger,
      },
    );
    return r.exitCode === 0 ? parseCondorAf(r.stdout) : new Map();
  }
}
