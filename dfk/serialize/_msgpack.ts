/**
 * tsflow's MessagePack writer and reader for every value (no dependency, no native add-on).
 * Standard MessagePack for plain data (nil, booleans, numbers, strings, `Uint8Array` as bin,
 * arrays, objects as maps with string keys, 64-bit integers as `BigInt`); extension types for
 * what MessagePack has no type for (`undefined`, `Date`, `Map`, `Set`, other `BigInt`s, typed
 * arrays, `ArrayBuffer`) and for the codec's own extensions (errors, registered classes), whose
 * payload is itself an encoded value. Decoded binary data never shares memory with the input.
 *
 * @module
 */

/** Extension codes (application range, 0–127). */
export const EXT = {
  undefined: 0,
  error: 81,
  user: 82,
  date: 84,
  map: 85,
  set: 86,
  bigint: 87,
  typed: 88,
  arrayBuffer: 89,
} as const;

/** Turns an object the writer has no rule for into `[extension code, payload value]`, or not. */
export type ExtWriter = (value: object) => [number, unknown] | undefined;
/** Rebuilds a value from an extension's code and decoded payload value. */
export type ExtReader = (code: number, payload: unknown) => unknown;

type TypedArrayClass = { new (buffer: ArrayBuffer): ArrayBufferView; BYTES_PER_ELEMENT: number };
const TYPED: TypedArrayClass[] = [
  Uint8Array,
  Int8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];
const TYPED_CODE = new Map<unknown, number>(TYPED.map((c, i) => [c, i]));

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

let buf = new Uint8Array(4096);
let view = new DataView(buf.buffer);
let pos = 0;
let extWriter: ExtWriter = () => undefined;

function room(n: number): void {
  if (pos + n <= buf.length) return;
  const grown = new Uint8Array(Math.max(buf.length * 2, pos + n));
  grown.set(buf.subarray(0, pos));
  buf = grown;
  view = new DataView(buf.buffer);
}

function header(n: number, fix: number, fixMax: number, c8: number, c16: number, c32: number) {
  room(5);
  if (n <= fixMax) buf[pos++] = fix | n;
  else if (c8 && n <= 0xff) {
    buf[pos++] = c8;
    buf[pos++] = n;
  } else if (n <= 0xffff) {
    buf[pos++] = c16;
    view.setUint16(pos, n);
    pos += 2;
  } else {
    buf[pos++] = c32;
    view.setUint32(pos, n);
    pos += 4;
  }
}

function writeString(s: string): void {
  if (s.length < 32) {
    room(1 + s.length);
    const start = pos++;
    let ascii = true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      buf[pos++] = c;
    }
    if (ascii) {
      buf[start] = 0xa0 | s.length;
      return;
    }
    pos = start;
  }
  const bytes = utf8.encode(s);
  header(bytes.length, 0xa0, 31, 0xd9, 0xda, 0xdb);
  writeRaw(bytes);
}

function writeRaw(bytes: Uint8Array): void {
  room(bytes.length);
  buf.set(bytes, pos);
  pos += bytes.length;
}

function writeNumber(x: number): void {
  room(9);
  if (Number.isInteger(x) && x >= -0x80000000 && x <= 0xffffffff && !Object.is(x, -0)) {
    if (x >= 0) {
      if (x < 0x80) buf[pos++] = x;
      else if (x <= 0xff) {
        buf[pos++] = 0xcc;
        buf[pos++] = x;
      } else if (x <= 0xffff) {
        buf[pos++] = 0xcd;
        view.setUint16(pos, x);
        pos += 2;
      } else {
        buf[pos++] = 0xce;
        view.setUint32(pos, x);
        pos += 4;
      }
    } else if (x >= -32) buf[pos++] = x & 0xff;
    else {
      buf[pos++] = 0xd2;
      view.setInt32(pos, x);
      pos += 4;
    }
    return;
  }
  buf[pos++] = 0xcb;
  view.setFloat64(pos, x);
  pos += 8;
}

function writeBigInt(x: bigint): void {
  room(9);
  if (x >= INT64_MIN && x < 0n) {
    buf[pos++] = 0xd3;
    view.setBigInt64(pos, x);
    pos += 8;
  } else if (x >= 0n && x <= UINT64_MAX) {
    buf[pos++] = 0xcf;
    view.setBigUint64(pos, x);
    pos += 8;
  } else writeExtRaw(EXT.bigint, utf8.encode(x.toString()));
}

function writeExtRaw(code: number, payload: Uint8Array): void {
  room(6);
  buf[pos++] = 0xc9;
  view.setUint32(pos, payload.length);
  pos += 4;
  buf[pos++] = code;
  writeRaw(payload);
}

/** An extension whose payload is an encoded value: ext32 header, length patched after. */
function writeExtValue(code: number, payload: unknown): void {
  room(6);
  buf[pos++] = 0xc9;
  const at = pos;
  pos += 4;
  buf[pos++] = code;
  write(payload);
  view.setUint32(at, pos - at - 5);
}

function writeObject(v: object): void {
  if (Array.isArray(v)) {
    header(v.length, 0x90, 15, 0, 0xdc, 0xdd);
    for (const item of v) write(item);
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    const ext = extWriter(v);
    if (ext) return writeExtValue(ext[0], ext[1]);
    if (proto === Uint8Array.prototype) {
      const bytes = v as Uint8Array;
      header(bytes.length, 0, -1, 0xc4, 0xc5, 0xc6);
      return writeRaw(bytes);
    }
    if (v instanceof Date) return writeExtRaw(EXT.date, float64(v.getTime()));
    if (v instanceof Map) {
      const flat: unknown[] = [];
      for (const [k, val] of v) flat.push(k, val);
      return writeExtValue(EXT.map, flat);
    }
    if (v instanceof Set) return writeExtValue(EXT.set, [...v]);
    if (ArrayBuffer.isView(v)) {
      const code = TYPED_CODE.get(Object.getPrototypeOf(v).constructor) ??
        TYPED_CODE.get(Uint8Array)!; // a DataView or Buffer travels as its bytes
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      const payload = new Uint8Array(1 + bytes.length);
      payload[0] = code;
      payload.set(bytes, 1);
      return writeExtRaw(EXT.typed, payload);
    }
    if (v instanceof ArrayBuffer) return writeExtRaw(EXT.arrayBuffer, new Uint8Array(v));
  }
  // A plain object, or an instance with no rule: its own enumerable fields, as a map.
  const rec = v as Record<string, unknown>;
  let keys = Object.keys(rec);
  if (omitUndefined) keys = keys.filter((k) => rec[k] !== undefined);
  header(keys.length, 0x80, 15, 0, 0xde, 0xdf);
  for (const key of keys) {
    writeString(key);
    write(rec[key]);
  }
}

function float64(x: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, x);
  return out;
}

function write(v: unknown): void {
  switch (typeof v) {
    case "string":
      return writeString(v);
    case "number":
      return writeNumber(v);
    case "boolean":
      room(1);
      buf[pos++] = v ? 0xc3 : 0xc2;
      return;
    case "bigint":
      return writeBigInt(v);
    case "object":
      if (v === null) {
        room(1);
        buf[pos++] = 0xc0;
        return;
      }
      return writeObject(v);
    default: // undefined; functions and symbols have no data to send
      room(3);
      buf[pos++] = 0xd4;
      buf[pos++] = EXT.undefined;
      buf[pos++] = 0;
  }
}

/**
 * Encodes a value.
 *
 * @param value Any value.
 * @param ext Extensions for objects with registered rules (checked before built-in classes).
 * @param opts `reserve`: zero bytes left free before the value (room for a frame header);
 * `omitUndefinedFields`: leave out an object's fields whose value is `undefined` (protocol
 * messages, where an absent field and an undefined one mean the same).
 * @returns A fresh byte array.
 *
 * @example
 * ```ts
 * import { pack, unpack } from "./_msgpack.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(unpack(pack({ a: [1, "b"] })), { a: [1, "b"] });
 * ```
 */
export function pack(value: unknown, ext?: ExtWriter, opts: PackOptions = {}): Uint8Array {
  const reserve = opts.reserve ?? 0;
  // An extension's toData may itself call pack: that nested call writes into its own buffer.
  const outer = packing ? { buf, view, pos, extWriter, omitUndefined } : undefined;
  if (outer) {
    buf = new Uint8Array(256);
    view = new DataView(buf.buffer);
  }
  packing = true;
  pos = 0;
  room(reserve);
  buf.fill(0, 0, reserve);
  pos = reserve;
  extWriter = ext ?? (() => undefined);
  omitUndefined = opts.omitUndefinedFields ?? false;
  try {
    write(value);
    return buf.slice(0, pos);
  } finally {
    if (outer) ({ buf, view, pos, extWriter, omitUndefined } = outer);
    else {
      packing = false;
      // A huge value would otherwise pin a huge buffer for the life of the process.
      if (buf.length > 1 << 20) {
        buf = new Uint8Array(4096);
        view = new DataView(buf.buffer);
      }
    }
  }
}
let packing = false;
let omitUndefined = false;

/** Options of {@linkcode pack}. */
export interface PackOptions {
  /** Zero bytes left free before the value. @default 0 */
  reserve?: number;
  /** Leave out object fields whose value is `undefined`. @default false */
  omitUndefinedFields?: boolean;
}

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

function readArray(n: number): unknown[] {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = read();
  return out;
}

function readMap(n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const key = read();
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
  const outer = { src, srcView, at, extReader };
  src = bytes;
  srcView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  at = 0;
  extReader = ext ?? ((code) => {
    throw new RangeError(`MessagePack: unknown extension ${code}`);
  });
  try {
    const value = read();
    if (at !== bytes.length) throw new RangeError("MessagePack: trailing bytes after the value");
    return value;
  } finally {
    // An extension's fromData may itself call unpack (nested use): restore the outer state.
    ({ src, srcView, at, extReader } = outer);
  }
}
