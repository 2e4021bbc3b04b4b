// The one process finder of the tests: a scan of /proc (live processes only, zombies excluded).

/** A live process: its pid and its command line (arguments joined by spaces). */
export interface ProcessInfo {
  pid: number;
  cmd: string;
}

function zombieOrGone(pid: number | string): boolean {
  try {
    return /^\d+ \(.*\) Z /s.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return true;
  }
}

/** Whether `pid` still runs: exited and zombie (exited, not yet reaped) processes do not. */
export function alive(pid: number): boolean {
  return !zombieOrGone(pid);
}

/** Live processes, other than this one, whose command line contains `text`. */
export async function findProcesses(text: string): Promise<ProcessInfo[]> {
  const found: ProcessInfo[] = [];
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name) || Number(e.name) === Deno.pid) continue;
    try {
      const cmd = (await Deno.readTextFile(`/proc/${e.name}/cmdline`)).split("\0").join(" ");
      if (cmd.includes(text) && !zombieOrGone(e.name)) found.push({ pid: Number(e.name), cmd });
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** Pids of live processes whose command line contains `text`. */
export async function processesMatching(text: string): Promise<number[]> {
  return (await findProcesses(text)).map((p) => p.pid);
}

/** `pid: command line` of live processes that mention `text` (e.g. a temp dir). */
export async function processesMentioning(text: string): Promise<string[]> {
  return (await findProcesses(text)).map((p) => `${p.pid}: ${p.cmd}`);
}

/** Polls until no process mentions `text`, up to `ms`; returns those left. */
export async function waitNoProcesses(text: string, ms = 15_000): Promise<string[]> {
  const end = Date.now() + ms;
  let left = await processesMentioning(text);
  while (left.length && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    left = await processesMentioning(text);
  }
  return left;
}

/** Kills every process that mentions `text` (cleanup after a failed test). */
export async function killProcessesMentioning(text: string): Promise<void> {
  for (const { pid } of await findProcesses(text)) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
}
