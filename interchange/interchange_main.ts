/**
 * `tsflow interchange …`: the interchange process. The executor that spawned it talks to it
 * over a Unix socket (`--executor-socket PATH`) or else over its stdin/stdout; either way the
 * interchange notices at once when the driver dies (its stdin ends). Worker pools connect over
 * TCP (or TLS). Its log goes to `--log-file`.
 *
 * Its flags, their defaults and help are defined once in `cli/interchange_flags.ts`.
 *
 * @module
 */
import { parseFlags } from "../cli/flag_schema.ts";
import { runMode } from "../cli/mode_entry.ts";
import { INTERCHANGE_FLAGS } from "../cli/interchange_flags.ts";
import { Logger } from "../dfk/logger.ts";
import { readSecret } from "./auth.ts";
import { type ExecutorLink, socketLink, stdioLink } from "./executor_link.ts";
import {
  connSink,
  FrameDecoder,
  FrameWriter,
  PRE_AUTH_MAX_FRAME_BYTES,
  readEncodedMessages,
} from "./framing.ts";
import { Interchange } from "./interchange.ts";
import type { ManagerLink } from "./pool_record.ts";
import {
  blockIdSelector,
  type ManagerSelector,
  mostIdleSelector,
  randomSelector,
} from "./matching.ts";
import { oversizeOutcome } from "./oversize.ts";
import { type InterchangeToExecutor, PROTOCOL_VERSION } from "./protocol.ts";
import { ProtocolError } from "./protocol_error.ts";
import { decodeWire, EncodedMessage } from "./wire_codec.ts";

/** Built-in selectors by name. */
export const SELECTORS: Record<string, () => ManagerSelector> = {
  "random": () => randomSelector(),
  "most-idle-first": () => mostIdleSelector,
  "block-id": () => blockIdSelector,
};

/**
 * Finds a selector: a built-in name, or `URL#export` of a user's {@linkcode ManagerSelector}.
 *
 * @param spec The `--selector` argument.
 * @returns The selector.
 * @throws Error when the name is unknown or the export is not a selector.
 *
 * @example
 * ```ts
 * import { loadSelector } from "./interchange_main.ts";
 * import assert from "node:assert/strict";
 * assert((await loadSelector("most-idle-first")).name === "most-idle-first");
 * ```
 */
export async function loadSelector(spec: string): Promise<ManagerSelector> {
  if (SELECTORS[spec]) return SELECTORS[spec]();
  const at = spec.lastIndexOf("#");
  if (at < 0) {
    throw new Error(`unknown selector "${spec}": use random, most-idle-first or URL#export`);
  }
  const ns = await import(spec.slice(0, at));
  const sel = ns[spec.slice(at + 1)] as ManagerSelector | undefined;
  if (typeof sel?.order !== "function") {
    throw new Error(`${spec} is not a ManagerSelector (an object with name and order(managers))`);
  }
  return sel;
}

function listen(
  address: string,
  ports: number[],
  tls?: { cert: string; key: string },
): Deno.Listener {
  let last: unknown;
  for (const port of ports) {
    try {
      return tls
        ? Deno.listenTls({ hostname: address, port, ...tls })
        : Deno.listen({ hostname: address, port });
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

function portsOf(port: string | undefined, range: string | undefined): number[] {
  if (range) {
    const [a, b] = range.split(/[-:,]/).map(Number);
    if (!(a > 0 && b >= a)) throw new Error(`bad --port-range ${range}: use A-B`);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }
  return [Number(port ?? 0)];
}

/**
 * Runs the interchange until the executor says `shutdown` or goes away.
 *
 * @param args Command-line arguments after the mode word.
 * @returns The exit code.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a process entry point: runs until its executor stops it.
 * Deno.exit(await runInterchange(["--port", "0", "--log-file", "runinfo/000/htex/interchange.log"]));
 * ```
 */
export async function runInterchange(args: string[]): Promise<number> {
  const importedAt = Date.now();
  const { values: v } = parseFlags(INTERCHANGE_FLAGS, args);
  const logger = new Logger("interchange", v.logFile, v.debug ? "debug" : "info");
  // Where a cold start's time goes: when this process's JS began and its module graph was in.
  logger.info("Process started", { runtimeAt: Math.round(performance.timeOrigin), importedAt });
  // The driver reports start-up failures from our stderr: each reason goes there and to the log.
  const cannotStart = async (why: string) => {
    logger.error(why);
    console.error(`tsflow interchange: ${why}`);
    await logger.close();
    return 1;
  };
  // Ctrl-C at a terminal reaches the whole foreground process group, this process too. The
  // driver owns the shutdown (it stops us; if it dies, our stdin ends and we exit), so a Ctrl-C
  // must not kill us first and turn an interrupted run into a failed one.
  Deno.addSignalListener(
    "SIGINT",
    () => logger.info("SIGINT ignored: the driver stops the interchange"),
  );
  const period = v.heartbeatPeriod;
  const threshold = v.heartbeatThreshold;
  const maxFrame = v.maxFrameBytes;
  const registrationMs = v.registrationTimeout * 1000;
  let selector: ManagerSelector;
  try {
    selector = await loadSelector(v.selector);
  } catch (e) {
    return await cannotStart(`Cannot load the manager selector: ${(e as Error).message}`);
  }
  const secret = readSecret(v.secretFile);
  const tls = v.tlsCert && v.tlsKey
    ? { cert: Deno.readTextFileSync(v.tlsCert), key: Deno.readTextFileSync(v.tlsKey) }
    : undefined;

  let link: ExecutorLink | undefined;
  const early: unknown[] = [];
  const ic = new Interchange({
    secret,
    heartbeatPeriod: period,
    heartbeatThreshold: threshold,
    selector,
    logger,
    maxFrameBytes: maxFrame,
    toExecutor: (m) =>
      link
        ? link.writer.send(m)
        : early.push(m instanceof EncodedMessage ? new EncodedMessage(m.bytes.slice()) : m),
    executorBacklog: () => link?.writer.backlog ?? early.length,
  });
  let listener: Deno.Listener;
  try {
    listener = listen(v.address, portsOf(v.port, v.portRange), tls);
  } catch (e) {
    const where = v.portRange ? `${v.address} ports ${v.portRange}` : `${v.address}:${v.port ?? 0}`;
    const fix = v.portRange ? "workerPortRange" : "workerPort";
    return await cannotStart(
      `Cannot listen on ${where}: ${(e as Error).message}. ` +
        `Free the port, or set the HighThroughputExecutor's ${fix} to a free one`,
    );
  }
  const port = (listener.addr as Deno.NetAddr).port;
  logger.info(`Listening on ${v.address}:${port}`, {
    tls: !!tls,
    selector: selector.name,
    period,
    threshold,
  });
  const started = { k: "started", port, protocol: PROTOCOL_VERSION };
  try {
    const sock = v.executorSocket;
    link = sock ? await socketLink(sock, maxFrame, { ...started, sock }) : stdioLink(maxFrame);
  } catch (e) {
    listener.close();
    return await cannotStart(`Cannot make the executor socket: ${(e as Error).message}`);
  }
  // The interchange adds the pool's place to a result: one that now exceeds the limit fails its
  // task. (Tasks go to pools byte for byte as they came from the executor, so they always fit.)
  link.writer.onOversize = (m, _e, bytes, max) => {
    const r = (m instanceof EncodedMessage ? decodeWire(m.bytes) : m) as InterchangeToExecutor;
    if (r.k === "result") return { ...r, b: oversizeOutcome(bytes, max) };
    logger.error(`Dropped a ${r.k} message of ${bytes} bytes: over maxFrameBytes (${max})`);
    return undefined;
  };
  if (!v.executorSocket) link.writer.send(started);
  for (const m of early.splice(0)) link.writer.send(m);

  const conns = new Set<Deno.Conn>();
  const serve = async (conn: Deno.Conn) => {
    conns.add(conn);
    // Small frames must leave at once: latency, not bandwidth, is what a task round trip costs.
    (conn as Partial<Deno.TcpConn>).setNoDelay?.(true);
    const addr = conn.remoteAddr as Deno.NetAddr;
    const writer = new FrameWriter(connSink(conn), maxFrame);
    let closed = false;
    const hardClose = () => {
      if (closed) return;
      closed = true;
      try {
        conn.close();
      } catch { /* already closed */ }
    };
    const link: ManagerLink = {
      peer: `${addr.hostname}:${addr.port}`,
      send: (m) => writer.send(m),
      close: () => {
        // Let a refusal or stop reach the peer, but never wait long for it.
        const t = setTimeout(hardClose, 1000);
        writer.flushed().finally(() => {
          clearTimeout(t);
          hardClose();
        });
      },
    };
    writer.onError = hardClose;
    const handle = ic.accept(link);
    let reason = "connection closed by peer";
    // Until the peer proves the secret it gets small frames and a short time: unauthenticated
    // connections cost the interchange a few KB each, however many there are.
    const decoder = new FrameDecoder(Math.min(PRE_AUTH_MAX_FRAME_BYTES, maxFrame));
    const unregistered = setTimeout(() => {
      if (handle.registered) return;
      reason = `not registered within ${registrationMs / 1000} s (registrationTimeout)`;
      logger.warn(`Closing connection from ${link.peer}: ${reason}`);
      hardClose();
    }, registrationMs);
    try {
      await readEncodedMessages(conn, decoder, (msgs) => {
        handle.receiveEncoded(msgs);
        if (handle.registered && decoder.maxFrameBytes !== maxFrame) {
          clearTimeout(unregistered);
          decoder.maxFrameBytes = maxFrame;
        }
      });
    } catch (e) {
      // A connection we closed ourselves (registration timeout) already said why.
      if (!closed) {
        reason = e instanceof ProtocolError ? e.message : `read failed: ${(e as Error)?.message}`;
        if (!handle.registered) reason += " (before registration)";
        logger.warn(`Closing connection from ${link.peer}: ${reason}`);
      }
    } finally {
      clearTimeout(unregistered);
      hardClose();
      conns.delete(conn);
      handle.closed(reason);
    }
  };
  const acceptLoop = (async () => {
    try {
      for await (const conn of listener) serve(conn);
    } catch { /* listener closed */ }
  })();

  let lastExecutor = Date.now();
  let silent: (e: Error) => void = () => {};
  const silence = new Promise<never>((_, reject) => silent = reject);
  const timer = setInterval(() => {
    ic.tick();
    if (Date.now() - lastExecutor > threshold * 1000) {
      silent(new Error(`no message from the executor for ${threshold} s`));
    }
  }, period * 1000);

  let code = 0;
  try {
    await Promise.race([
      silence,
      link.read((msgs) => {
        lastExecutor = Date.now();
        if (ic.fromExecutorEncoded(msgs)) throw new ShutdownSignal();
      }),
    ]);
    logger.warn("Executor connection closed (driver gone): exiting");
  } catch (e) {
    if (!(e instanceof ShutdownSignal)) {
      logger.error(`Executor link failed: ${(e as Error)?.message}`);
      code = 1;
    } else logger.info("Shutdown requested by the executor");
  }
  clearInterval(timer);
  ic.stopAll();
  listener.close();
  await Promise.race([
    Promise.all([link.writer.flushed(), acceptLoop]),
    new Promise((r) => setTimeout(r, 1000)),
  ]);
  for (const c of conns) {
    try {
      c.close();
    } catch { /* closed */ }
  }
  logger.info(`Exiting; dispatched ${ic.dispatched} task(s)`);
  await logger.close();
  return code;
}

class ShutdownSignal extends Error {}

// Started directly (the executor does so from source): as `tsflow interchange` would run it.
if (import.meta.main) Deno.exit(await runMode("interchange", runInterchange, Deno.args));
