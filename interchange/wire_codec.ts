/**
 * The MessagePack coder for frame bodies. Protocol messages are small plain objects (strings,
 * numbers, booleans, byte payloads, nested objects and arrays), and each process touches only a
 * few per wake-up: at that rate the cost is not instructions but cold caches, and a general
 * codec's large code path costs a relay ~10 µs per message where this small one costs ~1 µs.
 * It writes and reads standard MessagePack (maps, arrays, str, bin, int, float64), so any
 * MessagePack reader decodes its frames; anything outside that subset (a `Date`, a `BigInt`,
 * an `Error`, extensions) falls back to the full codec (`dfk/serialize/codec.ts`), for the whole
 * body. In both a MessagePack map is a plain object: protocol messages carry no `Map`.
 *
 * @module
 */
import { decode as decodeFull, encode as encodeFull } from "../dfk/serialize/codec.ts";

/** A value outside the subset: the caller falls back to the full codec. */
const OUTSIDE = Symbol("outside");

let scratch = new Uint8Array(4096);
let pos = 0;
let view = new DataView(scratch.buffer);
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

function room(n: number): void {
  if (pos + n <= scratch.length) return;
  const grown = new Uint8Array(Math.max(scratch.length * 2, pos + n));
  grown.set(scratch.subarray(0, pos));
  scratch = grown;
  view = new DataView(scratch.buffer);
}

function writeHeader(n: number, fix: number, fixMax: number, c16: number, c32: number): void {
  room(5);
  if (n <= fixMax) scratch[pos++] = fix | n;
  else if (n <= 0xffff) {
    scratch[pos++] = c16;
    view.setUint16(pos, n);
    pos += 2;
  } else {
    scratch[pos++] = c32;
    view.setUint32(pos, n);
    pos += 4;
  }
}

function writeString(s: string): void {
  const n = s.length;
  // Short ASCII strings (keys, kinds, ids) are written byte by byte; others through UTF-8.
  if (n < 32) {
    room(1 + n);
    const start = pos++;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      scratch[pos++] = c;
    }
    if (ascii) {
      scratch[start] = 0xa0 | n;
      return;
    }
    pos = start;
  }
  const bytes = utf8.encode(s);
  if (bytes.length <= 0xff) {
    room(2 + bytes.length);
    scratch[pos++] = 0xd9;
    scratch[pos++] = bytes.length;
  } else writeHeader(bytes.length, 0, -1, 0xda, 0xdb);
  room(bytes.length);
  scratch.set(bytes, pos);
  pos += bytes.length;
}

function writeNumber(x: number): void {
  room(9);
  if (Number.isInteger(x) && x >= -0x80000000 && x <= 0xffffffff && !Object.is(x, -0)) {
    if (x >= 0) {
      if (x < 0x80) scratch[pos++] = x;
      else if (x <= 0xff) {
        scratch[pos++] = 0xcc;
        scratch[pos++] = x;
      } else if (x <= 0xffff) {
        scratch[pos++] = 0xcd;
        view.setUint16(pos, x);
        pos += 2;
      } else {
        scratch[pos++] = 0xce;
        view.setUint32(pos, x);
        pos += 4;
      }
    } else if (x >= -32) scratch[pos++] = x & 0xff;
    else {
      scratch[pos++] = 0xd2;
      view.setInt32(pos, x);
      pos += 4;
    }
    return;
  }
  scratch[pos++] = 0xcb;
  view.setFloat64(pos, x);
  pos += 8;
}

function write(v: unknown): void {
  switch (typeof v) {
    case "string":
      return writeString(v);
    case "number":
      return writeNumber(v);
    case "boolean":
      room(1);
      scratch[pos++] = v ? 0xc3 : 0xc2;
      return;
    case "object": {
      if (v === null) {
        room(1);
        scratch[pos++] = 0xc0;
        return;
      }
      if (Array.isArray(v)) {
        writeHeader(v.length, 0x90, 15, 0xdc, 0xdd);
        for (const item of v) {
          if (item === undefined) throw OUTSIDE;
          write(item);
        }
        return;
      }
      if (v instanceof Uint8Array && v.constructor === Uint8Array) {
        const n = v.length;
        room(5 + n);
        if (n <= 0xff) {
          scratch[pos++] = 0xc4;
          scratch[pos++] = n;
        } else writeHeader(n, 0, -1, 0xc5, 0xc6);
        scratch.set(v, pos);
        pos += n;
        return;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw OUTSIDE;
      const rec = v as Record<string, unknown>;
      // Absent and undefined are the same to every protocol reader: undefined fields are left out.
      let n = 0;
      for (const key in rec) if (rec[key] !== undefined) n++;
      writeHeader(n, 0x80, 15, 0xde, 0xdf);
      for (const key in rec) {
        const value = rec[key];
        if (value === undefined) continue;
        writeString(key);
        write(value);
      }
      return;
    }
    default:
      throw OUTSIDE;
  }
}

/**
 * Encodes a frame body: `reserve` zero bytes (room for a frame header), then the value.
 *
 * @param value The message array.
 * @param reserve Bytes left free at the start.
 * @returns The bytes.
 *
 * @example
 * ```ts
 * import { decodeWire, encodeWire } from "./wire_codec.ts";
 * import assert from "node:assert/strict";
 * const bytes = encodeWire([{ k: "result", id: 7, b: new Uint8Array([1, 2]) }]);
 * assert((decodeWire(bytes) as { id: number }[])[0].id === 7);
 * ```
 */
export function encodeWire(value: unknown, reserve = 0): Uint8Array {
  pos = 0;
  room(reserve);
  pos = reserve;
  try {
    write(value);
  } catch (e) {
    if (e !== OUTSIDE) throw e;
    const body = encodeFull(value);
    const out = new Uint8Array(reserve + body.length);
    out.set(body, reserve);
    return out;
  }
  const out = scratch.slice(0, pos);
  // A huge message would otherwise pin a huge scratch buffer for the life of the process.
  if (scratch.length > 1 << 20) {
    scratch = new Uint8Array(4096);
    view = new DataView(scratch.buffer);
  }
  return out;
}

const EMPTY: Uint8Array = new Uint8Array(0);
let src = EMPTY;
let at = 0;
let srcView: DataView = new DataView(src.buffer);

function need(n: number): void {
  if (at + n > src.length) throw OUTSIDE;
}

function readString(n: number): string {
  need(n);
  const start = at;
  at += n;
  if (n < 32) {
    let s = "";
    for (let i = start; i < at; i++) {
      const c = src[i];
      if (c >= 0x80) return utf8Decoder.decode(src.subarray(start, at));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8Decoder.decode(src.subarray(start, at));
}

function readMap(n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const key = read();
    if (typeof key !== "string" || key === "__proto__") throw OUTSIDE;
    out[key] = read();
  }
  return out;
}

function readArray(n: number): unknown[] {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = read();
  return out;
}

function readBytes(n: number): Uint8Array {
  need(n);
  // A copy: the input is a reused read buffer.
  const out = src.slice(at, at + n);
  at += n;
  return out;
}

function read(): unknown {
  need(1);
  const c = src[at++];
  if (c < 0x80) return c;
  if (c < 0x90) return readMap(c & 0x0f);
  if (c < 0xa0) return readArray(c & 0x0f);
  if (c < 0xc0) return readString(c & 0x1f);
  if (c >= 0xe0) return c - 0x100;
  let v: number;
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
      v = srcView.getUint16(at);
      at += 2;
      return readBytes(v);
    case 0xc6:
      need(4);
      v = srcView.getUint32(at);
      at += 4;
      return readBytes(v);
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
      // 64-bit integers, extensions: the full codec knows them.
      throw OUTSIDE;
  }
}

/**
 * Decodes a frame body, with the full codec when it holds anything outside the subset.
 *
 * @param body MessagePack bytes (may be a view of a reused buffer: nothing returned aliases it).
 * @returns The value.
 * @throws Error when the bytes are not MessagePack (from the full codec).
 *
 * @example
 * ```ts
 * import { encode } from "../dfk/serialize/codec.ts";
 * import { decodeWire } from "./wire_codec.ts";
 * import assert from "node:assert/strict";
 * // Frames from the full codec decode too.
 * assert((decodeWire(encode([{ k: "hb" }])) as { k: string }[])[0].k === "hb");
 * ```
 */
export function decodeWire(body: Uint8Array): unknown {
  src = body;
  at = 0;
  srcView = new DataView(body.buffer, body.byteOffset, body.byteLength);
  try {
    const value = read();
    if (at === body.length) return value;
  } catch (e) {
    if (e !== OUTSIDE) throw e;
  } finally {
    src = EMPTY; // holds no caller's buffer between calls
  }
  return decodeFull(body);
}
