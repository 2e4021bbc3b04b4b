/**
 * How a pool reaches its interchange: TCP, or TLS trusting only the run's CA, retried with
 * backoff for a bounded time (the interchange may still be starting), and what it says to
 * register.
 *
 * @module
 */
import { hmacAnswer } from "../interchange/auth.ts";
import { PROTOCOL_VERSION, type RegisterMsg, TSFLOW_VERSION } from "../interchange/protocol.ts";

/** What a registration needs to know about the pool. */
export interface PoolIdentity {
  /** The run's secret. */
  secret: string;
  /** Block id. */
  blockId: string;
  /** Manager id. */
  managerId: string;
  /** Worker processes. */
  workers: number;
  /** Extra tasks held beyond the workers. */
  prefetchCapacity: number;
}

/**
 * The registration answering a challenge.
 *
 * @param p The pool.
 * @param nonce The interchange's challenge.
 * @returns The message.
 *
 * @example
 * ```ts
 * import { registerMessage } from "./connect.ts";
 * import assert from "node:assert/strict";
 * const p = { secret: "s", blockId: "0", managerId: "m", workers: 2, prefetchCapacity: 0 };
 * assert(registerMessage(p, new Uint8Array(32)).hmac.length === 32);
 * ```
 */
/** The block's end (epoch seconds) that providers export in every block script, if set. */
function blockEndTime(): number | undefined {
  const v = Number(Deno.env.get("TSFLOW_BLOCK_END_TIME"));
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

export function registerMessage(p: PoolIdentity, nonce: Uint8Array): RegisterMsg {
  return {
    k: "register",
    protocol: PROTOCOL_VERSION,
    tsflowVersion: TSFLOW_VERSION,
    denoVersion: Deno.version.deno,
    hostname: Deno.hostname(),
    blockId: p.blockId,
    managerId: p.managerId,
    workerCount: p.workers,
    prefetchCapacity: p.prefetchCapacity,
    cpuCount: navigator.hardwareConcurrency,
    totalMemory: Deno.systemMemoryInfo().total,
    blockEndTime: blockEndTime(),
    hmac: hmacAnswer(p.secret, nonce),
  };
}

/**
 * Splits `HOST:PORT` (IPv6 hosts may be bracketed).
 *
 * @param s The address.
 * @returns Host and port text.
 *
 * @example
 * ```ts
 * import { splitHostPort } from "./connect.ts";
 * import assert from "node:assert/strict";
 * assert(splitHostPort("[::1]:80")[0] === "::1");
 * ```
 */
export function splitHostPort(s: string): [string, string] {
  const i = s.lastIndexOf(":");
  return [s.slice(0, i).replace(/^\[|\]$/g, ""), s.slice(i + 1)];
}

/**
 * Connects, retrying with backoff until `seconds` (at least 5) have passed.
 *
 * @param address Interchange `HOST:PORT`.
 * @param caCert PEM of the run's CA: use TLS and trust only it.
 * @param seconds Bound.
 * @returns The connection.
 *
 * @example
 * ```ts ignore
 * const conn = await connectWithRetry("127.0.0.1:9000", undefined, 10);
 * ```
 */
export async function connectWithRetry(
  address: string,
  caCert: string | undefined,
  seconds: number,
): Promise<Deno.Conn> {
  const [host, portText] = splitHostPort(address);
  const port = Number(portText);
  const until = Date.now() + Math.max(5, seconds) * 1000;
  for (let delay = 50;; delay = Math.min(1000, delay * 2)) {
    try {
      if (caCert) return await Deno.connectTls({ hostname: host, port, caCerts: [caCert] });
      const conn = await Deno.connect({ hostname: host, port });
      conn.setNoDelay(true);
      return conn;
    } catch (e) {
      if (Date.now() + delay > until) throw e;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
