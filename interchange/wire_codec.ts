/**
 * The MessagePack coder for frame bodies: the shared codec (`dfk/serialize/codec.ts`), writing
 * after room for the frame header so a frame is one buffer. It writes standard MessagePack (maps,
 * arrays, str, bin, int, float64, and the codec's extensions for a `Date`, a `BigInt`, an
 * `Error`…), so any MessagePack reader decodes protocol frames. Undefined fields are left out, as
 * every protocol reader treats an absent field. A MessagePack map is a plain object: protocol
 * messages carry no `Map`.
 *
 * @module
 */
import { decode, encode } from "../dfk/serialize/codec.ts";

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
  return encode(value, { reserve, omitUndefinedFields: true });
}

/**
 * Decodes a frame body.
 *
 * @param body MessagePack bytes (may be a view of a reused buffer: nothing returned aliases it).
 * @returns The value.
 * @throws RangeError when the bytes are not one MessagePack value.
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
  return decode(body);
}
