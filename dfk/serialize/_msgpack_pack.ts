/**
 * The MessagePack writer of tsflow's codec (see `_msgpack.ts`).
 *
 * @module
 */
import { EXT, type ExtWriter, TYPED_CODE } from "./_msgpack_ext.ts";
import {
  ARRAY_HEADER,
  BIN_HEADER,
  type LengthCodes,
  MAP_HEADER,
  STR_HEADER,
  writeHeaderAt,
  writeNumberAt,
} from "./_msgpack_write.ts";

const utf8 = new TextEncoder();
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

function header(n: number, codes: LengthCodes): void {
  room(5);
  pos = writeHeaderAt(buf, view, pos, n, codes);
}

function writeString(s: string): void {
  // ASCII (keys, names, module URLs): written char by char after its header, since its byte
  // length is its length; TextEncoder costs a call into the runtime and an array per string.
  const n = s.length;
  if (n <= 0xffff) {
    const start = pos;
    header(n, STR_HEADER);
    room(n);
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[pos++] = c;
    }
    if (i === n) return;
    pos = start;
  }
  const bytes = utf8.encode(s);
  header(bytes.length, STR_HEADER);
  writeRaw(bytes);
}

function writeRaw(bytes: Uint8Array): void {
  room(bytes.length);
  buf.set(bytes, pos);
  pos += bytes.length;
}

function writeNumber(x: number): void {
  room(9);
  pos = writeNumberAt(buf, view, pos, x);
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
    header(v.length, ARRAY_HEADER);
    for (const item of v) write(item);
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    const ext = extWriter(v);
    if (ext) return writeExtValue(ext[0], ext[1]);
    if (proto === Uint8Array.prototype) {
      const bytes = v as Uint8Array;
      header(bytes.length, BIN_HEADER);
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
  header(keys.length, MAP_HEADER);
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
  return run(value, ext, opts, true);
}

/**
 * Encodes a value into the writer's own buffer and returns a view of it, valid only until the
 * next encoding: no array is allocated for the result (a caller that copies the bytes at once
 * saves an allocation per value).
 *
 * @param value Any value.
 * @param ext Extensions, as {@linkcode pack}.
 * @param opts Options, as {@linkcode pack}.
 * @returns A view of the writer's buffer.
 *
 * @example
 * ```ts
 * import { packScratch, unpack } from "./_msgpack.ts";
 * import assert from "node:assert/strict";
 * const view = packScratch([1, 2]);
 * assert.deepEqual(unpack(view.slice()), [1, 2]);
 * ```
 */
export function packScratch(value: unknown, ext?: ExtWriter, opts: PackOptions = {}): Uint8Array {
  return run(value, ext, opts, false);
}

function run(
  value: unknown,
  ext: ExtWriter | undefined,
  opts: PackOptions,
  copy: boolean,
): Uint8Array {
  const reserve = opts.reserve ?? 0;
  // An extension's toData may itself call pack: that nested call writes into its own buffer.
  const outer = packing ? { buf, view, pos, extWriter, omitUndefined } : undefined;
  if (outer) {
    buf = new Uint8Array(256);
    view = new DataView(buf.buffer);
  }
  packing = true;
  pos = 0;
  if (reserve > 0) {
    room(reserve);
    buf.fill(0, 0, reserve);
    pos = reserve;
  }
  extWriter = ext ?? NO_EXT;
  omitUndefined = opts.omitUndefinedFields ?? false;
  try {
    write(value);
    return copy ? buf.slice(0, pos) : buf.subarray(0, pos);
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
const NO_EXT: ExtWriter = () => undefined;
let omitUndefined = false;

/** Options of {@linkcode pack}. */
export interface PackOptions {
  /** Zero bytes left free before the value. @default 0 */
  reserve?: number;
  /** Leave out object fields whose value is `undefined`. @default false */
  omitUndefinedFields?: boolean;
}
