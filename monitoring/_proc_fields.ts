/**
 * Parsing Linux `/proc` files into the fields of a resource sample, shared by the pool's periodic
 * sampler and a worker's own start/end samples.
 *
 * @module
 */

/** USER_HZ: 100 on every Linux tsflow runs on. */
export const TICKS = 100;

/**
 * psutil's words for the state letters of `/proc/<pid>/stat` (Parsl stores psutil's word in
 * `psutil_process_status`).
 */
const STATUS_WORDS: Record<string, string> = {
  R: "running",
  S: "sleeping",
  D: "disk-sleep",
  T: "stopped",
  t: "tracing-stop",
  Z: "zombie",
  X: "dead",
  x: "dead",
  K: "wake-kill",
  W: "waking",
  I: "idle",
  P: "parked",
};

/**
 * psutil's word for a `/proc` state letter.
 *
 * @param letter The letter (`R`, `S`, …).
 * @returns The word (`running`, `sleeping`, …); an unknown letter is returned as is.
 *
 * @example
 * ```ts
 * import { statusWord } from "./_proc_fields.ts";
 * import assert from "node:assert/strict";
 * assert.equal(statusWord("D"), "disk-sleep");
 * ```
 */
export function statusWord(letter: string): string {
  return STATUS_WORDS[letter] ?? letter;
}

/** The fields of one process's `/proc/<pid>/stat` a sample uses. */
export interface StatFields {
  /** State letter. */
  state: string;
  /** User CPU seconds. */
  user: number;
  /** System CPU seconds. */
  system: number;
  /** Virtual memory, bytes. */
  vms: number;
  /** Resident pages. */
  rssPages: number;
  /** CPU it last ran on. */
  cpuNum: number;
}

/**
 * Parses `/proc/<pid>/stat`.
 *
 * @param stat The file's text.
 * @returns Its fields.
 *
 * @example
 * ```ts
 * import { parseStat } from "./_proc_fields.ts";
 * import assert from "node:assert/strict";
 * const line = "42 (a b) c) S 1 42 42 0 -1 4194560 1 0 0 0 250 30 0 0 20 0 1 0 9 4096 300 " +
 *   "0 0 0 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0";
 * const f = parseStat(line);
 * assert.deepEqual(f, { state: "S", user: 2.5, system: 0.3, vms: 4096, rssPages: 300, cpuNum: 3 });
 * ```
 */
export function parseStat(stat: string): StatFields {
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  // Field n of proc(5) is then at index n - 3.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return {
    state: f[0],
    user: Number(f[11]) / TICKS,
    system: Number(f[12]) / TICKS,
    vms: Number(f[20]),
    rssPages: Number(f[21]),
    cpuNum: Number(f[36]),
  };
}

/**
 * Characters read and written (`rchar`/`wchar` of `/proc/<pid>/io`: psutil's `read_chars` and
 * `write_chars`, which Parsl stores as `psutil_process_disk_read`/`_write`).
 *
 * @param io The file's text.
 * @returns Read and written counts.
 *
 * @example
 * ```ts
 * import { parseIo } from "./_proc_fields.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseIo("rchar: 5\nwchar: 7\n"), { read: 5, write: 7 });
 * ```
 */
export function parseIo(io: string): { read: number; write: number } {
  return {
    read: Number(/^rchar:\s*(\d+)/m.exec(io)?.[1] ?? 0),
    write: Number(/^wchar:\s*(\d+)/m.exec(io)?.[1] ?? 0),
  };
}

/**
 * Context switches from a `/proc/<pid>/task/<tid>/status` (one thread's).
 *
 * @param status The file's text.
 * @returns Voluntary and involuntary counts.
 *
 * @example
 * ```ts
 * import { parseCtxSwitches } from "./_proc_fields.ts";
 * import assert from "node:assert/strict";
 * const s = "voluntary_ctxt_switches:\t3\nnonvoluntary_ctxt_switches:\t4\n";
 * assert.deepEqual(parseCtxSwitches(s), { voluntary: 3, involuntary: 4 });
 * ```
 */
export function parseCtxSwitches(status: string): { voluntary: number; involuntary: number } {
  return {
    voluntary: Number(/^voluntary_ctxt_switches:\s*(\d+)/m.exec(status)?.[1] ?? 0),
    involuntary: Number(/^nonvoluntary_ctxt_switches:\s*(\d+)/m.exec(status)?.[1] ?? 0),
  };
}
