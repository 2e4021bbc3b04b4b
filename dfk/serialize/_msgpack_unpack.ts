/**
 * The MessagePack reader of tsflow's codec (see `_msgpack.ts`).
 *
 * @module
 */
import { EXT, type ExtReader, TYPED } from "./_msgpack_ext.ts";

const utf8Decoder = new TextDecoder();
const EMPTY: Uint8Array = new Uint8Array(0);
let src: Uint8Array = EMPTY;
let srcView: DataView = new DataView(src.buffer);
let at = 0;
let extReader: ExtReader = () => undefined;

function need(n: number): void {
  if (at + n > src.length) throw new RangeError("MessagePack data ends early");
}

function readString(n: number): string {
  need(n);
  const start = at;
  at += n;
  if (n < MIN_CACHED_STRING) return decodeString(start, at);
  if (n <= MAX_CACHED_STRING) return cachedString(start, n);
  return utf8Decoder.decode(src.subarray(start, at));
}

function decodeString(start: number, end: number): string {
  if (end - start >= 32) return utf8Decoder.decode(src.subarray(start, end));
  let s = "";
  for (let i = start; i < end; i++) {
    const c = src[i];
    if (c >= 0x80) return utf8Decoder.decode(src.subarray(start, end));
    s += String.fromCharCode(c);
  }
  return s;
}

// Strings that repeat message after message (a task's module URL, app name and kind, on every
// task of a workflow): one found here is the string decoded last time, with no call into the
// runtime's UTF-8 decoder and no new string; lookups by it (a worker's function cache) then
// hash the same string. A miss costs one copy of the bytes, so only medium lengths are kept.
const MIN_CACHED_STRING = 4;
const MAX_CACHED_STRING = 256;
const STRING_SLOTS = 256;
const stringBytes: (Uint8Array | undefined)[] = new Array(STRING_SLOTS);
const stringValues: string[] = new Array(STRING_SLOTS);

function cachedString(start: number, n: number): string {
  const end = start + n;
  // The ends differ most between strings of one length (paths, URLs): hash those bytes.
  const slot = (n * 31 + src[end - 1] * 7 + src[end - 2] * 5 + src[start] * 3 +
    src[start + (n >> 1)]) & (STRING_SLOTS - 1);
  const known = stringBytes[slot];
  if (known !== undefined && known.length === n) {
    let i = n - 1;
    while (i >= 0 && known[i] === src[start + i]) i--;
    if (i < 0) return stringValues[slot];
  }
  const bytes = src.slice(start, end);
  const value = decodeString(start, end);
  stringBytes[slot] = bytes;
  stringValues[slot] = value;
  return value;
}

function readArray(n: number): unknown[] {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = read();
  return out;
}

// Map keys repeat (every message of a kind has the same few): a short key found here is the
// same string as last time, so V8 need not build and internalize it again, and every object of a
// kind gets its properties from one string each (stable shapes for the code that reads them).
const KEY_SLOTS = 1024;
const keyBytes: (Uint8Array | undefined)[] = new Array(KEY_SLOTS);
const keyStrings: string[] = new Array(KEY_SLOTS);

function readKey(): unknown {
  const c = at < src.length ? src[at] : 0;
  const n = c - 0xa0;
  // A fixstr of 1..16 ASCII bytes; anything else is read as any other value.
  if (n < 1 || n > 16 || at + 1 + n > src.length) return read();
  const start = at + 1;
  const slot = (n * 31 + src[start] * 7 + src[start + n - 1] * 3 + src[start + (n >> 1)]) &
    (KEY_SLOTS - 1);
  const known = keyBytes[slot];
  if (known !== undefined && known.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (known[i] !== src[start + i]) {
        same = false;
        break;
      }
    }
    if (same) {
      at = start + n;
      return keyStrings[slot];
    }
  }
  at++;
  const key = readString(n);
  if (key.length === n) { // ASCII only: one byte per character
    keyBytes[slot] = src.slice(start, start + n);
    keyStrings[slot] = key;
  }
  return key;
}

function readMap(n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const key = readKey();
    const k = typeof key === "string" ? key : String(key);
    const value = read();
    // A "__proto__" key from the network is a plain field, never a prototype.
    if (k === "__proto__") {
      Object.defineProperty(out, k, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else out[k] = value;
  }
  return out;
}

function readBytes(n: number): Uint8Array {
  need(n);
  const out = src.slice(at, at + n);
  at += n;
  return out;
}

function readExt(n: number): unknown {
  need(1 + n);
  const code = (src[at++] << 24) >> 24; // signed
  const end = at + n;
  switch (code) {
    case EXT.undefined:
      at = end;
      return undefined;
    case EXT.date:
      at = end;
      return new Date(srcView.getFloat64(end - 8));
    case EXT.bigint:
      return BigInt(readString(n));
    case EXT.typed: {
      const cls = TYPED[src[at]];
      if (!cls) throw new RangeError(`MessagePack: unknown typed array kind ${src[at]}`);
      at++;
      return new cls(readBytes(n - 1).buffer as ArrayBuffer);
    }
    case EXT.arrayBuffer:
      return readBytes(n).buffer;
  }
  const payload = read();
  if (at !== end) throw new RangeError(`MessagePack: extension ${code} has the wrong length`);
  switch (code) {
    case EXT.map: {
      const flat = payload as unknown[];
      const m = new Map();
      for (let i = 0; i < flat.length; i += 2) m.set(flat[i], flat[i + 1]);
      return m;
    }
    case EXT.set:
      return new Set(payload as unknown[]);
  }
  return extReader(code, payload);
}

function read(): unknown {
  need(1);
  const c = src[at++];
  if (c < 0x80) return c;
  if (c < 0x90) return readMap(c & 0x0f);
  if (c < 0xa0) return readArray(c & 0x0f);
  if (c < 0xc0) return readString(c & 0x1f);
  if (c >= 0xe0) return c - 0x100;
  switch (c) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xc4:
      need(1);
      return readBytes(src[at++]);
    case 0xc5:
      need(2);
      at += 2;
      return readBytes(srcView.getUint16(at - 2));
    case 0xc6:
      need(4);
      at += 4;
      return readBytes(srcView.getUint32(at - 4));
    case 0xc7:
      need(1);
      return readExt(src[at++]);
    case 0xc8:
      need(2);
      at += 2;
      return readExt(srcView.getUint16(at - 2));
    case 0xc9:
      need(4);
      at += 4;
      return readExt(srcView.getUint32(at - 4));
    case 0xca:
      need(4);
      at += 4;
      return srcView.getFloat32(at - 4);
    case 0xcb:
      need(8);
      at += 8;
      return srcView.getFloat64(at - 8);
    case 0xcc:
      need(1);
      return src[at++];
    case 0xcd:
      need(2);
      at += 2;
      return srcView.getUint16(at - 2);
    case 0xce:
      need(4);
      at += 4;
      return srcView.getUint32(at - 4);
    case 0xcf:
      need(8);
      at += 8;
      return srcView.getBigUint64(at - 8);
    case 0xd0:
      need(1);
      at += 1;
      return srcView.getInt8(at - 1);
    case 0xd1:
      need(2);
      at += 2;
      return srcView.getInt16(at - 2);
    case 0xd2:
      need(4);
      at += 4;
      return srcView.getInt32(at - 4);
    case 0xd3:
      need(8);
      at += 8;
      return srcView.getBigInt64(at - 8);
    case 0xd4:
      return readExt(1);
    case 0xd5:
      return readExt(2);
    case 0xd6:
      return readExt(4);
    case 0xd7:
      return readExt(8);
    case 0xd8:
      return readExt(16);
    case 0xd9:
      need(1);
      return readString(src[at++]);
    case 0xda:
      need(2);
      at += 2;
      return readString(srcView.getUint16(at - 2));
    case 0xdb:
      need(4);
      at += 4;
      return readString(srcView.getUint32(at - 4));
    case 0xdc:
      need(2);
      at += 2;
      return readArray(srcView.getUint16(at - 2));
    case 0xdd:
      need(4);
      at += 4;
      return readArray(srcView.getUint32(at - 4));
    case 0xde:
      need(2);
      at += 2;
      return readMap(srcView.getUint16(at - 2));
    case 0xdf:
      need(4);
      at += 4;
      return readMap(srcView.getUint32(at - 4));
    default:
      throw new RangeError(`MessagePack: byte 0x${c.toString(16)} is not a type`);
  }
}

/**
 * Decodes one value that fills all of `bytes`.
 *
 * @param bytes MessagePack bytes (may be a view of a reused buffer: nothing returned aliases it).
 * @param ext Rebuilds values of extensions the reader does not know itself.
 * @returns The value.
 * @throws RangeError when the bytes are truncated, have trailing data or are not MessagePack.
 *
 * @example
 * ```ts
 * import { pack, unpack } from "./_msgpack.ts";
 * import assert from "node:assert/strict";
 * assert(unpack(pack(new Set([1]))) instanceof Set);
 * ```
 */
export function unpack(bytes: Uint8Array, ext?: ExtReader): unknown {
  // An extension's fromData may itself call unpack (nested use): the outer state is saved then.
  const outer = depth > 0 ? { src, srcView, at, extReader } : undefined;
  depth++;
  src = bytes;
  srcView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  at = 0;
  extReader = ext ?? NO_EXT;
  try {
    const value = read();
    if (at !== bytes.length) throw new RangeError("MessagePack: trailing bytes after the value");
    return value;
  } finally {
    depth--;
    if (outer) ({ src, srcView, at, extReader } = outer);
    else {
      // Not kept alive by the reader between calls.
      src = EMPTY;
      srcView = EMPTY_VIEW;
    }
  }
}

let depth = 0;
const EMPTY_VIEW = new DataView(EMPTY.buffer);
const NO_EXT: ExtReader = (code) => {
  throw new RangeError(`MessagePack: unknown extension ${code}`);
};
