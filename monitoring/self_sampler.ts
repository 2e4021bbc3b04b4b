/**
 * A worker's sample of its own process at the start and at the end of each task, so every task
 * that ran on a worker has resource rows however short it was (Parsl's monitor wrapper samples a
 * task's process when it starts and when it ends, besides periodically).
 *
 * It has to be cheap, since it runs twice per task: the `/proc/self` files stay open and are
 * re-read from offset 0, and descendants are looked for only when the worker's JS thread (the one
 * that runs tasks and spawns their processes) has children.
 *
 * @module
 */
import process from "node:process";
import { parseIo, parseStat } from "./_proc_fields.ts";
import { addDescendants, descendantsOf, type ProcCounters } from "./_proc_tree.ts";
import { type ProcSample, toSample } from "./proc_sampler.ts";

interface Files {
  stat: Deno.FsFile;
  io?: Deno.FsFile;
  children?: Deno.FsFile;
}

let files: Files | null | undefined;
const buf = new Uint8Array(8192);
const text = new TextDecoder();
const previous = new Map<number, { cpu: number; at: number }>();

function open(path: string): Deno.FsFile | undefined {
  try {
    return Deno.openSync(path);
  } catch {
    return undefined;
  }
}

function reread(f: Deno.FsFile | undefined): string {
  if (!f) return "";
  f.seekSync(0, Deno.SeekMode.Start);
  let n = 0;
  for (;;) {
    const k = f.readSync(buf.subarray(n));
    if (k === null || k === 0) break;
    n += k;
    if (n === buf.length) break; // every file read here is far smaller
  }
  return text.decode(buf.subarray(0, n));
}

function openFiles(): Files | null {
  const stat = open("/proc/self/stat");
  if (!stat) return null; // no /proc: no samples
  return {
    stat,
    io: open("/proc/self/io"),
    // The JS thread's own children: it spawns a task's processes (it is the main thread under
    // `deno run`, not under every embedding, hence thread-self).
    children: open("/proc/thread-self/children"),
  };
}

/**
 * Samples this process (and its live descendants, if any) for the `resource` table.
 *
 * @returns The sample, or undefined where there is no `/proc`.
 *
 * @example
 * ```ts
 * import { sampleSelf } from "./self_sampler.ts";
 * import assert from "node:assert/strict";
 * const s = sampleSelf();
 * assert(s === undefined || s.pid === Deno.pid);
 * ```
 */
export function sampleSelf(): ProcSample | undefined {
  if (files === undefined) files = openFiles();
  if (files === null) return undefined;
  let c: ProcCounters;
  try {
    const io = files.io ? parseIo(reread(files.io)) : { read: 0, write: 0 };
    // getrusage: every thread's switches in a microsecond, where /proc/self/status would cost
    // ten times that (the pool's periodic samples sum the threads' status files to match).
    const u = process.resourceUsage();
    c = {
      ...parseStat(reread(files.stat)),
      read: io.read,
      write: io.write,
      voluntary: u.voluntaryContextSwitches,
      involuntary: u.involuntaryContextSwitches,
    };
  } catch {
    return undefined;
  }
  const kids = reread(files.children).trim();
  const n = kids ? addDescendants(c, descendantsOf(kids.split(/\s+/).map(Number))) : 0;
  return toSample(Deno.pid, c, n, previous);
}
