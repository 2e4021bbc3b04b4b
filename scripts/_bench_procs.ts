/**
 * What the HTEX benchmarks read about a run's processes: which pid plays which role (driver,
 * interchange, manager, workers) and their CPU time and peak RSS from `/proc`.
 *
 * @module
 */
async function pgrep(args: string[]): Promise<number[]> {
  const o = await new Deno.Command("pgrep", { args, stdout: "piped" }).output();
  return new TextDecoder().decode(o.stdout).split("\n").filter((s) => s).map(Number);
}

export function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

/** The run's processes by role (the manager is the deno process whose children are workers). */
export async function roles(runDir: string): Promise<Record<string, number[]>> {
  const [ic] = await pgrep(["-f", `${runDir}/htex/interchange.log`]);
  const candidates = await pgrep(["-f", `[-]-secret-file ${runDir}/`]);
  for (const manager of candidates.filter((p) => p !== ic)) {
    const workers = await pgrep(["-P", String(manager), "-f", "worker-process"]);
    if (workers.length > 0) {
      return { driver: [Deno.pid], interchange: [ic], manager: [manager], worker: workers };
    }
  }
  return { driver: [Deno.pid], interchange: [ic], manager: [], worker: [] };
}

/** CPU seconds (user + system) a process has used. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}
