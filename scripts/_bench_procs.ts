/**
 * What the HTEX benchmarks share: their executor's shape (one local block, one pool of 2
 * workers) and what they read about the run's processes: which pid plays which role (driver,
 * interchange, manager, workers) and their CPU time and RSS from `/proc`.
 *
 * @module
 */
import { HighThroughputExecutor } from "../interchange/high_throughput_executor.ts";
import { LocalProvider } from "../providers/local_provider.ts";

/** The benchmarks' executor: one LocalProvider block, one pool of 2 workers. */
export function benchHtex(label?: string): HighThroughputExecutor {
  return new HighThroughputExecutor({
    label,
    maxWorkersPerNode: 2,
    provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
  });
}

/** Current RSS of a process, MiB (NaN when it is gone). */
export function rssMb(pid: number | undefined): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))?.[1]) / 1024;
  } catch {
    return NaN;
  }
}
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
