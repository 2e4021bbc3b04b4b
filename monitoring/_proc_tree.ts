/**
 * Reading a process and its live descendants from Linux `/proc`, summed the way Parsl's psutil
 * monitor sums a task's process tree.
 *
 * @module
 */
import { parseCtxSwitches, parseIo, parseStat, type StatFields } from "./_proc_fields.ts";

/** One process's counters. */
export interface ProcCounters extends StatFields {
  /** Characters read. */
  read: number;
  /** Characters written. */
  write: number;
  /** Voluntary context switches. */
  voluntary: number;
  /** Involuntary context switches. */
  involuntary: number;
}

/**
 * Reads one process's counters.
 *
 * @param pid The process.
 * @returns Its counters, or undefined when it is gone (or there is no `/proc`).
 *
 * @example
 * ```ts
 * import { readProcess } from "./_proc_tree.ts";
 * import assert from "node:assert/strict";
 * assert(readProcess(Deno.pid)!.rssPages > 0);
 * ```
 */
export function readProcess(pid: number): ProcCounters | undefined {
  let stat: string;
  try {
    stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch {
    return undefined; // gone, or no /proc
  }
  let io = { read: 0, write: 0 };
  const ctx = { voluntary: 0, involuntary: 0 };
  try {
    io = parseIo(Deno.readTextFileSync(`/proc/${pid}/io`));
  } catch { /* /proc/<pid>/io needs ptrace rights over other users' processes */ }
  // Every thread's switches (as getrusage counts a process's, which workers' own samples use).
  try {
    for (const t of Deno.readDirSync(`/proc/${pid}/task`)) {
      try {
        const one = parseCtxSwitches(Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/status`));
        ctx.voluntary += one.voluntary;
        ctx.involuntary += one.involuntary;
      } catch { /* thread ended */ }
    }
  } catch { /* ended meanwhile */ }
  return { ...parseStat(stat), ...io, ...ctx };
}

/**
 * Live child pids of a process (children of every thread).
 *
 * @param pid The process.
 * @returns Child pids.
 *
 * @example
 * ```ts
 * import { childrenOf } from "./_proc_tree.ts";
 * import assert from "node:assert/strict";
 * assert(Array.isArray(childrenOf(Deno.pid)));
 * ```
 */
export function childrenOf(pid: number): number[] {
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

/**
 * Every live descendant of the given children (bounded, so a fork bomb cannot stall sampling).
 *
 * @param roots The first generation.
 * @returns Descendant pids, roots included.
 *
 * @example
 * ```ts
 * import { childrenOf, descendantsOf } from "./_proc_tree.ts";
 * import assert from "node:assert/strict";
 * assert(Array.isArray(descendantsOf(childrenOf(Deno.pid))));
 * ```
 */
export function descendantsOf(roots: number[]): number[] {
  const out: number[] = [];
  const stack = [...roots];
  while (stack.length && out.length < 10_000) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...childrenOf(p));
  }
  return out;
}

/**
 * Adds live descendants' counters into a process's, as Parsl sums a task's children (CPU times,
 * memory, I/O and context switches; state and CPU number stay the process's own).
 *
 * @param self The process's counters (changed in place).
 * @param kids Descendant pids.
 * @returns How many descendants were still alive to add.
 *
 * @example
 * ```ts
 * import { addDescendants, readProcess } from "./_proc_tree.ts";
 * import assert from "node:assert/strict";
 * assert.equal(addDescendants(readProcess(Deno.pid)!, []), 0);
 * ```
 */
export function addDescendants(self: ProcCounters, kids: number[]): number {
  let n = 0;
  for (const k of kids) {
    const o = readProcess(k);
    if (!o) continue;
    n++;
    self.user += o.user;
    self.system += o.system;
    self.vms += o.vms;
    self.rssPages += o.rssPages;
    self.read += o.read;
    self.write += o.write;
    self.voluntary += o.voluntary;
    self.involuntary += o.involuntary;
  }
  return n;
}
