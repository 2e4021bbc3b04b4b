/**
 * Where a `FrameWriter` puts its frames: a {@linkcode ByteSink}, usually a
 * connection's or stdout's ({@linkcode connSink}).
 *
 * @module
 */

/**
 * Where a `FrameWriter` puts bytes. The bytes are the writer's to reuse once the
 * returned promise settles: a sink that keeps them longer copies them.
 */
export type ByteSink = (bytes: Uint8Array) => Promise<unknown>;

/** Anything written by `write(bytes)` → bytes written (a connection, stdout). */
export interface ByteWriter {
  /** Writes some of `p`. */
  write(p: Uint8Array): Promise<number>;
}

/**
 * A sink writing every byte to a connection, or to stdout (handles partial writes).
 *
 * @param conn A TCP, TLS or Unix connection, or `Deno.stdout`.
 * @returns The sink.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs an open connection (tests/interchange/ use real sockets).
 * const w = new FrameWriter(connSink(conn));
 * ```
 */
export function connSink(conn: ByteWriter): ByteSink {
  return async (bytes) => {
    let off = 0;
    while (off < bytes.length) off += await conn.write(bytes.subarray(off));
  };
}
