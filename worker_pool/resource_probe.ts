/**
 * Samples a process's resource use from `/proc/<pid>` (Linux), for monitoring's `resource`
 * rows: CPU times, CPU percent since the previous sample, RSS/VMS and I/O bytes.
 *
 * @module
 */

/** One sample (fields as the monitoring ResourceEvent). */
export interface ResourceSample {
  /** Process id. */
  pid: number;
  /** Percent of one CPU used since the previous sample of this pid. */
  cpuPercent: number;
  /** User CPU seconds. */
  cpuUser: number;
  /** System CPU seconds. */
  cpuSystem: number;
  /** Resident memory, bytes. */
  memoryRss: number;
  /** Virtual memory, bytes. */
  memoryVms: number;
  /** Bytes read from storage. */
  readBytes: number;
  /** Bytes written to storage. */
  writeBytes: number;
}

const TICKS = 100; // USER_HZ on Linux
const PAGE = 4096;
const previous = new Map<number, { cpu: number; at: number }>();

/**
 * Samples one process.
 *
 * @param pid The process.
 * @returns The sample, or undefined when the process is gone or /proc is missing.
 *
 * @example
 * ```ts
 * import { sampleProcess } from "./resource_probe.ts";
 * const s = sampleProcess(Deno.pid);
 * console.assert(s === undefined || s.memoryRss > 0);
 * ```
 */
export function sampleProcess(pid: number): ResourceSample | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Fields after the command name, which may itself hold spaces and parentheses.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cpuUser = Number(f[11]) / TICKS;
    const cpuSystem = Number(f[12]) / TICKS;
    const memoryVms = Number(f[20]);
    const memoryRss = Number(f[21]) * PAGE;
    let readBytes = 0, writeBytes = 0;
    try {
      const io = Deno.readTextFileSync(`/proc/${pid}/io`);
      readBytes = Number(/read_bytes:\s*(\d+)/.exec(io)?.[1] ?? 0);
      writeBytes = Number(/^write_bytes:\s*(\d+)/m.exec(io)?.[1] ?? 0);
    } catch { /* io needs privileges on some systems */ }
    const now = performance.now();
    const cpu = cpuUser + cpuSystem;
    const prev = previous.get(pid);
    previous.set(pid, { cpu, at: now });
    const cpuPercent = prev && now > prev.at
      ? (100 * (cpu - prev.cpu)) / ((now - prev.at) / 1000)
      : 0;
    return { pid, cpuPercent, cpuUser, cpuSystem, memoryRss, memoryVms, readBytes, writeBytes };
  } catch {
    previous.delete(pid);
    return undefined;
  }
}

/**
 * Forgets a process's previous sample (call when it exits).
 *
 * @param pid The process.
 *
 * @example
 * ```ts
 * import { forgetProcess } from "./resource_probe.ts";
 * forgetProcess(1);
 * ```
 */
export function forgetProcess(pid: number): void {
  previous.delete(pid);
}
