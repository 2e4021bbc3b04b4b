/**
 * {@linkcode ClusterProvider}: what every batch-scheduler provider shares — writing the block
 * script, submitting it, batched status queries with a fallback for finished jobs, cancelling —
 * leaving each scheduler only its directives, command lines and output parsers.
 *
 * @module
 */
import type {
  ExecutionProvider,
  JobStatus,
  ProviderLogger,
  ProviderOptions,
} from "./execution_provider.ts";
import { PROVIDER_OPTION_KEYS, TERMINAL_JOB_STATES } from "./execution_provider.ts";
import {
  blockScript,
  defaultScriptDir,
  type ResolvedProviderOptions,
  resolveProviderOptions,
} from "./batch_script.ts";
import { walltimeSeconds } from "./_walltime.ts";
import { type CommandResult, runChecked, runCommand } from "./command_runner.ts";
import { commandLine } from "./shell_quote.ts";
import { SubmitException } from "./errors.ts";
import { optionKeys } from "../dfk/option_keys.ts";

/** Options every batch-scheduler provider takes. */
export interface ClusterProviderOptions extends ProviderOptions {
  /** Extra directive lines placed in the script header verbatim. @default "" */
  schedulerOptions?: string;
  /**
   * Directory holding the scheduler's commands, when they are not on `PATH`
   * (e.g. `/opt/slurm/bin`). @default commands are looked up on PATH
   */
  commandDir?: string;
  /** Extra attempts of a failed status or cancel command. @default 2 */
  commandRetries?: number;
  /**
   * Seconds a job may be absent from the scheduler's queue and accounting before it is reported
   * `MISSING` (accounting records can lag the queue). @default 30
   */
  missingGrace?: number;
}

/** The keys of {@linkcode ClusterProviderOptions}, which every batch-scheduler provider takes. */
export const CLUSTER_OPTION_KEYS = optionKeys<ClusterProviderOptions>()(
  ...PROVIDER_OPTION_KEYS,
  "schedulerOptions",
  "commandDir",
  "commandRetries",
  "missingGrace",
);

/** What a scheduler's header needs. */
export interface HeaderParams {
  /** Job name. */
  jobName: string;
  /** Path for the job's stdout. */
  stdoutPath: string;
  /** Path for the job's stderr. */
  stderrPath: string;
  /** Worker copies per node. */
  tasksPerNode: number;
  /** Nodes. */
  nodes: number;
  /** Walltime `HH:MM:SS`. */
  walltime: string;
  /** Script directory. */
  scriptDir: string;
}

interface JobRecord {
  jobName: string;
  status: JobStatus;
  lastSeen: number;
  cancelled: boolean;
}

/**
 * Base of the batch-scheduler providers. Subclasses give the header, the submit/status/cancel
 * command lines and the parsers; this class runs them bounded by `cmdTimeout`, retries the
 * read-only ones, queries all live jobs in one status call, and never re-queries finished jobs.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a sketch: a subclass implements its scheduler's commands, as slurm_provider.ts does.
 * class MyProvider extends ClusterProvider { ... }
 * ```
 */
export abstract class ClusterProvider<O extends ClusterProviderOptions = ClusterProviderOptions>
  implements ExecutionProvider {
  /** Short name. */
  abstract readonly label: string;
  /**
   * Shared options with defaults applied. Internal, not public API.
   * @ignore
   */
  readonly options: ResolvedProviderOptions;
  /** Where scripts and job output go; set by the executor. */
  scriptDir?: string;
  /** Logger; set by the executor. */
  logger?: ProviderLogger;
  /** The options as given, scheduler-specific ones included. */
  protected readonly settings: O;
  /** Extra directive lines. */
  protected readonly schedulerOptions: string;
  #retries: number;
  #missingGrace: number;
  #commandDir?: string;
  #jobs = new Map<string, JobRecord>();

  /**
   * Creates it.
   * @param opts Options.
   * @param defaults Provider-specific defaults.
   */
  constructor(opts: O = {} as O, defaults: Partial<ProviderOptions> = {}) {
    this.settings = opts;
    this.options = resolveProviderOptions(opts, defaults);
    this.schedulerOptions = opts.schedulerOptions ?? "";
    this.#retries = opts.commandRetries ?? 2;
    this.#missingGrace = opts.missingGrace ?? 30;
    this.#commandDir = opts.commandDir;
  }

  /** argv with the program taken from `commandDir` when one is set. */
  protected bin(argv: string[]): string[] {
    return this.#commandDir ? [`${this.#commandDir}/${argv[0]}`, ...argv.slice(1)] : argv;
  }

  /** Directive lines for the script header. */
  protected abstract header(p: HeaderParams): string;
  /**
   * The folder a job must `cd` to, as a shell word, when the scheduler does not start jobs in the
   * folder they were submitted from; undefined when it does.
   * @returns A shell word, or undefined.
   */
  protected startDir(): string | undefined {
    return undefined;
  }
  /** The submit command for a script. */
  protected abstract submitCommand(scriptPath: string): { argv: string[]; stdin?: string };
  /** The job id in the submit command's output, if there is one. */
  protected abstract parseSubmit(stdout: string): string | undefined;
  /** One command that reports many jobs. */
  protected abstract statusCommand(jobIds: string[]): string[];
  /** Statuses found in the status command's output, by job id. */
  protected abstract parseStatus(stdout: string): Map<string, JobStatus>;
  /** The cancel command. */
  protected abstract cancelCommand(jobIds: string[]): string[];
  /** Whether a failed status/cancel run is a normal answer (e.g. "no such job"). */
  protected acceptFailure(_r: CommandResult): boolean {
    return false;
  }
  /** Looks up jobs gone from the queue (accounting); none by default. */
  protected finishedLookup(_jobIds: string[]): Promise<Map<string, JobStatus>> {
    return Promise.resolve(new Map());
  }
  /** Job name as the scheduler allows it. */
  protected jobNameFor(jobName: string): string {
    return jobName.replace(/[^\w.-]/g, "_");
  }
  /** Runs a read-only or idempotent scheduler command, bounded and retried. */
  protected run(argv: string[]): Promise<CommandResult> {
    return runChecked(this.bin(argv), {
      timeout: this.options.cmdTimeout,
      retries: this.#retries,
      logger: this.logger,
      accept: (r) => this.acceptFailure(r),
    });
  }

  /**
   * Writes the block script and submits it. Never retried: a submit that timed out may still
   * have queued a job, and resubmitting could flood the queue.
   * @param command Worker command.
   * @param tasksPerNode Worker copies per node.
   * @param jobName Job name.
   * @returns The scheduler's job id.
   */
  async submit(command: string, tasksPerNode: number, jobName: string): Promise<string> {
    const dir = this.scriptDir ?? defaultScriptDir();
    await Deno.mkdir(dir, { recursive: true });
    const name = this.jobNameFor(jobName);
    const base = `${dir}/${name}.submit`;
    const stdoutPath = `${base}.stdout`;
    const stderrPath = `${base}.stderr`;
    const launched = this.options.launcher
      ? this.options.launcher.launch(command, tasksPerNode, this.options.nodesPerBlock)
      : command;
    const header = [
      this.header({
        jobName: name,
        stdoutPath,
        stderrPath,
        tasksPerNode,
        nodes: this.options.nodesPerBlock,
        walltime: this.options.walltime,
        scriptDir: dir,
      }),
      this.schedulerOptions,
    ].filter((s) => s.trim()).join("\n");
    await Deno.writeTextFile(
      base,
      blockScript({
        header,
        jobName: name,
        scriptDir: dir,
        walltimeSeconds: walltimeSeconds(this.options.walltime),
        workerInit: this.options.workerInit,
        startDir: this.startDir(),
        command: launched,
      }),
    );
    const { argv, stdin } = this.submitCommand(base);
    const line = commandLine(argv);
    // Submitted from the driver's working directory: jobs start there (Slurm, LSF, Condor, and
    // Grid Engine with -cwd), so relative paths in tasks mean what they mean to the driver.
    const r = await runCommand(this.bin(argv), {
      timeout: this.options.cmdTimeout,
      cwd: Deno.cwd(),
      stdin,
      logger: this.logger,
    });
    if (r.exitCode !== 0) {
      this.logger?.error(`Submit failed: ${line}`, { exitCode: r.exitCode, stderr: r.stderr });
      throw new SubmitException(
        jobName,
        line,
        r.exitCode,
        r.stdout,
        r.stderr,
        r.timedOut
          ? `timed out after ${this.options.cmdTimeout} s (a job may have been queued)`
          : undefined,
      );
    }
    const id = this.parseSubmit(r.stdout);
    if (!id) {
      throw new SubmitException(
        jobName,
        line,
        0,
        r.stdout,
        r.stderr,
        `no job id in its output "${r.stdout.trim()}"`,
      );
    }
    this.#jobs.set(id, {
      jobName: name,
      status: { state: "PENDING", stdoutPath, stderrPath },
      lastSeen: Date.now(),
      cancelled: false,
    });
    this.logger?.info(`Submitted ${name} as job ${id}`, { script: base });
    return id;
  }

  /**
   * Statuses of jobs: one status command for every job not yet finished, accounting for those
   * gone from the queue. A failing scheduler is logged and the last known statuses returned.
   * @param jobIds Job ids.
   * @returns Statuses, in order.
   */
  async status(jobIds: string[]): Promise<JobStatus[]> {
    const live = [...new Set(jobIds.filter((id) => !this.#isFinal(id)))];
    if (live.length > 0) {
      try {
        const r = await this.run(this.statusCommand(live));
        const found = this.parseStatus(r.stdout);
        // Jobs gone from the queue, and finished jobs the queue shows without an exit code,
        // are looked up in accounting.
        const lookup = live.filter((id) => {
          const st = found.get(id);
          return !st || (TERMINAL_JOB_STATES.has(st.state) && st.exitCode === undefined);
        });
        if (lookup.length > 0) {
          try {
            for (const [id, st] of await this.finishedLookup(lookup)) {
              const queued = found.get(id);
              found.set(id, queued ? { ...queued, exitCode: st.exitCode } : st);
            }
          } catch (e) {
            this.logger?.warn(`Accounting lookup failed: ${(e as Error).message}`);
          }
        }
        const now = Date.now();
        for (const id of live) this.#update(id, found.get(id), now);
      } catch (e) {
        this.logger?.error(
          `Status query failed; keeping last known states: ${(e as Error).message}`,
        );
      }
    }
    return jobIds.map((id) => {
      const rec = this.#jobs.get(id);
      return rec ? { ...rec.status } : { state: "UNKNOWN", message: "no status yet" };
    });
  }

  /**
   * Cancels jobs with one command.
   * @param jobIds Job ids.
   * @returns Per job, whether it was live and the cancel command succeeded.
   */
  async cancel(jobIds: string[]): Promise<boolean[]> {
    const live = jobIds.filter((id) => !this.#isFinal(id));
    if (live.length === 0) return jobIds.map(() => false);
    try {
      await this.run(this.cancelCommand(live));
    } catch (e) {
      this.logger?.error(`Cancel failed: ${(e as Error).message}`);
      return jobIds.map(() => false);
    }
    for (const id of live) {
      const rec = this.#jobs.get(id) ??
        { jobName: "", status: { state: "UNKNOWN" }, lastSeen: 0, cancelled: false };
      rec.cancelled = true;
      rec.status = { ...rec.status, state: "CANCELLED", message: "cancelled by tsflow" };
      this.#jobs.set(id, rec);
    }
    this.logger?.info(`Cancelled jobs ${live.join(",")}`);
    return jobIds.map((id) => live.includes(id));
  }

  #isFinal(id: string): boolean {
    const rec = this.#jobs.get(id);
    return rec !== undefined && TERMINAL_JOB_STATES.has(rec.status.state);
  }

  #update(id: string, found: JobStatus | undefined, now: number): void {
    const rec = this.#jobs.get(id) ??
      { jobName: "", status: { state: "UNKNOWN" }, lastSeen: now, cancelled: false };
    this.#jobs.set(id, rec);
    if (found) {
      rec.lastSeen = now;
      const status = { ...rec.status, ...found };
      if (status.state === "RUNNING") {
        status.startTime ??= now;
        status.endTime ??= status.startTime + walltimeSeconds(this.options.walltime) * 1000;
      }
      rec.status = status;
    } else if (now - rec.lastSeen > this.#missingGrace * 1000) {
      rec.status = rec.cancelled
        ? { ...rec.status, state: "CANCELLED" }
        : { ...rec.status, state: "MISSING", message: "gone from the queue and accounting" };
    }
  }
}
