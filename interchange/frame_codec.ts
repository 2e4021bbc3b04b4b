/**
 * The frame format of every tsflow byte stream: a 4-byte big-endian length, then a MessagePack
 * body that is an array of one or more messages. {@linkcode encodeFrame} makes frames (relayed
 * messages go in as the bytes they came as); {@linkcode FrameDecoder} takes bytes in any chunking
 * and yields messages, refusing garbage, oversized and truncated frames with a typed
 * {@linkcode ProtocolError} (it never crashes and never buffers more than one frame).
 *
 * @module
 */
import {
  ARRAY_HEADER,
  decodeWire,
  elementEnds,
  EncodedMessage,
  encodeWire,
  encodeWireScratch,
  writeHeaderAt,
} from "./wire_codec.ts";
import { ProtocolError } from "./protocol_error.ts";

/** Default largest frame body, in bytes (64 MiB). */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
/**
 * Largest frame body from a peer that has not proven the secret yet (a registration is a few
 * hundred bytes): an unauthenticated peer can make the interchange hold no more than this.
 */
export const PRE_AUTH_MAX_FRAME_BYTES = 4096;

/**
 * Encodes messages as one frame (header + body).
 *
 * @param messages Messages to carry.
 * @returns The frame bytes.
 *
 * @example
 * ```ts
 * import { encodeFrame, FrameDecoder } from "./framing.ts";
 * import assert from "node:assert/strict";
 * const msgs = new FrameDecoder().push(encodeFrame([{ k: "hb" }]));
 * assert(msgs.length === 1);
 * ```
 */
export function encodeFrame(messages: unknown[]): Uint8Array {
  return encodeFrameInto(messages, { bytes: EMPTY_BYTES });
}

const EMPTY_BYTES = new Uint8Array(0);

/** A buffer frames are encoded into, replaced by a larger one when a frame needs it. */
export interface FrameBuffer {
  /** The buffer. */
  bytes: Uint8Array;
}

/**
 * Encodes messages as one frame into a buffer the caller reuses (a writer writes one frame at a
 * time): no new buffer per frame, where an array buffer per small frame was a call into the
 * runtime's allocator and work for the collector on every hop of a task.
 *
 * @param messages Messages to carry; {@linkcode EncodedMessage}s go in as their bytes.
 * @param into The buffer, grown (replaced) when too small.
 * @returns A view of `into.bytes` holding the frame, valid until the next encoding into it.
 *
 * @example
 * ```ts
 * import { encodeFrameInto, FrameDecoder } from "./framing.ts";
 * import assert from "node:assert/strict";
 * const into = { bytes: new Uint8Array(64) };
 * const frame = encodeFrameInto([{ k: "hb" }], into);
 * assert(frame.buffer === into.bytes.buffer);
 * assert.deepEqual(new FrameDecoder().push(frame), [{ k: "hb" }]);
 * ```
 */
export function encodeFrameInto(messages: unknown[], into: FrameBuffer): Uint8Array {
  let relayed = false;
  for (let i = 0; i < messages.length && !relayed; i++) {
    relayed = messages[i] instanceof EncodedMessage;
  }
  if (relayed) return encodeRelayFrame(messages, into);
  const body = encodeWireScratch(messages, 4);
  const frame = room(into, body.length);
  frame.set(body);
  frame[0] = (body.length - 4) >>> 24;
  frame[1] = ((body.length - 4) >>> 16) & 0xff;
  frame[2] = ((body.length - 4) >>> 8) & 0xff;
  frame[3] = (body.length - 4) & 0xff;
  return frame;
}

/** A view of the first `n` bytes of `into`, grown first when it is smaller. */
function room(into: FrameBuffer, n: number): Uint8Array {
  // A one-off frame (`encodeFrame`) gets a buffer of its own size.
  if (into.bytes === EMPTY_BYTES) return into.bytes = new Uint8Array(n);
  if (into.bytes.length < n) into.bytes = new Uint8Array(Math.max(n, into.bytes.length * 2, 256));
  return into.bytes.subarray(0, n);
}

/** A frame holding {@linkcode EncodedMessage}s: their bytes go in as they are. */
function encodeRelayFrame(messages: unknown[], into: FrameBuffer): Uint8Array {
  const parts = new Array<Uint8Array | undefined>(messages.length);
  let n = 0;
  let size = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m instanceof EncodedMessage) {
      size += m.byteLength;
      n += m.count;
    } else {
      size += (parts[i] = encodeWire(m)).length;
      n++;
    }
  }
  size += n <= 15 ? 1 : n <= 0xffff ? 3 : 5;
  const frame = room(into, 4 + size);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  view.setUint32(0, size);
  let at = writeHeaderAt(frame, view, 4, n, ARRAY_HEADER);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m instanceof EncodedMessage) {
      m.writeTo(frame, view, at);
      at += m.byteLength;
    } else {
      frame.set(parts[i]!, at);
      at += parts[i]!.length;
    }
  }
  return frame;
}

/**
 * Incremental frame decoder.
 *
 * @example Feed bytes one at a time
 * ```ts
 * import { encodeFrame, FrameDecoder } from "./framing.ts";
 * import assert from "node:assert/strict";
 * const d = new FrameDecoder();
 * const out: unknown[] = [];
 * for (const b of encodeFrame([{ k: "hb" }, { k: "hb" }])) out.push(...d.push(Uint8Array.of(b)));
 * assert(out.length === 2);
 * ```
 */
export class FrameDecoder {
  #max: number;
  #buf = new Uint8Array(0);
  /** Where the unread bytes in `#buf` start (moved to 0 at the next push) and end. */
  #start = 0;
  #len = 0;
  #failed?: ProtocolError;
  /** Bodies (views) of the frames the last push decoded, and how many messages each held. */

  /**
   * Creates a decoder with an empty buffer.
   * @param maxFrameBytes Largest body accepted.
   */
  constructor(maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    this.#max = maxFrameBytes;
  }

  /** Bytes held that do not yet make a whole frame. */
  get buffered(): number {
    return this.#len - this.#start;
  }

  /** Largest body accepted. */
  get maxFrameBytes(): number {
    return this.#max;
  }

  /** Changes the largest body accepted (raised once a peer has authenticated). */
  set maxFrameBytes(bytes: number) {
    this.#max = bytes;
  }

  /**
   * Adds bytes; returns the messages of every frame they complete.
   *
   * @param chunk Bytes from the stream.
   * @returns Decoded messages (untrusted values; validate them).
   * @throws ProtocolError on an oversized frame or an undecodable body; the decoder stays failed.
   */
  push(chunk: Uint8Array): unknown[] {
    const out: unknown[] = [];
    this.#read(chunk, (body) => this.#decodeBody(body, out));
    return out;
  }

  /**
   * Adds bytes; returns the encoded bytes of each message of every frame they complete, decoding
   * none of them (for a reader that reads what it needs from the bytes, and decodes the rest).
   *
   * @param chunk Bytes from the stream.
   * @returns Views of the buffers read, valid until the next push (copy what is kept longer).
   * @throws ProtocolError on an oversized frame or a body that is not a message array.
   *
   * @example
   * ```ts
   * import { encodeFrame, FrameDecoder } from "./framing.ts";
   * import { decodeWire } from "./wire_codec.ts";
   * import assert from "node:assert/strict";
   * const [hb] = new FrameDecoder().pushEncoded(encodeFrame([{ k: "hb" }]));
   * assert.deepEqual(decodeWire(hb), { k: "hb" });
   * ```
   */
  pushEncoded(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    this.#read(chunk, (body) => {
      let ends: number[];
      try {
        ends = elementEnds(body);
      } catch (e) {
        throw this.#fail("garbage", `frame body is not a message array: ${(e as Error).message}`);
      }
      for (let i = 1; i < ends.length; i++) out.push(body.subarray(ends[i - 1], ends[i]));
    });
    return out;
  }

  #read(chunk: Uint8Array, onBody: (body: Uint8Array) => void): void {
    if (this.#failed) throw this.#failed;
    if (this.#start > 0) {
      // The bytes the last push left go to the front only now: until this push, what it
      // returned could still be read as views of them (pushEncoded), with no copy.
      this.#buf.copyWithin(0, this.#start, this.#len);
      this.#len -= this.#start;
      this.#start = 0;
    }
    let data = chunk;
    let off = 0;
    if (this.#len > 0) {
      this.#append(chunk);
      data = this.#buf;
    }
    const end = this.#len > 0 ? this.#len : chunk.length;
    while (end - off >= 4) {
      const size = (data[off] << 24 >>> 0) + (data[off + 1] << 16) + (data[off + 2] << 8) +
        data[off + 3];
      if (size > this.#max) {
        throw this.#fail("oversize", `frame of ${size} bytes exceeds maxFrameBytes (${this.#max})`);
      }
      if (size === 0) throw this.#fail("garbage", "empty frame");
      if (end - off - 4 < size) break;
      onBody(data.subarray(off + 4, off + 4 + size));
      off += 4 + size;
    }
    const rest = end - off;
    if (this.#len > 0) {
      if (rest === 0) this.#len = 0;
      else this.#start = off;
    } else if (rest > 0) {
      this.#len = 0;
      this.#append(chunk.subarray(off));
    }
  }

  /**
   * Declares the end of the stream.
   *
   * @throws ProtocolError (`truncated`) when a partial frame is left.
   */
  finish(): void {
    if (this.#failed) return;
    if (this.buffered > 0) {
      throw this.#fail("truncated", `stream ended inside a frame (${this.buffered} bytes held)`);
    }
  }

  #append(bytes: Uint8Array): void {
    const need = this.#len + bytes.length;
    if (need > this.#buf.length) {
      // Never grow past one whole frame plus a chunk: the size check above bounds memory.
      const grown = new Uint8Array(
        Math.max(need, Math.min(this.#buf.length * 2, this.#max + 4 + 65536)),
      );
      grown.set(this.#buf.subarray(0, this.#len));
      this.#buf = grown;
    }
    this.#buf.set(bytes, this.#len);
    this.#len = need;
  }

  #decodeBody(body: Uint8Array, out: unknown[]): void {
    let value: unknown;
    try {
      // The input is a reused read buffer: decodeWire returns nothing that aliases it.
      value = decodeWire(body);
    } catch (e) {
      throw this.#fail("garbage", `undecodable frame body: ${(e as Error)?.message ?? e}`);
    }
    if (!Array.isArray(value)) throw this.#fail("garbage", "frame body is not a message array");
    for (const m of value) out.push(m);
  }

  #fail(fault: "oversize" | "garbage" | "truncated", detail: string): ProtocolError {
    this.#failed = new ProtocolError(fault, detail);
    this.#buf = new Uint8Array(0);
    this.#start = this.#len = 0;
    return this.#failed;
  }
}
