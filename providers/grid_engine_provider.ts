/**
 * {@linkcode GridEngineProvider}: blocks are (Son of / Univa / Open) Grid Engine jobs
 * (`qsub`, `qstat -xml`, `qacct`, `qdel`).
 *
 * @module
 */
import type { JobState, JobStatus } from "./execution_provider.ts";
import {
  ClusterProvider,
  type ClusterProviderOptions,
  type HeaderParams,
} from "./cluster_provider.ts";
import { type CommandResult, runCommand } from "./command_runner.ts";
import { optionKeys } from "../dfk/option_keys.ts";
import { CLUSTER_OPTION_KEYS } from "./cluster_provider.ts";

/** Options of {@linkcode GridEngineProvider}. */
export interface GridEngineProviderOptions extends ClusterProviderOptions {
  /** Queue (`-q`). */
  queue?: string;
  /** Parallel environment for multi-slot blocks (`-pe <pe> <slots>`); slots = tasksPerNode × nodes. */
  parallelEnvironment?: string;
  /** Project (`-P`). */
  project?: string;
}

/**
 * Maps a Grid Engine state code (`qw`, `r`, `hqw`, `Eqw`, `dr`…) to a tsflow job state: an
 * `E` (error) is FAILED, `d` (being deleted) CANCELLED, `h` HELD, `s`/`S`/`T` (suspended) HELD.
 *
 * @param s The state code.
 * @returns The job state.
 *
 * @example
 * ```ts
 * import { gridEngineState } from "./grid_engine_provider.ts";
 * import assert from "node:assert/strict";
 * assert(gridEngineState("Eqw") === "FAILED");
 * ```
 */
export function gridEngineState(s: string): JobState {
  if (s.includes("E")) return "FAILED";
  if (s.includes("d")) return "CANCELLED";
  if (s.includes("h") || /[sST]/.test(s)) return "HELD";
  if (s.includes("r") || s.includes("t")) return "RUNNING";
  if (s.includes("q") || s.includes("w")) return "PENDING";
  if (s === "z") return "COMPLETED";
  return "UNKNOWN";
}

/**
 * Parses `qsub -terse` output (the bare id, `7` or `7.1-10:1` for arrays) and the verbose
 * `Your job 2 ("x") has been submitted`.
 *
 * @param stdout qsub's output.
 * @returns The job id, if any.
 *
 * @example
 * ```ts
 * import { parseQsubTerse } from "./grid_engine_provider.ts";
 * import assert from "node:assert/strict";
 * assert(parseQsubTerse("3\n") === "3");
 * ```
 */
export function parseQsubTerse(stdout: string): string | undefined {
  const m = /Your job(?:-array)? (\d+)/.exec(stdout) ?? /^(\d+)(?:\.\S+)?$/m.exec(stdout.trim());
  return m?.[1];
}

/**
 * Parses `qstat -xml`: every `<job_list>` with its number, state and start time.
 *
 * @param xml qstat's output.
 * @returns Statuses by job id.
 *
 * @example
 * ```ts
 * import { parseQstatXml } from "./grid_engine_provider.ts";
 * import assert from "node:assert/strict";
 * const x = "<job_list><JB_job_number>8</JB_job_number><state>qw</state></job_list>";
 * assert(parseQstatXml(x).get("8")?.state === "PENDING");
 * ```
 */
export function parseQstatXml(xml: string): Map<string, JobStatus> {
  const out = new Map<string, JobStatus>();
  const tag = (body: string, name: string) =>
    new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
  for (const m of xml.matchAll(/<job_list[^>]*>([\s\S]*?)<\/job_list>/g)) {
    const id = tag(m[1], "JB_job_number");
    const st = tag(m[1], "state");
    if (!id || !st) continue;
    const status: JobStatus = { state: gridEngineState(st), message: st };
    const start = tag(m[1], "JAT_start_time");
    if (status.state === "RUNNING" && start) status.startTime = new Date(start).getTime();
    out.set(id, status);
  }
  return out;
}

/**
 * Parses `qacct -j ID` for a finished job: `failed` 37 (qmaster enforced h_rt) is TIMEOUT;
 * other non-zero `failed` values with exit 137 after a `qdel` are CANCELLED; `exit_status` 0 is
 * COMPLETED, anything else FAILED.
 *
 * @param stdout qacct's output.
 * @returns The status, or none when the job has no record.
 *
 * @example
 * ```ts
 * import { parseQacct } from "./grid_engine_provider.ts";
 * import assert from "node:assert/strict";
 * assert(parseQacct("failed       0\nexit_status  3\n")?.state === "FAILED");
 * ```
 */
export function parseQacct(stdout: string): JobStatus | undefined {
  const field = (name: string) => new RegExp(`^${name}\\s+(.*)$`, "m").exec(stdout)?.[1].trim();
  const failedText = field("failed");
  const exitText = field("exit_status");
  if (failedText === undefined || exitText === undefined) return undefined;
  const failed = parseInt(failedText, 10);
  const exitCode = parseInt(exitText, 10);
  let state: JobState = exitCode === 0 ? "COMPLETED" : "FAILED";
  if (failed === 37) state = "TIMEOUT";
  else if (failed !== 0 && exitCode === 137) state = "CANCELLED";
  else if (failed !== 0) state = "FAILED";
  return { state, exitCode, message: failed ? `failed ${failedText}` : `exit_status ${exitText}` };
}

/**
 * Runs blocks as Grid Engine jobs. A finished job leaves `qstat` at once; its end is read from
 * `qacct` (records appear within the accounting flush time, one second on the test cluster).
 * `h_rt` is the walltime, enforced to the second.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GridEngineProvider } from "./grid_engine_provider.ts";
 * // Submitting blocks needs the scheduler; making one and its YAML keys does not.
 * const p = new GridEngineProvider({ queue: "all.q", walltime: "01:00:00" });
 * assert.equal(p.label, "gridengine");
 * assert.ok(GridEngineProvider.configKeys.includes("queue"));
 * ```
 */
export class GridEngineProvider extends ClusterProvider<GridEngineProviderOptions> {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = optionKeys<GridEngineProviderOptions>()(
    ...CLUSTER_OPTION_KEYS,
    "queue",
    "parallelEnvironment",
    "project",
  );
  /** Name. */
  readonly label = "gridengine";
  /** Grid Engine job names may not start with a digit nor hold `/:@\*?`. */
  protected override jobNameFor(jobName: string): string {
    const n = jobName.replace(/[^\w.-]/g, "_");
    return /^\d/.test(n) ? `j${n}` : n;
  }

  /** Directive lines of the block script. */
  protected header(p: HeaderParams): string {
    const o = this.settings;
    return [
      "#$ -S /bin/bash",
      `#$ -N ${p.jobName}`,
      `#$ -o ${p.stdoutPath}`,
      `#$ -e ${p.stderrPath}`,
      "#$ -cwd",
      `#$ -l h_rt=${p.walltime}`,
      o.queue ? `#$ -q ${o.queue}` : "",
      o.parallelEnvironment ? `#$ -pe ${o.parallelEnvironment} ${p.tasksPerNode * p.nodes}` : "",
      o.project ? `#$ -P ${o.project}` : "",
    ].filter((l) => l).join("\n");
  }

  /** The submit command line. */
  protected submitCommand(scriptPath: string): { argv: string[] } {
    return { argv: ["qsub", "-terse", scriptPath] };
  }

  /** The job id in the submit output. */
  protected parseSubmit(stdout: string): string | undefined {
    return parseQsubTerse(stdout);
  }

  /** `qstat` cannot select jobs by id in list form; the XML listing of the user's jobs is one call. */
  protected statusCommand(_jobIds: string[]): string[] {
    return ["qstat", "-xml"];
  }

  /** Statuses found in the status output. */
  protected parseStatus(stdout: string): Map<string, JobStatus> {
    return parseQstatXml(stdout);
  }

  /** The cancel command line. */
  protected cancelCommand(jobIds: string[]): string[] {
    return ["qdel", ...jobIds];
  }

  /** `qdel` exits 1 for jobs that already ended ("does not exist"). */
  protected override acceptFailure(r: CommandResult): boolean {
    return /does not exist/.test(r.stdout + r.stderr);
  }

  /** Looks up jobs that left the queue. */
  protected override async finishedLookup(jobIds: string[]): Promise<Map<string, JobStatus>> {
    const out = new Map<string, JobStatus>();
    // qacct takes one job per call; only jobs that just left the queue get here, so few.
    for (const id of jobIds) {
      const r = await runCommand(this.bin(["qacct", "-j", id]), {
        timeout: this.options.cmdTimeout,
        logger: this.logger,
      });
      const st = r.exitCode === 0 ? parseQacct(r.stdout) : undefined;
      if (st) out.set(id, st);
    }
    return out;
  }
}
