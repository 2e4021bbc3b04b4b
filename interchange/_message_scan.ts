/**
 * Reads the fields the interchange needs from a `task` or `result` message's MessagePack bytes,
 * without decoding it: it queues a task from these (`TaskStore.pushEncoded`) and relays a
 * result as its bytes, so a million tasks passing through make no object, string or byte copy
 * each (the decoded messages of a read, alive until the read is handled, were much of what
 * survived the interchange's young-generation collections, and what survives them is what makes
 * V8 grow that generation).
 *
 * It takes only the plain forms the executor and the workers write: a map of the protocol's
 * fields, each once, with the types the protocol's validator accepts (finite numbers). Anything
 * else, valid or not, is left to the caller's full decode and validation (`validateMessage`),
 * which then accepts it or names what is wrong: the two agree on every message this one takes.
 *
 * @module
 */

/** A task's fields, as offsets into its bytes where they are not numbers. */
export interface ScannedTask {
  /** Task sequence number. */
  id: number;
  /** Priority (`hasP`: whether it has one). */
  p: number;
  /** Whether the message has a priority. */
  hasP: boolean;
  /** Walltime, seconds. */
  w: number;
  /** Expected running time, seconds. */
  rt: number;
  /** Whether its kind is `bash` (else `function`). */
  bash: boolean;
  /** Where its name's MessagePack bytes (header included) start and end. */
  nameStart: number;
  /** End of its name's bytes. */
  nameEnd: number;
  /** Where its body (`b`, without its header) starts and ends. */
  bodyStart: number;
  /** End of its body. */
  bodyEnd: number;
}

// One result object, reused: a scan allocates nothing.
const out: ScannedTask = {
  id: 0,
  p: 0,
  hasP: false,
  w: 0,
  rt: 0,
  bash: false,
  nameStart: 0,
  nameEnd: 0,
  bodyStart: 0,
  bodyEnd: 0,
};

const K = 1, ID = 2, P = 4, W = 8, RT = 16, N = 32, KIND = 64, B = 128;
const REQUIRED = K | ID | W | RT | N | KIND | B;

const EMPTY = new Uint8Array(0);
let src: Uint8Array = EMPTY;
let at = 0;
// Floats are read through these (a DataView per message would be an object per task).
const f64 = new Float64Array(1);
const f32 = new Float32Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const f32Bytes = new Uint8Array(f32.buffer);
const LITTLE = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

const u16 = (p: number) => (src[p] << 8) | src[p + 1];
const u32 = (p: number) =>
  ((src[p] << 24) >>> 0) + (src[p + 1] << 16) + (src[p + 2] << 8) + src[p + 3];

function float(p: number, size: 4 | 8): number {
  const bytes = size === 8 ? f64Bytes : f32Bytes;
  for (let i = 0; i < size; i++) bytes[LITTLE ? size - 1 - i : i] = src[p + i];
  return size === 8 ? f64[0] : f32[0];
}

/** Which task field a fixstr key at `at` names (its bit), or 0; moves past it when known. */
function key(): number {
  const c = src[at];
  const n = c - 0xa0;
  if (n < 1 || n > 4 || at + 1 + n > src.length) return 0;
  const a = src[at + 1];
  let bit = 0;
  if (n === 1) {
    bit = a === 0x6b ? K : a === 0x70 ? P : a === 0x77 ? W : a === 0x6e ? N : a === 0x62 ? B : 0;
  } else if (n === 2) {
    const b = src[at + 2];
    bit = a === 0x69 && b === 0x64 ? ID : a === 0x72 && b === 0x74 ? RT : 0;
  } else if (n === 4) {
    // "kind"
    bit = a === 0x6b && src[at + 2] === 0x69 && src[at + 3] === 0x6e && src[at + 4] === 0x64
      ? KIND
      : 0;
  }
  if (bit !== 0) at += 1 + n;
  return bit;
}

/** A finite number at `at` (moving past it), or NaN when the value is anything else. */
function number(): number {
  if (at >= src.length) return NaN;
  const c = src[at];
  if (c < 0x80) {
    at++;
    return c;
  }
  if (c >= 0xe0) {
    at++;
    return c - 0x100;
  }
  let x: number, n: number;
  switch (c) {
    case 0xcc:
      n = 1;
      break;
    case 0xcd:
    case 0xd1:
      n = 2;
      break;
    case 0xce:
    case 0xd2:
    case 0xca:
      n = 4;
      break;
    case 0xd0:
      n = 1;
      break;
    case 0xcb:
      n = 8;
      break;
    default:
      return NaN;
  }
  if (at + 1 + n > src.length) return NaN;
  const p = at + 1;
  switch (c) {
    case 0xcc:
      x = src[p];
      break;
    case 0xcd:
      x = u16(p);
      break;
    case 0xce:
      x = u32(p);
      break;
    case 0xd0:
      x = (src[p] << 24) >> 24;
      break;
    case 0xd1:
      x = (u16(p) << 16) >> 16;
      break;
    case 0xd2:
      x = u32(p) | 0;
      break;
    case 0xca:
      x = float(p, 4);
      break;
    default:
      x = float(p, 8);
  }
  at = p + n;
  return x;
}

/** Whether the bytes at `at` are the fixstr `s` (ASCII); moves past it when they are. */
function fixstr(s: readonly number[]): boolean {
  const n = s.length;
  if (src[at] !== (0xa0 | n) || at + 1 + n > src.length) return false;
  for (let i = 0; i < n; i++) if (src[at + 1 + i] !== s[i]) return false;
  at += 1 + n;
  return true;
}

const TASK = [0x74, 0x61, 0x73, 0x6b];
const FUNCTION = [0x66, 0x75, 0x6e, 0x63, 0x74, 0x69, 0x6f, 0x6e];
const BASH = [0x62, 0x61, 0x73, 0x68];

// The header size and length `sized` found.
let head = 0, size = 0;

/** Whether a str or bin value is at `at` (header one of `c8`/`c16`/`c32`, or a fixstr). */
function sized(fix: boolean, c8: number, c16: number, c32: number): boolean {
  if (at >= src.length) return false;
  const c = src[at];
  if (fix && c >= 0xa0 && c <= 0xbf) {
    head = 1;
    size = c & 0x1f;
  } else if (c === c8 && at + 2 <= src.length) {
    head = 2;
    size = src[at + 1];
  } else if (c === c16 && at + 3 <= src.length) {
    head = 3;
    size = u16(at + 1);
  } else if (c === c32 && at + 5 <= src.length) {
    head = 5;
    size = u32(at + 1);
  } else return false;
  return at + head + size <= src.length;
}

/**
 * The fields of a task message, when it is in the plain form (see the module's note).
 *
 * @param bytes One encoded message.
 * @returns Its fields (an object reused by the next call), or undefined: decode and validate it.
 *
 * @example
 * ```ts
 * import { scanTask } from "./_message_scan.ts";
 * import { encodeWire } from "./wire_codec.ts";
 * import assert from "node:assert/strict";
 * const m = { k: "task", id: 7, w: 0, rt: 0, n: "f", kind: "bash", b: Uint8Array.of(1, 2) };
 * const t = scanTask(encodeWire(m))!;
 * assert(t.id === 7 && t.bash && !t.hasP && t.bodyEnd - t.bodyStart === 2);
 * assert(scanTask(encodeWire({ ...m, extra: 1 })) === undefined);
 * ```
 */
export function scanTask(bytes: Uint8Array): ScannedTask | undefined {
  src = bytes;
  at = 0;
  try {
    return scan();
  } finally {
    src = EMPTY; // not kept alive between calls
  }
}

function scan(): ScannedTask | undefined {
  const c = src[0];
  let n: number;
  if (c >= 0x80 && c <= 0x8f) {
    n = c & 0x0f;
    at = 1;
  } else if (c === 0xde && src.length >= 3) {
    n = u16(1);
    at = 3;
  } else return undefined;
  let seen = 0;
  out.hasP = false;
  for (let i = 0; i < n; i++) {
    const bit = key();
    if (bit === 0 || (seen & bit) !== 0) return undefined;
    seen |= bit;
    switch (bit) {
      case K:
        if (!fixstr(TASK)) return undefined;
        break;
      case KIND:
        if (fixstr(FUNCTION)) out.bash = false;
        else if (fixstr(BASH)) out.bash = true;
        else return undefined;
        break;
      case N:
        if (!sized(true, 0xd9, 0xda, 0xdb)) return undefined;
        out.nameStart = at;
        at += head + size;
        out.nameEnd = at;
        break;
      case B:
        if (!sized(false, 0xc4, 0xc5, 0xc6)) return undefined;
        out.bodyStart = at + head;
        at += head + size;
        out.bodyEnd = at;
        break;
      default: {
        const x = number();
        if (!Number.isFinite(x)) return undefined;
        if (bit === ID) out.id = x;
        else if (bit === W) out.w = x;
        else if (bit === RT) out.rt = x;
        else {
          out.p = x;
          out.hasP = true;
        }
      }
    }
  }
  if ((seen & REQUIRED) !== REQUIRED || at !== src.length) return undefined;
  return out;
}

const RESULT = [0x72, 0x65, 0x73, 0x75, 0x6c, 0x74];
const WORKER_ID = [0x77, 0x6f, 0x72, 0x6b, 0x65, 0x72, 0x49, 0x64];
const WID = 256;

/** Which result field a fixstr key at `at` names (its bit), or 0; moves past it when known. */
function resultKey(): number {
  const c = src[at];
  const n = c - 0xa0;
  if (at + 1 + n > src.length) return 0;
  const a = src[at + 1];
  let bit = 0;
  if (n === 1) bit = a === 0x6b ? K : a === 0x62 ? B : 0;
  else if (n === 2) bit = a === 0x69 && src[at + 2] === 0x64 ? ID : 0;
  else if (n === 8) {
    bit = WID;
    for (let i = 0; i < 8; i++) if (src[at + 1 + i] !== WORKER_ID[i]) bit = 0;
  }
  if (bit !== 0) at += 1 + n;
  return bit;
}

/**
 * The task id of a `result` message in the plain form a worker writes (`k`, `id`, `b`, and
 * perhaps `workerId`: no start time or place for the interchange to add to).
 *
 * @param bytes One encoded message.
 * @returns Its id, or undefined: decode and validate it.
 *
 * @example
 * ```ts
 * import { scanResult } from "./_message_scan.ts";
 * import { encodeWire } from "./wire_codec.ts";
 * import assert from "node:assert/strict";
 * assert(scanResult(encodeWire({ k: "result", id: 9, b: Uint8Array.of(1) })) === 9);
 * assert(scanResult(encodeWire({ k: "result", id: 9, b: Uint8Array.of(1), started: 5 })) === undefined);
 * ```
 */
export function scanResult(bytes: Uint8Array): number | undefined {
  src = bytes;
  at = 0;
  try {
    return result();
  } finally {
    src = EMPTY;
  }
}

function result(): number | undefined {
  const c = src[0];
  let n: number;
  if (c >= 0x80 && c <= 0x8f) {
    n = c & 0x0f;
    at = 1;
  } else return undefined;
  let seen = 0, id = 0;
  for (let i = 0; i < n; i++) {
    const bit = resultKey();
    if (bit === 0 || (seen & bit) !== 0) return undefined;
    seen |= bit;
    if (bit === K) {
      if (!fixstr(RESULT)) return undefined;
    } else if (bit === B) {
      if (!sized(false, 0xc4, 0xc5, 0xc6)) return undefined;
      at += head + size;
    } else {
      const x = number();
      if (!Number.isFinite(x)) return undefined;
      if (bit === ID) id = x;
    }
  }
  if ((seen & (K | ID | B)) !== (K | ID | B) || at !== src.length) return undefined;
  return id;
}
