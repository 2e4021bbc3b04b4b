/**
 * Runs a bash app's command line with `/bin/bash -c`, sending its output to the task's
 * stdout/stderr files (their folders made, opened first so a bad one fails as
 * `BadStdStreamFile`), and kills its whole process group when the walltime passes.
 *
 * The command never outlives the process that started it (a worker, or the driver for a
 * thread pool): Deno has no `PR_SET_PDEATHSIG`, so a watchdog inside the command's own process
 * group blocks reading a pipe whose only writer is the starting process. However that process
 * ends (exit, crash, `kill -9`), the kernel closes the pipe, the read returns, and the watchdog
 * kills the whole group. No polling, and no window in which a group is started but untracked.
 *
 * @module
 */
import { BadStdStreamFile } from "../dfk/execution_errors.ts";
import type { StdTarget } from "../dfk/std_streams.ts";
import { dirname } from "../dfk/_path.ts";

/** Options for {@linkcode runBash}. */
export interface RunBashOptions {
  /** Standard output target. */
  stdout?: StdTarget;
  /** Standard error target. */
  stderr?: StdTarget;
  /** Seconds before the command's process group is killed. */
  walltime?: number;
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

function redirect(fd: 1 | 2, target: StdTarget | undefined): string {
  if (target === undefined) return "";
  const [path, mode] = target;
  return ` ${fd}${mode === "a" ? ">>" : ">"}${quote(path)}`;
}

/** Makes the file's folder and opens it once, so a file bash could not open fails clearly. */
async function openable(target: StdTarget | undefined): Promise<void> {
  if (target === undefined) return;
  const [path] = target;
  try {
    await Deno.mkdir(dirname(path), { recursive: true });
    (await Deno.open(path, { write: true, create: true, append: true })).close();
  } catch (e) {
    throw new BadStdStreamFile(
      path,
      `cannot open it for writing (${(e as Error).message}): use a path the worker can write`,
      { cause: e },
    );
  }
}

/**
 * Runs a command line and waits for it.
 *
 * @param command The command line.
 * @param opts Output files and walltime.
 * @returns Exit code and whether the walltime killed it.
 * @throws BadStdStreamFile when a stdout/stderr file cannot be opened.
 *
 * @example
 * ```ts
 * import { runBash } from "./run_bash.ts";
 * import assert from "node:assert/strict";
 * const { code } = await runBash("exit 3");
 * assert(code === 3);
 * ```
 */
export async function runBash(
  command: string,
  opts: RunBashOptions = {},
): Promise<{ code: number; timedOut: boolean }> {
  await openable(opts.stdout);
  await openable(opts.stderr);
  const sameFile = opts.stdout !== undefined && opts.stderr !== undefined &&
    opts.stdout[0] === opts.stderr[0];
  const redirects = redirect(1, opts.stdout) + (sameFile ? " 2>&1" : redirect(2, opts.stderr));
  // The command runs in a group of its own (setsid) so a walltime kill reaches its children.
  // Its stdin is a pipe kept open by this process and moved to fd 3 for the watchdog; the
  // command itself reads /dev/null as before. `wait` hands back the command's own status.
  const script = [
    "exec 3<&0 </dev/null",
    `{\n${command}\n}${redirects} 3<&- &`,
    "c=$!",
    "{ read -r -u 3 _; kill -KILL 0; } &",
    "w=$!",
    "exec 3<&-",
    "wait $c",
    "s=$?",
    "kill -KILL $w 2>/dev/null",
    "exit $s",
  ].join("\n");
  const child = new Deno.Command("setsid", {
    args: ["/bin/bash", "-c", script],
    // Never written to: its end is this process's death notice to the watchdog.
    stdin: "piped",
    stdout: opts.stdout === undefined ? "inherit" : "null",
    stderr: opts.stderr === undefined ? "inherit" : "null",
  }).spawn();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (opts.walltime !== undefined) {
    timer = setTimeout(() => {
      timedOut = true;
      try {
        Deno.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, opts.walltime * 1000);
  }
  const status = await child.status;
  if (timer !== undefined) clearTimeout(timer);
  await child.stdin.close().catch(() => {});
  return { code: status.code, timedOut };
}
