/**
 * Runs scheduler commands without ever stalling the caller: asynchronously, each bounded by a
 * timeout (its process group is killed when it is over), with failures logged and, for
 * read-only commands, retried.
 *
 * @module
 */
import type { ProviderLogger } from "./execution_provider.ts";
import { SchedulerCommandError } from "./errors.ts";
import { commandLine } from "./shell_quote.ts";

/** What a finished command produced. */
export interface CommandResult {
  /** Exit code (-1: timed out). */
  exitCode: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
  /** Whether it was killed for taking longer than the timeout. */
  timedOut: boolean;
}

/** Options of {@linkcode runCommand}. */
export interface RunCommandOptions {
  /** Seconds before the command is killed. @default 10 */
  timeout?: number;
  /** Working directory. */
  cwd?: string;
  /** Text written to its standard input. */
  stdin?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Where to log the command and its failures. */
  logger?: ProviderLogger;
}

/**
 * Runs a command once. A command that does not finish within `timeout` seconds is killed (its
 * whole process group) and reported with `timedOut`; a command that is not installed fails
 * with `setsid`'s "failed to execute" message on stderr.
 *
 * @param argv Program and arguments.
 * @param opts Options.
 * @returns Its result; never throws for a failing command.
 *
 * @example
 * ```ts
 * import { runCommand } from "./command_runner.ts";
 * import assert from "node:assert/strict";
 * const r = await runCommand(["echo", "hi"]);
 * assert(r.stdout === "hi\n" && r.exitCode === 0);
 * ```
 */
export async function runCommand(
  argv: string[],
  opts: RunCommandOptions = {},
): Promise<CommandResult> {
  const timeout = opts.timeout ?? 10;
  let child: Deno.ChildProcess;
  try {
    // setsid: the command and anything it forks share one group we can kill on timeout.
    child = new Deno.Command("setsid", {
      args: argv,
      cwd: opts.cwd,
      env: opts.env,
      stdin: opts.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    return { exitCode: 127, stdout: "", stderr: String(e), timedOut: false };
  }
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin)).catch(() => {});
    await w.close().catch(() => {});
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      Deno.kill(-child.pid, "SIGKILL");
    } catch { /* already gone */ }
  }, timeout * 1000);
  try {
    const out = await child.output();
    const dec = new TextDecoder();
    const result = {
      exitCode: timedOut ? -1 : out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr) + (timedOut ? `\n(killed after ${timeout} s)` : ""),
      timedOut,
    };
    opts.logger?.debug(`Ran ${commandLine(argv)}`, { exitCode: result.exitCode, timedOut });
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Options of {@linkcode runChecked}. */
export interface RunCheckedOptions extends RunCommandOptions {
  /** Extra attempts after a failure (only for commands safe to repeat). @default 0 */
  retries?: number;
  /** Seconds before the first retry; doubles each time. @default 1 */
  retryDelay?: number;
  /** Treat these exit codes as success too. */
  okCodes?: number[];
  /** Accept a failed run anyway when this returns true (e.g. "Invalid job id"). */
  accept?: (r: CommandResult) => boolean;
}

/**
 * Runs a command and throws {@linkcode SchedulerCommandError} when it fails (non-zero exit or
 * timeout), after logging each failure and retrying up to `retries` times with back-off.
 *
 * @param argv Program and arguments.
 * @param opts Options.
 * @returns The successful result.
 *
 * @example
 * ```ts
 * import { runChecked } from "./command_runner.ts";
 * import assert from "node:assert/strict";
 * try {
 *   await runChecked(["false"]);
 * } catch (e) {
 *   assert((e as Error).name === "SchedulerCommandError");
 * }
 * ```
 */
export async function runChecked(
  argv: string[],
  opts: RunCheckedOptions = {},
): Promise<CommandResult> {
  const retries = opts.retries ?? 0;
  let delay = opts.retryDelay ?? 1;
  for (let attempt = 0;; attempt++) {
    const r = await runCommand(argv, opts);
    if (
      r.exitCode === 0 || opts.okCodes?.includes(r.exitCode) || (!r.timedOut && opts.accept?.(r))
    ) return r;
    const line = commandLine(argv);
    if (attempt >= retries) {
      opts.logger?.error(`Command failed: ${line}`, {
        exitCode: r.exitCode,
        stderr: r.stderr.slice(0, 2000),
      });
      throw new SchedulerCommandError(
        line,
        r.exitCode,
        r.stdout,
        r.stderr,
        r.timedOut ? `timed out after ${opts.timeout ?? 10} s` : undefined,
      );
    }
    opts.logger?.warn(`Command failed, retrying in ${delay} s: ${line}`, {
      exitCode: r.exitCode,
      stderr: r.stderr.slice(0, 2000),
      attempt: attempt + 1,
    });
    await new Promise((res) => setTimeout(res, delay * 1000));
    delay *= 2;
  }
}
