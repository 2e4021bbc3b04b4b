/**
 * Frames on every tsflow byte stream (the format, encoder and decoder: `frame_codec.ts`; the
 * coalescing writer: `frame_writer.ts`, its sinks: `byte_sink.ts`, and when a quiet link writes:
 * `quiet_writers.ts`), and {@linkcode readMessages}, the read loop every link
 * runs. Links import all of it from here.
 *
 * @module
 */
import type { FrameDecoder } from "./frame_codec.ts";
import { flushQuietWriters } from "./quiet_writers.ts";

export * from "./frame_codec.ts";
export * from "./frame_writer.ts";
export * from "./byte_sink.ts";
export * from "./quiet_writers.ts";

/** Largest read buffer of {@linkcode readMessages}. */
const READ_BUFFER_BYTES = 256 * 1024;

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
 * @param onMessages Called with each non-empty batch of messages, in order (a relay reads with
 *   {@linkcode readEncodedMessages} instead, for their bytes).
 * @returns When the stream ends cleanly (or is closed locally).
 * @throws ProtocolError on bad frames, including a frame cut off by the end of the stream.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs an open connection (tests/interchange/ use real sockets).
 * await readMessages(conn, new FrameDecoder(), (msgs) => handle(msgs));
 * ```
 */
export function readMessages(
  source: ByteReader | ReadableStream<Uint8Array>,
  decoder: FrameDecoder,
  onMessages: (messages: unknown[]) => void,
): Promise<void> {
  return readFrames(source, decoder, (chunk) => {
    const msgs = decoder.push(chunk);
    if (msgs.length > 0) onMessages(msgs);
  });
}

/**
 * Reads a byte stream to its end as {@linkcode readMessages} does, handing over each message's
 * encoded bytes (`FrameDecoder.pushEncoded`) instead of decoding them.
 *
 * @param source A connection or a readable stream.
 * @param decoder The decoder (sets the frame limit).
 * @param onMessages Called with each non-empty batch: views valid only during the call.
 * @returns When the stream ends cleanly (or is closed locally).
 * @throws ProtocolError on bad frames, including a frame cut off by the end of the stream.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs an open connection (tests/interchange/ use real sockets).
 * await readEncodedMessages(conn, new FrameDecoder(), (msgs) => handle(msgs));
 * ```
 */
export function readEncodedMessages(
  source: ByteReader | ReadableStream<Uint8Array>,
  decoder: FrameDecoder,
  onMessages: (messages: Uint8Array[]) => void,
): Promise<void> {
  return readFrames(source, decoder, (chunk) => {
    const msgs = decoder.pushEncoded(chunk);
    if (msgs.length > 0) onMessages(msgs);
  });
}

async function readFrames(
  source: ByteReader | ReadableStream<Uint8Array>,
  decoder: FrameDecoder,
  onChunk: (chunk: Uint8Array) => void,
): Promise<void> {
  if (source instanceof ReadableStream) {
    const reader = source.getReader();
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        onChunk(value);
        flushQuietWriters();
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
      onChunk(buf.subarray(0, n));
      // What handling the read sent leaves now, before the next read starts.
      flushQuietWriters();
    }
  }
  decoder.finish();
}
