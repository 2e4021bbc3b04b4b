/**
 * The interchange's end of its link to the executor. Two kinds: over stdin/stdout
 * ({@linkcode stdioLink}), or over a Unix socket the executor connects to
 * ({@linkcode socketLink}), which is what the executor uses: a pipe read through streams costs
 * ~57 µs per ping-pong here against ~19 µs for a Unix socket read with `conn.read()` into a
 * reused buffer. With a socket, stdin still carries nothing but the driver's death: it ends
 * when the driver goes away, and the interchange exits then.
 *
 * @module
 */
import {
  type ByteReader,
  connSink,
  FrameDecoder,
  FrameWriter,
  readEncodedMessages,
} from "./framing.ts";

/** The executor link as the interchange uses it. */
export interface ExecutorLink {
  /** Frames to the executor. */
  writer: FrameWriter;
  /**
   * Reads executor messages until the executor goes away (or `onMessages` throws).
   * @param onMessages Handler of each batch: the messages' encoded bytes (views valid only
   *   during the call; the interchange reads a task's fields from them without decoding it).
   */
  read(onMessages: (msgs: Uint8Array[]) => void): Promise<void>;
}

const writeStdout = connSink(Deno.stdout);

/**
 * A link over stdin/stdout.
 *
 * @param maxFrame Frame limit.
 * @returns The link.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: takes over this process's stdin and stdout, as the interchange process does.
 * const link = stdioLink(64 << 20);
 * link.writer.send({ k: "hb" });
 * ```
 */
export function stdioLink(maxFrame: number): ExecutorLink {
  return {
    writer: new FrameWriter(writeStdout, maxFrame),
    read: (on) => readEncodedMessages(Deno.stdin, new FrameDecoder(maxFrame), on),
  };
}

/**
 * A link over a Unix socket at `path` (in a private directory the executor made). Only the
 * first connection is accepted; the socket file is removed then. `announce` (the `started`
 * message) goes to stdout, because the executor learns from it that the socket is listening.
 *
 * @param path Socket path.
 * @param maxFrame Frame limit.
 * @param announce Message written to stdout once listening.
 * @returns The link.
 * @throws Error when the socket cannot be made.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs the executor's Unix socket to connect to (tests/e2e/).
 * const link = await socketLink("/tmp/tsflow-ic-x/s", 64 << 20, { k: "started", port, protocol: 1 });
 * ```
 */
export async function socketLink(
  path: string,
  maxFrame: number,
  announce: unknown,
): Promise<ExecutorLink> {
  const listener = Deno.listen({ transport: "unix", path });
  const out = new FrameWriter(writeStdout, maxFrame);
  out.send(announce);
  await out.flushed();
  const accepted = listener.accept().finally(() => {
    try {
      listener.close();
      Deno.removeSync(path);
    } catch { /* already gone */ }
  });
  // Nothing reaches the executor before it connects; what is sent meanwhile waits here.
  const writer = new FrameWriter(async (b) => connSink(await accepted)(b), maxFrame);
  return {
    writer,
    read: async (on) => {
      const stdinEnded = untilEnd(Deno.stdin);
      const conn = await Promise.race([accepted, stdinEnded.then(() => undefined)]);
      if (!conn) return;
      await Promise.race([readEncodedMessages(conn, new FrameDecoder(maxFrame), on), stdinEnded]);
    },
  };
}

/** Reads and drops bytes until the stream ends (or fails). */
async function untilEnd(r: ByteReader): Promise<void> {
  const buf = new Uint8Array(4096);
  try {
    while (await r.read(buf) !== null) { /* nothing is expected here */ }
  } catch { /* closed: the same as its end */ }
}
