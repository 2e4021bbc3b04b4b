/**
 * Samples a task's process from Linux `/proc` for the monitoring `resource` table: CPU user and
 * system seconds, CPU percent since the previous sample, RSS, VMS, memory percent, bytes read and
 * written, and the state letter. Like Parsl's psutil-based monitor it adds the process's live
 * descendants (a bash app's command runs in children of the worker). Worker pools call
 * {@linkcode sampleProcess} every `resourceMonitoringInterval` seconds while a task runs.
 *
 * @module
 */

/** One sample, in the units of the `resource` table (seconds, bytes, percent). */
export interface ProcSample {
  /** The sampled process. */
  pid: number;
  /** CPU percent of one core since the previous sample of this pid (0 on the first). */
  cpuPercent: number;
  /** User CPU seconds, process plus live descendants. */
  cpuUser: number;
  /** System CPU seconds, process plus live descendants. */
  cpuSystem: number;
  /** Resident memory, bytes. */
  memoryRss: number;
  /** Virtual memory, bytes. */
  memoryVms: number;
  /** RSS as a percent of the host's memory. */
  memoryPercent: number;
  /** Bytes read from storage. */
  readBytes: number;
  /** Bytes written to storage. */
  writeBytes: number;
  /** Live descendants included. */
  childrenCount: number;
  /** State letter of the process (R, S, D, Z, …). */
  processStatus: string;
}

/** Options of {@linkcode sampleProcess}. */
export interface SampleOptions {
  /** Add live descendants' usage. @default true */
  includeChildren?: boolean;
}

const TICKS = 100; // USER_HZ: 100 on every Linux tsflow runs on
let pageSize = 4096;
let memTotal: number | undefined;
const previous = new Map<number, { cpu: number; at: number }>();

interface One {
  user: number;
  system: number;
  vms: number;
  rss: number;
  state: string;
  read: number;
  write: number;
}

function readOne(pid: number): One | undefined {
  let stat: string;
  try {
    stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch {
    return undefined; // gone, or no /proc
  }
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  let read = 0, write = 0;
  try {
    const io = Deno.readTextFileSync(`/proc/${pid}/io`);
    read = Number(/^read_bytes:\s*(\d+)/m.exec(io)?.[1] ?? 0);
    write = Number(/^write_bytes:\s*(\d+)/m.exec(io)?.[1] ?? 0);
  } catch { /* /proc/<pid>/io needs ptrace rights over other users' processes */ }
  return {
    state: f[0],
    user: Number(f[11]) / TICKS,
    system: Number(f[12]) / TICKS,
    vms: Number(f[20]),
    rss: Number(f[21]) * pageSize,
    read,
    write,
  };
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const t of Deno.readDirSync(`/proc/${pid}/task`)) {
      try {
        const text = Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/children`).trim();
        if (text) out.push(...text.split(/\s+/).map(Number));
      } catch { /* thread ended */ }
    }
  } catch { /* process ended */ }
  return out;
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  const stack = childrenOf(pid);
  while (stack.length && out.length < 10_000) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...childrenOf(p));
  }
  return out;
}

function totalMemory(): number {
  if (memTotal === undefined) {
    try {
      const kb = /^MemTotal:\s*(\d+)/m.exec(Deno.readTextFileSync("/proc/meminfo"))?.[1];
      memTotal = kb ? Number(kb) * 1024 : 0;
    } catch {
      memTotal = 0;
    }
  }
  return memTotal;
}

/**
 * Samples one process (and by default its live descendants).
 *
 * @param pid The process id.
 * @param opts Options.
 * @returns The sample, or undefined when the process is gone or `/proc` is missing.
 *
 * @example Sample this process
 * ```ts
 * import { sampleProcess } from "./proc_sampler.ts";
 * import assert from "node:assert/strict";
 * const s = sampleProcess(Deno.pid);
 * assert(s === undefined || s.memoryRss > 0);
 * ```
 */
export function sampleProcess(pid: number, opts: SampleOptions = {}): ProcSample | undefined {
  const self = readOne(pid);
  if (!self) {
    previous.delete(pid);
    return undefined;
  }
  const kids = opts.includeChildren === false ? [] : descendants(pid);
  let { user, system, vms, rss, read, write } = self;
  let childrenCount = 0;
  for (const k of kids) {
    const o = readOne(k);
    if (!o) continue;
    childrenCount++;
    user += o.user;
    system += o.system;
    vms += o.vms;
    rss += o.rss;
    read += o.read;
    write += o.write;
  }
  const now = performance.now();
  const cpu = user + system;
  const prev = previous.get(pid);
  previous.set(pid, { cpu, at: now });
  const elapsed = prev ? (now - prev.at) / 1000 : 0;
  const cpuPercent = prev && elapsed > 0 ? Math.max(0, ((cpu - prev.cpu) / elapsed) * 100) : 0;
  const mem = totalMemory();
  return {
    pid,
    cpuPercent,
    cpuUser: user,
    cpuSystem: system,
    memoryRss: rss,
    memoryVms: vms,
    memoryPercent: mem ? (rss / mem) * 100 : 0,
    readBytes: read,
    writeBytes: write,
    childrenCount,
    processStatus: self.state,
  };
}

/**
 * Forgets the previous sample of a process (call when its task ends, so a reused pid starts fresh).
 *
 * @param pid The process id.
 *
 * @example
 * ```ts
 * import { forgetProcess } from "./proc_sampler.ts";
 * forgetProcess(12345);
 * ```
 */
export function forgetProcess(pid: number): void {
  previous.delete(pid);
}

/**
 * Sets the page size used to turn `/proc` RSS pages into bytes (4096 unless the host differs).
 *
 * @param bytes Page size in bytes.
 *
 * @example
 * ```ts
 * import { setPageSize } from "./proc_sampler.ts";
 * setPageSize(4096);
 * ```
 */
export function setPageSize(bytes: number): void {
  pageSize = bytes;
}
