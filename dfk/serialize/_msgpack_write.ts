/**
 * MessagePack's number and length-header forms, written at a position of a caller's buffer: the
 * one definition the packer (`_msgpack_pack.ts`) and the interchange's writers, which write
 * messages straight into frames (`interchange/_task_record.ts`, `interchange/frame_codec.ts`),
 * share, so that bytes written either way are the same.
 *
 * @module
 */

/** The type bytes of a MessagePack length header. */
export interface LengthCodes {
  /** Base of the fix form, if the type has one. */
  fix: number;
  /** Longest length of the fix form (-1: the type has none). */
  fixMax: number;
  /** The 8-bit form (0: the type has none). */
  c8: number;
  /** The 16-bit form. */
  c16: number;
  /** The 32-bit form. */
  c32: number;
}

/** An array's header codes. */
export const ARRAY_HEADER: LengthCodes = { fix: 0x90, fixMax: 15, c8: 0, c16: 0xdc, c32: 0xdd };
/** A map's header codes. */
export const MAP_HEADER: LengthCodes = { fix: 0x80, fixMax: 15, c8: 0, c16: 0xde, c32: 0xdf };
/** A string's header codes. */
export const STR_HEADER: LengthCodes = { fix: 0xa0, fixMax: 31, c8: 0xd9, c16: 0xda, c32: 0xdb };
/** A byte string's (`bin`) header codes. */
export const BIN_HEADER: LengthCodes = { fix: 0, fixMax: -1, c8: 0xc4, c16: 0xc5, c32: 0xc6 };

/**
 * Writes the header of a string, byte string, array or map of `n` items (at most 5 bytes).
 *
 * @param out The buffer.
 * @param view A DataView of `out`'s whole buffer.
 * @param at Where to write.
 * @param n The length.
 * @param codes The type's header codes.
 * @returns The position after the header.
 *
 * @example
 * ```ts
 * import { ARRAY_HEADER, BIN_HEADER, writeHeaderAt } from "./_msgpack_write.ts";
 * import assert from "node:assert/strict";
 * const out = new Uint8Array(8);
 * const view = new DataView(out.buffer);
 * assert.equal(writeHeaderAt(out, view, 0, 3, ARRAY_HEADER), 1);
 * assert.equal(out[0], 0x93);
 * assert.equal(writeHeaderAt(out, view, 0, 300, BIN_HEADER), 3);
 * assert.deepEqual([...out.subarray(0, 3)], [0xc5, 1, 44]);
 * ```
 */
export function writeHeaderAt(
  out: Uint8Array,
  view: DataView,
  at: number,
  n: number,
  codes: LengthCodes,
): number {
  if (n <= codes.fixMax) {
    out[at] = codes.fix | n;
    return at + 1;
  }
  if (codes.c8 !== 0 && n <= 0xff) {
    out[at] = codes.c8;
    out[at + 1] = n;
    return at + 2;
  }
  if (n <= 0xffff) {
    out[at] = codes.c16;
    view.setUint16(at + 1, n);
    return at + 3;
  }
  out[at] = codes.c32;
  view.setUint32(at + 1, n);
  return at + 5;
}

/** Whether `x` is written as an integer (in at most 32 bits); other numbers are float64. */
function asInteger(x: number): boolean {
  return Number.isInteger(x) && x >= -0x80000000 && x <= 0xffffffff && !Object.is(x, -0);
}

/**
 * Bytes {@linkcode writeNumberAt} writes for `x`.
 *
 * @param x The number.
 * @returns 1, 2, 3, 5 or 9.
 *
 * @example
 * ```ts
 * import { numberSize } from "./_msgpack_write.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([1, 200, 70000, -1, 0.5].map(numberSize), [1, 2, 5, 1, 9]);
 * ```
 */
export function numberSize(x: number): number {
  if (!asInteger(x)) return 9;
  if (x >= 0) return x < 0x80 ? 1 : x <= 0xff ? 2 : x <= 0xffff ? 3 : 5;
  return x >= -32 ? 1 : 5;
}

/**
 * Writes a number: an integer in the fewest bytes (up to 32 bits), any other as a float64.
 *
 * @param out The buffer.
 * @param view A DataView of `out`'s whole buffer.
 * @param at Where to write.
 * @param x The number.
 * @returns The position after it.
 *
 * @example
 * ```ts
 * import { writeNumberAt } from "./_msgpack_write.ts";
 * import assert from "node:assert/strict";
 * const out = new Uint8Array(9);
 * assert.equal(writeNumberAt(out, new DataView(out.buffer), 0, 300), 3);
 * assert.deepEqual([...out.subarray(0, 3)], [0xcd, 1, 44]);
 * ```
 */
export function writeNumberAt(out: Uint8Array, view: DataView, at: number, x: number): number {
  if (asInteger(x)) {
    if (x >= 0) {
      if (x < 0x80) {
        out[at] = x;
        return at + 1;
      }
      if (x <= 0xff) {
        out[at] = 0xcc;
        out[at + 1] = x;
        return at + 2;
      }
      if (x <= 0xffff) {
        out[at] = 0xcd;
        view.setUint16(at + 1, x);
        return at + 3;
      }
      out[at] = 0xce;
      view.setUint32(at + 1, x);
      return at + 5;
    }
    if (x >= -32) {
      out[at] = x & 0xff;
      return at + 1;
    }
    out[at] = 0xd2;
    view.setInt32(at + 1, x);
    return at + 5;
  }
  out[at] = 0xcb;
  view.setFloat64(at + 1, x);
  return at + 9;
}
