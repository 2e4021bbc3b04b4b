/**
 * {@linkcode LocalProvider}: blocks are process groups on this machine.
 *
 * @module
 */
import type {
  ExecutionProvider,
  JobStatus,
  ProviderLogger,
  ProviderOptions,
} from "./execution_provider.ts";
import {
  blockScript,
  defaultScriptDir,
  type ResolvedProviderOptions,
  resolveProviderOptions,
} from "./batch_script.ts";
import { shellQuote } from "./shell_quote.ts";
import { walltimeSeconds } from "./_walltime.ts";
import { SubmitException } from "./errors.ts";
import { SingleNodeLauncher } from "../launchers/single_node_launcher.ts";
import { optionKeys } from "../dfk/option_keys.ts";
import { PROVIDER_OPTION_KEYS } from "./execution_provider.ts";

/** Options of {@linkcode LocalProvider}. */
export interface LocalProviderOptions extends ProviderOptions {
  /**
   * Kill a block when its walltime is over (status `TIMEOUT`). On when `walltime` is given,
   * since a local block has no scheduler to enforce it. @default walltime !== undefined
   */
  enforceWalltime?: boolean;
  /** Seconds between SIGTERM and SIGKILL when cancelling. @default 5 */
  killGrace?: number;
}

interface LocalJob {
  child: Deno.ChildProcess;
  status: JobStatus;
  cancelled: boolean;
  timedOut: boolean;
  exited: Promise<void>;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Runs each block as a local process group: the block script (workerInit, then the launched
 * command) runs under `setsid`, so cancelling kills every process it started. Job ids are the
 * group leader's pid; status comes from the real process (exit code, signal). Default launcher:
 * {@linkcode SingleNodeLauncher}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LocalProvider } from "./local_provider.ts";
 * const p = new LocalProvider({ maxBlocks: 2 });
 * p.scriptDir = Deno.makeTempDirSync();
 * const id = await p.submit("sleep 60", 1, "block-0");
 * assert.equal((await p.status([id]))[0].state, "RUNNING");
 * await p.cancel([id]);
 * assert.equal((await p.status([id]))[0].state, "CANCELLED");
 * ```
 */
export class LocalProvider implements ExecutionProvider {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = optionKeys<LocalProviderOptions>()(
    ...PROVIDER_OPTION_KEYS,
    "enforceWalltime",
    "killGrace",
  );
  /** Name. */
  readonly label = "local";
  /**
   * Shared options with defaults applied. Internal, not public API.
   * @ignore
   */
  readonly options: ResolvedProviderOptions;
  /** Where scripts and block stdout/stderr go; set by the executor. */
  scriptDir?: string;
  /** Logger; set by the executor. */
  logger?: ProviderLogger;
  #jobs = new Map<string, LocalJob>();
  #enforceWalltime: boolean;
  #killGrace: number;

  /**
   * Creates it.
   * @param opts Options.
   */
  constructor(opts: LocalProviderOptions = {}) {
    this.options = resolveProviderOptions(opts, { launcher: new SingleNodeLauncher() });
    this.#enforceWalltime = opts.enforceWalltime ?? opts.walltime !== undefined;
    this.#killGrace = opts.killGrace ?? 5;
  }

  /**
   * Starts a block.
   * @param command Worker command.
   * @param tasksPerNode Copies per node (given to the launcher).
   * @param jobName Job name (file names in the script directory).
   * @returns The job id (process group id).
   */
  submit(command: string, tasksPerNode: number, jobName: string): Promise<string> {
    // Synchronously (a small script file): the block has started when this returns, before the
    // caller's next step, so an executor starting its interchange next gives the pool, the
    // longer chain of a cold start (the pool, then its workers), the head start.
    try {
      return Promise.resolve(this.#start(command, tasksPerNode, jobName));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #start(command: string, tasksPerNode: number, jobName: string): string {
    const dir = this.scriptDir ?? defaultScriptDir();
    Deno.mkdirSync(dir, { recursive: true });
    const base = `${dir}/${jobName.replace(/[^\w.-]/g, "_")}`;
    const scriptPath = `${base}.sh`;
    const stdoutPath = `${base}.stdout`;
    const stderrPath = `${base}.stderr`;
    const wall = walltimeSeconds(this.options.walltime);
    const launched = this.options.launcher
      ? this.options.launcher.launch(command, tasksPerNode, this.options.nodesPerBlock)
      : command;
    Deno.writeTextFileSync(
      scriptPath,
      blockScript({
        header: "",
        jobName,
        scriptDir: dir,
        // Only a walltime that is enforced tells pools when their block ends.
        walltimeSeconds: this.#enforceWalltime ? wall : 0,
        workerInit: this.options.workerInit,
        command: launched,
      }),
    );
    let child: Deno.ChildProcess;
    try {
      // setsid execs in place (a spawned child is never a group leader), so pid = group id. The
      // script runs as a script (not sourced into this shell): a user's `workerInit` keeps its
      // exit codes, `return` and a failed redirection's failure.
      child = new Deno.Command("setsid", {
        args: [
          "/bin/bash",
          "-c",
          'exec /bin/bash "$0" >"$1" 2>"$2"',
          scriptPath,
          stdoutPath,
          stderrPath,
        ],
        // The block inherits the driver's working directory, as Parsl's LocalProvider does.
        cwd: Deno.cwd(),
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
    } catch (e) {
      throw new SubmitException(
        jobName,
        `setsid /bin/bash ${shellQuote(scriptPath)}`,
        -1,
        "",
        String(e),
        String(e),
      );
    }
    // The driver must be able to exit even if a block outlives it; cancel() is the normal end.
    child.unref();
    const id = String(child.pid);
    const job: LocalJob = {
      child,
      status: { state: "RUNNING", stdoutPath, stderrPath, startTime: Date.now() },
      cancelled: false,
      timedOut: false,
      exited: Promise.resolve(),
    };
    if (this.#enforceWalltime) job.status.endTime = job.status.startTime! + wall * 1000;
    job.exited = child.status.then((st) => {
      if (job.timer !== undefined) clearTimeout(job.timer);
      const state = job.timedOut
        ? "TIMEOUT"
        : job.cancelled
        ? "CANCELLED"
        : st.success
        ? "COMPLETED"
        : "FAILED";
      job.status = {
        ...job.status,
        state,
        exitCode: st.code,
        message: st.signal ? `killed by ${st.signal}` : `exit code ${st.code}`,
      };
      this.logger?.info(`Block ${jobName} (pid ${id}) ended: ${state}`, {
        exitCode: st.code,
        signal: st.signal,
      });
    });
    if (this.#enforceWalltime) {
      const timer = setTimeout(() => {
        job.timedOut = true;
        this.logger?.info(`Block ${jobName} (pid ${id}) reached its walltime; killing it`);
        void this.#kill(job);
      }, wall * 1000);
      Deno.unrefTimer(timer);
      job.timer = timer;
    }
    this.#jobs.set(id, job);
    this.logger?.info(`Submitted local block ${jobName} as pid ${id}`, { scriptPath });
    return id;
  }

  /**
   * Status of blocks, from the processes themselves.
   * @param jobIds Job ids.
   * @returns Their statuses (`MISSING` for ids this provider never started).
   */
  status(jobIds: string[]): Promise<JobStatus[]> {
    return Promise.resolve(jobIds.map((id) => {
      const job = this.#jobs.get(id);
      return job
        ? { ...job.status }
        : { state: "MISSING", message: "not started by this provider" };
    }));
  }

  /**
   * Kills blocks' process groups (SIGTERM, then SIGKILL after `killGrace`), waiting until they
   * have exited.
   * @param jobIds Job ids.
   * @returns Per job, whether it was running and is now cancelled.
   */
  async cancel(jobIds: string[]): Promise<boolean[]> {
    return await Promise.all(jobIds.map(async (id) => {
      const job = this.#jobs.get(id);
      if (!job || job.status.state !== "RUNNING") return false;
      job.cancelled = true;
      await this.#kill(job);
      return true;
    }));
  }

  async #kill(job: LocalJob): Promise<void> {
    const signalGroup = (sig: Deno.Signal) => {
      try {
        Deno.kill(-job.child.pid, sig);
      } catch {
        // No group yet (setsid has not run: cancel right after submit) or already gone.
        try {
          Deno.kill(job.child.pid, sig);
        } catch { /* gone */ }
      }
    };
    // The child is unref'd for the driver's exit; cancel() waits for it, so hold the loop open.
    job.child.ref();
    signalGroup("SIGTERM");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const graceOver = new Promise<boolean>((r) =>
      timer = setTimeout(() => r(true), this.#killGrace * 1000)
    );
    const late = await Promise.race([job.exited.then(() => false), graceOver]);
    // The script's shell dies of SIGTERM at once, while what it started (a pool cleaning up:
    // workers stopped, socket directory removed, log written) may need a moment more: the group
    // gets the rest of the grace before SIGKILL. Nothing tells when a group empties, so it is
    // polled, bounded by the grace.
    while (!late && groupAlive(job.child.pid)) {
      const over = await Promise.race([graceOver, new Promise((r) => setTimeout(r, 20, false))]);
      if (over) break;
    }
    clearTimeout(timer);
    // Children that ignored SIGTERM (or the leader exited first) still hold the group.
    signalGroup("SIGKILL");
    if (late) await job.exited;
  }
}

/**
 * Whether any process of the group `pgid` still exists, from Linux `/proc` (Deno cannot send
 * signal 0). Without `/proc` it answers no: the group gets SIGKILL at once, as before.
 */
function groupAlive(pgid: number): boolean {
  try {
    for (const e of Deno.readDirSync("/proc")) {
      const c = e.name.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      try {
        const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
        // State and group: fields 3 and 5 of proc(5), after the command's closing parenthesis.
        // A zombie has finished (it waits only for its parent to read its status).
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ", 3);
        if (Number(pgrp) === pgid && state !== "Z") return true;
      } catch { /* gone meanwhile */ }
    }
  } catch { /* no /proc */ }
  return false;
}
