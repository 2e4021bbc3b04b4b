/**
 * Frames on every tsflow byte stream: a 4-byte big-endian length, then a MessagePack body that
 * is an array of one or more messages. {@linkcode FrameDecoder} takes bytes in any chunking and
 * yields messages, refusing garbage, oversized and truncated frames with a typed
 * {@linkcode ProtocolError} (it never crashes and never buffers more than one frame).
 * {@linkcode FrameWriter} coalesces: messages sent while a write is in flight go out together in
 * the next frame, so no caller ever awaits a write per message.
 *
 * @module
 */
import { decodeWire, elementEnds, EncodedMessage, encodeWire } from "./wire_codec.ts";
import { ProtocolError } from "./protocol_error.ts";

/** Default largest frame body, in bytes (64 MiB). */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
/**
 * Largest frame body from a peer that has not proven the secret yet (a registration is a few
 * hundred bytes): an unauthenticated peer can make the interchange hold no more than this.
 */
export const PRE_AUTH_MAX_FRAME_BYTES = 4096;
/** Largest read buffer of {@linkcode readMessages}. */
const READ_BUFFER_BYTES = 256 * 1024;
/**
 * A writer that flushed less than this long ago (ms) is busy: it waits one macrotask turn
 * (`setImmediate`, ~5 µs) before the next frame so that messages arriving meanwhile share it.
 * Each frame costs a write system call and a wake-up of the peer (most of a relay's CPU under
 * load); a task round trip sends one message per writer far apart, so it never waits.
 */
export const BUSY_WINDOW_MS = 0.1;
/** Most messages a {@linkcode FrameWriter} puts in one frame. */
export const MAX_MESSAGES_PER_FRAME = 1024;

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
  let relayed = false;
  for (let i = 0; i < messages.length && !relayed; i++) {
    relayed = messages[i] instanceof EncodedMessage;
  }
  if (relayed) return encodeRelayFrame(messages);
  const frame = encodeWire(messages, 4);
  new DataView(frame.buffer).setUint32(0, frame.length - 4);
  return frame;
}

/** A frame holding {@linkcode EncodedMessage}s: their bytes go in as they are. */
function encodeRelayFrame(messages: unknown[]): Uint8Array {
  const n = messages.length;
  const parts = new Array<Uint8Array>(n);
  let size = n <= 15 ? 1 : n <= 0xffff ? 3 : 5;
  for (let i = 0; i < n; i++) {
    const m = messages[i];
    const bytes = m instanceof EncodedMessage ? m.bytes : encodeWire(m);
    parts[i] = bytes;
    size += bytes.length;
  }
  const frame = new Uint8Array(4 + size);
  const view = new DataView(frame.buffer);
  view.setUint32(0, size);
  let at = 4;
  if (n <= 15) frame[at++] = 0x90 | n;
  else if (n <= 0xffff) {
    frame[at] = 0xdc;
    view.setUint16(at + 1, n);
    at += 3;
  } else {
    frame[at] = 0xdd;
    view.setUint32(at + 1, n);
    at += 5;
  }
  for (const bytes of parts) {
    frame.set(bytes, at);
    at += bytes.length;
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
  #len = 0;
  #failed?: ProtocolError;
  /** Bodies (views) of the frames the last push decoded, and how many messages each held. */
  #bodies: Uint8Array[] = [];
  #counts: number[] = [];

  /**
   * Creates a decoder with an empty buffer.
   * @param maxFrameBytes Largest body accepted.
   */
  constructor(maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    this.#max = maxFrameBytes;
  }

  /** Bytes held that do not yet make a whole frame. */
  get buffered(): number {
    return this.#len;
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
    if (this.#failed) throw this.#failed;
    const out: unknown[] = [];
    if (this.#bodies.length > 0) {
      this.#bodies = [];
      this.#counts = [];
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
      this.#decodeBody(data.subarray(off + 4, off + 4 + size), out);
      off += 4 + size;
    }
    const rest = end - off;
    if (this.#len > 0) {
      // The bodies just decoded are views of the buffer about to be overwritten: a relay may
      // still ask for their bytes (encodedMessages), so they keep a copy.
      if (rest > 0 && this.#bodies.length > 0) this.#bodies = this.#bodies.map((b) => b.slice());
      this.#buf.copyWithin(0, off, end);
      this.#len = rest;
    } else if (rest > 0) {
      this.#len = 0;
      this.#append(chunk.subarray(off));
    }
    return out;
  }

  /**
   * The encoded bytes of each message the last {@linkcode FrameDecoder.push} returned, in the
   * same order, found without decoding them again: what a relay passes on as an
   * `EncodedMessage` instead of encoding the decoded message anew.
   *
   * @returns Views of the read buffer, valid until the next push (copy what is kept longer).
   *
   * @example
   * ```ts
   * import { encodeFrame, FrameDecoder } from "./framing.ts";
   * import { decodeWire } from "./wire_codec.ts";
   * import assert from "node:assert/strict";
   * const d = new FrameDecoder();
   * const msgs = d.push(encodeFrame([{ k: "hb" }, { k: "stop" }]));
   * assert.deepEqual(d.encodedMessages().map((b) => decodeWire(b)), msgs);
   * ```
   */
  encodedMessages(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let f = 0; f < this.#bodies.length; f++) {
      const body = this.#bodies[f];
      const ends = elementEnds(body);
      if (ends.length - 1 !== this.#counts[f]) throw new RangeError("frame changed under a relay");
      for (let i = 1; i < ends.length; i++) out.push(body.subarray(ends[i - 1], ends[i]));
    }
    return out;
  }

  /**
   * Declares the end of the stream.
   *
   * @throws ProtocolError (`truncated`) when a partial frame is left.
   */
  finish(): void {
    if (this.#failed) return;
    if (this.#len > 0) {
      throw this.#fail("truncated", `stream ended inside a frame (${this.#len} bytes held)`);
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
    this.#bodies.push(body);
    this.#counts.push(value.length);
  }

  #fail(fault: "oversize" | "garbage" | "truncated", detail: string): ProtocolError {
    this.#failed = new ProtocolError(fault, detail);
    this.#buf = new Uint8Array(0);
    this.#len = 0;
    return this.#failed;
  }
}

/** Where a {@linkcode FrameWriter} puts bytes. */
export type ByteSink = (bytes: Uint8Array) => Promise<unknown>;

/**
 * A sink writing every byte to a connection (handles partial writes).
 *
 * @param conn A TCP, TLS or Unix connection.
 * @returns The sink.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs an open connection (tests/interchange/ use real sockets).
 * const w = new FrameWriter(connSink(conn));
 * ```
 */
export function connSink(conn: Deno.Conn): ByteSink {
  return async (bytes) => {
    let off = 0;
    while (off < bytes.length) off += await conn.write(bytes.subarray(off));
  };
}

/**
 * Sends messages in coalesced frames.
 *
 * @example
 * ```ts
 * import { FrameDecoder, FrameWriter } from "./framing.ts";
 * import assert from "node:assert/strict";
 * const frames: Uint8Array[] = [];
 * const w = new FrameWriter(async (b) => { frames.push(b); });
 * w.send({ k: "hb" });
 * w.send({ k: "hb" });
 * await w.flushed();
 * assert(frames.length === 1 && new FrameDecoder().push(frames[0]).length === 2);
 * ```
 */
export class FrameWriter {
  #sink: ByteSink;
  #max: number;
  #pending: unknown[] = [];
  #running?: Promise<void>;
  #error?: unknown;
  #lastFlush = -Infinity;
  /** Messages of the batch being written that are not written yet. */
  #writing = 0;
  /** Called once when the sink fails (the peer is gone); later sends are dropped. */
  onError?: (e: unknown) => void;
  /**
   * Called for a single message too large for one frame (with its encoded size and the limit);
   * it is dropped, so the owner must fail what it carried. A message returned (e.g. the failed
   * result of the task) goes out in the dropped one's place: the peer sees messages in the
   * order they were sent, which a pool relying on results coming in order needs.
   */
  onOversize?: (
    message: unknown,
    e: ProtocolError,
    bytes: number,
    max: number,
  ) => object | undefined;

  /**
   * Creates a writer with nothing queued.
   * @param sink Where frames go.
   * @param maxFrameBytes Largest body written; larger batches are split.
   */
  constructor(sink: ByteSink, maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    this.#sink = sink;
    this.#max = maxFrameBytes;
  }

  /** Largest frame body written (a peer may announce a smaller limit than the default). */
  get maxFrameBytes(): number {
    return this.#max;
  }

  /** Sets the largest frame body written. */
  set maxFrameBytes(bytes: number) {
    this.#max = bytes;
  }

  /** Messages waiting to be written. */
  get pending(): number {
    return this.#pending.length;
  }

  /**
   * Messages sent and not yet written, the batch being written included: how far the peer is
   * behind (a relay stops feeding work that would only pile up here).
   */
  get backlog(): number {
    return this.#pending.length + this.#writing;
  }

  /** Whether the sink failed. */
  get failed(): boolean {
    return this.#error !== undefined;
  }

  /**
   * Queues a message; it goes out with whatever else is sent in this turn of the event loop.
   * @param message The message.
   */
  send(message: unknown): void {
    if (this.#error !== undefined) return;
    this.#pending.push(message);
    if (!this.#running) this.#running = this.#run();
  }

  /** Resolves when everything queued so far has been written (or the sink failed). */
  async flushed(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #run(): Promise<void> {
    // One microtask of delay lets every message produced in the same turn join the frame;
    // when busy, one macrotask lets messages that arrive by I/O join it too.
    if (performance.now() - this.#lastFlush < BUSY_WINDOW_MS) {
      // The global, not `node:timers`'s import: importing a `node:` module starts Deno's Node
      // layer (~5 ms) in every process at start; the global starts it only if a link gets busy.
      await new Promise((r) => setImmediate(r));
    } else await Promise.resolve();
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        this.#writing = batch.length;
        // Bounded frames: the peer starts on the first messages while later ones are encoded,
        // and neither side ever holds one giant frame.
        for (let i = 0; i < batch.length; i += MAX_MESSAGES_PER_FRAME) {
          const part = batch.length <= MAX_MESSAGES_PER_FRAME
            ? batch
            : batch.slice(i, i + MAX_MESSAGES_PER_FRAME);
          for (const frame of this.#frames(part)) await this.#sink(frame);
          this.#writing -= part.length;
          this.#lastFlush = performance.now();
        }
      }
    } catch (e) {
      this.#error = e ?? new Error("write failed");
      this.#pending = [];
      this.#writing = 0;
      this.onError?.(e);
    } finally {
      this.#running = undefined;
    }
  }

  *#frames(batch: unknown[]): Generator<Uint8Array> {
    const frame = encodeFrame(batch);
    if (frame.length - 4 <= this.#max) {
      yield frame;
    } else if (batch.length === 1) {
      const e = new ProtocolError(
        "oversize",
        `message of ${frame.length - 4} bytes exceeds maxFrameBytes (${this.#max})`,
      );
      const stand = this.onOversize?.(batch[0], e, frame.length - 4, this.#max);
      if (stand === undefined) return;
      // Sending it later instead (after the rest of this batch) would reorder the stream.
      // (A stand-in that does not fit either, under an absurdly small limit, is dropped too.)
      const standFrame = encodeFrame([stand]);
      if (standFrame.length - 4 <= this.#max) yield standFrame;
    } else {
      const half = batch.length >> 1;
      yield* this.#frames(batch.slice(0, half));
      yield* this.#frames(batch.slice(half));
    }
  }
}

/** Anything read by `read(buffer)` → bytes read, or `null` at the end (a connection, stdin). */
export interface ByteReader {
  /** Reads into `p`. */
  read(p: Uint8Array): Promise<number | null>;
}

/**
 * Reads a byte stream to its end, handing each chunk's decoded messages to `onMessages`.
 *
 * @param source A connection (or anything with `read(buf)`, read into one reused buffer) or a
 *   readable stream.
 * @param decoder The decoder (sets the frame limit).
 * @param onMessages Called with each non-empty batch of messages, in order, and the decoder
 *   (whose `encodedMessages()` gives their bytes, for a relay).
 * @returns When the stream ends cleanly (or is closed locally).
 * @throws ProtocolError on bad frames, including a frame cut off by the end of the stream.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs an open connection (tests/interchange/ use real sockets).
 * await readMessages(conn, new FrameDecoder(), (msgs) => handle(msgs));
 * ```
 */
export async function readMessages(
  source: ByteReader | ReadableStream<Uint8Array>,
  decoder: FrameDecoder,
  onMessages: (messages: unknown[], decoder: FrameDecoder) => void,
): Promise<void> {
  if (source instanceof ReadableStream) {
    const reader = source.getReader();
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        const msgs = decoder.push(value);
        if (msgs.length > 0) onMessages(msgs, decoder);
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    // A small limit gets a small buffer: many unauthenticated peers each hold one while their
    // read is pending (the decoder gathers a frame that spans reads).
    const size = () => Math.min(READ_BUFFER_BYTES, Math.max(1024, decoder.maxFrameBytes >> 2));
    let buf = new Uint8Array(size());
    while (true) {
      if (buf.length < size()) buf = new Uint8Array(size());
      let n: number | null;
      try {
        n = await source.read(buf);
      } catch (e) {
        if (e instanceof Deno.errors.BadResource || e instanceof Deno.errors.Interrupted) break;
        if (e instanceof Deno.errors.ConnectionReset) break;
        throw e;
      }
      if (n === null) break;
      const msgs = decoder.push(buf.subarray(0, n));
      if (msgs.length > 0) onMessages(msgs, decoder);
    }
  }
  decoder.finish();
}
