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
import { decode, encode, encodeScratch } from "../dfk/serialize/codec.ts";

// The position-based writers of numbers and length headers the interchange's message writers
// use: the packer's own, so that both write the same bytes.
export {
  ARRAY_HEADER,
  BIN_HEADER,
  type LengthCodes,
  numberSize,
  writeHeaderAt,
  writeNumberAt,
} from "../dfk/serialize/_msgpack_write.ts";

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
 * Encodes a message as {@linkcode encodeWire} does, into the coder's own buffer: the view is
 * valid only until the next encoding, for a caller that copies it at once.
 *
 * @param value The message.
 * @param reserve Zero bytes left free before it (a frame header).
 * @returns A view of the coder's buffer.
 *
 * @example
 * ```ts
 * import { decodeWire, encodeWireScratch } from "./wire_codec.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(decodeWire(encodeWireScratch({ k: "hb" }).slice()), { k: "hb" });
 * ```
 */
export function encodeWireScratch(value: unknown, reserve = 0): Uint8Array {
  return encodeScratch(value, { reserve, omitUndefinedFields: true });
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

/**
 * A message that is already encoded (its MessagePack bytes): a relay (the interchange, a pool)
 * passes a task or result on with these instead of decoding and encoding it again. A frame
 * writer puts the bytes in the frame as they are.
 *
 * @example
 * ```ts
 * import { decodeWire, EncodedMessage, encodeWire } from "./wire_codec.ts";
 * import assert from "node:assert/strict";
 * const m = new EncodedMessage(encodeWire({ k: "hb" }));
 * assert.deepEqual(decodeWire(m.bytes), { k: "hb" });
 * ```
 */
export class EncodedMessage {
  #bytes?: Uint8Array;

  /**
   * Wraps the bytes of one encoded message.
   * @param bytes One MessagePack value (a protocol message); a `FrameWriter` copies them when
   *   it is sent. A subclass that writes its bytes itself passes none.
   */
  constructor(bytes?: Uint8Array) {
    this.#bytes = bytes;
  }

  /** The message's bytes. */
  get bytes(): Uint8Array {
    if (this.#bytes) return this.#bytes;
    const b = new Uint8Array(this.byteLength);
    this.writeTo(b, new DataView(b.buffer), 0);
    return b;
  }

  /** How many messages the bytes hold (one; a writer's run of several holds more). */
  get count(): number {
    return 1;
  }

  /** How many bytes {@linkcode EncodedMessage.writeTo} writes. */
  get byteLength(): number {
    return this.#bytes!.length;
  }

  /**
   * Writes the message's bytes into a frame.
   * @param out The frame.
   * @param _view A view of the frame's buffer (for a subclass writing numbers).
   * @param at Where the message starts (room for `byteLength` bytes).
   */
  writeTo(out: Uint8Array, _view: DataView, at: number): void {
    out.set(this.#bytes!, at);
  }
}

/**
 * Where each element of an encoded array ends, without decoding any of them: the spans a relay
 * passes on as {@linkcode EncodedMessage}s.
 *
 * @param body MessagePack bytes of one array.
 * @returns The offset of the first element, then the end offset of each element.
 * @throws RangeError when the bytes are not one MessagePack array.
 *
 * @example
 * ```ts
 * import { elementEnds, encodeWire } from "./wire_codec.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(elementEnds(encodeWire([1, "ab"])), [1, 2, 5]);
 * ```
 */
export function elementEnds(body: Uint8Array): number[] {
  const c = body[0];
  let n: number, at: number;
  if (c >= 0x90 && c <= 0x9f) [n, at] = [c & 0x0f, 1];
  else if (c === 0xdc) [n, at] = [(body[1] << 8) | body[2], 3];
  else if (c === 0xdd) [n, at] = [readU32(body, 1), 5];
  else throw new RangeError("MessagePack: not an array");
  const ends = [at];
  for (let i = 0; i < n; i++) ends.push(at = skipValue(body, at));
  if (at !== body.length) throw new RangeError("MessagePack: trailing bytes after the array");
  return ends;
}

function readU32(b: Uint8Array, at: number): number {
  if (at + 4 > b.length) throw new RangeError("MessagePack data ends early");
  return ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
}

function readU16(b: Uint8Array, at: number): number {
  if (at + 2 > b.length) throw new RangeError("MessagePack data ends early");
  return (b[at] << 8) | b[at + 1];
}

/** The offset just past the MessagePack value at `at`. */
function skipValue(b: Uint8Array, at: number): number {
  if (at >= b.length) throw new RangeError("MessagePack data ends early");
  const c = b[at++];
  let items = 0;
  let size = 0;
  if (c < 0x80 || c >= 0xe0) return at;
  if (c < 0x90) items = (c & 0x0f) * 2;
  else if (c < 0xa0) items = c & 0x0f;
  else if (c < 0xc0) size = c & 0x1f;
  else {
    switch (c) {
      case 0xc0:
      case 0xc2:
      case 0xc3:
        return at;
      case 0xc4:
      case 0xd9:
        if (at >= b.length) throw new RangeError("MessagePack data ends early");
        size = b[at++];
        break;
      case 0xc5:
      case 0xda:
        size = readU16(b, at);
        at += 2;
        break;
      case 0xc6:
      case 0xdb:
        size = readU32(b, at);
        at += 4;
        break;
      case 0xc7:
        if (at >= b.length) throw new RangeError("MessagePack data ends early");
        size = b[at++] + 1;
        break;
      case 0xc8:
        size = readU16(b, at) + 1;
        at += 2;
        break;
      case 0xc9:
        size = readU32(b, at) + 1;
        at += 4;
        break;
      case 0xca:
        size = 4;
        break;
      case 0xcb:
      case 0xcf:
      case 0xd3:
        size = 8;
        break;
      case 0xcc:
      case 0xd0:
        size = 1;
        break;
      case 0xcd:
      case 0xd1:
        size = 2;
        break;
      case 0xce:
      case 0xd2:
        size = 4;
        break;
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8:
        size = 1 + (1 << (c - 0xd4));
        break;
      case 0xdc:
        items = readU16(b, at);
        at += 2;
        break;
      case 0xdd:
        items = readU32(b, at);
        at += 4;
        break;
      case 0xde:
        items = readU16(b, at) * 2;
        at += 2;
        break;
      case 0xdf:
        items = readU32(b, at) * 2;
        at += 4;
        break;
      default:
        throw new RangeError(`MessagePack: byte 0x${c.toString(16)} is not a type`);
    }
  }
  for (let i = 0; i < items; i++) at = skipValue(b, at);
  if (at + size > b.length) throw new RangeError("MessagePack data ends early");
  return at + size;
}
