/**
 * Samples a task's process from Linux `/proc` for the monitoring `resource` table: CPU user and
 * system seconds, CPU percent since the previous sample, RSS, VMS, memory percent, characters
 * read and written, context switches, the CPU it last ran on, and its state in psutil's words.
 * Like Parsl's psutil-based monitor it adds the process's live descendants (a bash app's command
 * runs in children of the worker). Worker pools call {@linkcode sampleProcess} every
 * `resourceMonitoringInterval` seconds while a task runs; workers sample themselves at each
 * task's end (`self_sampler.ts`).
 *
 * @module
 */
import { statusWord } from "./_proc_fields.ts";
import {
  addDescendants,
  childrenOf,
  descendantsOf,
  type ProcCounters,
  readProcess,
} from "./_proc_tree.ts";

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
  /** Characters read (psutil's `read_chars`, which Parsl stores as disk read). */
  readBytes: number;
  /** Characters written (psutil's `write_chars`). */
  writeBytes: number;
  /** Live descendants included. */
  childrenCount: number;
  /** State of the process in psutil's words (`running`, `sleeping`, `disk-sleep`, …). */
  processStatus: string;
  /** CPU the process last ran on. */
  cpuNum: number;
  /** Voluntary context switches, process plus live descendants. */
  ctxSwitchesVoluntary: number;
  /** Involuntary context switches, process plus live descendants. */
  ctxSwitchesInvoluntary: number;
}

/** Options of {@linkcode sampleProcess}. */
export interface SampleOptions {
  /** Add live descendants' usage. @default true */
  includeChildren?: boolean;
}

let pageSize = 4096;
let memTotal: number | undefined;
const previous = new Map<number, { cpu: number; at: number }>();

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
 * Turns summed counters into a sample; CPU percent is against the previous sample of the same
 * pid in `prev` (so the pool's samples and a worker's own samples keep separate histories).
 *
 * @param pid The process.
 * @param c Its counters, descendants added.
 * @param childrenCount Descendants added.
 * @param prev Previous CPU readings by pid (updated).
 * @returns The sample.
 *
 * @example
 * ```ts
 * import { toSample } from "./proc_sampler.ts";
 * import { readProcess } from "./_proc_tree.ts";
 * import assert from "node:assert/strict";
 * const s = toSample(Deno.pid, readProcess(Deno.pid)!, 0, new Map());
 * assert(["running", "sleeping"].includes(s.processStatus));
 * ```
 */
export function toSample(
  pid: number,
  c: ProcCounters,
  childrenCount: number,
  prev: Map<number, { cpu: number; at: number }>,
): ProcSample {
  const now = performance.now();
  const cpu = c.user + c.system;
  const last = prev.get(pid);
  prev.set(pid, { cpu, at: now });
  const elapsed = last ? (now - last.at) / 1000 : 0;
  const cpuPercent = last && elapsed > 0 ? Math.max(0, ((cpu - last.cpu) / elapsed) * 100) : 0;
  const mem = totalMemory();
  const rss = c.rssPages * pageSize;
  return {
    pid,
    cpuPercent,
    cpuUser: c.user,
    cpuSystem: c.system,
    memoryRss: rss,
    memoryVms: c.vms,
    memoryPercent: mem ? (rss / mem) * 100 : 0,
    readBytes: c.read,
    writeBytes: c.write,
    childrenCount,
    processStatus: statusWord(c.state),
    cpuNum: c.cpuNum,
    ctxSwitchesVoluntary: c.voluntary,
    ctxSwitchesInvoluntary: c.involuntary,
  };
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
  const self = readProcess(pid);
  if (!self) {
    previous.delete(pid);
    return undefined;
  }
  const kids = opts.includeChildren === false ? [] : descendantsOf(childrenOf(pid));
  return toSample(pid, self, addDescendants(self, kids), previous);
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
