/**
 * How a pool reaches its interchange: it probes every address it was given (TCP, or TLS
 * trusting only the run's CA), retrying refused ones with backoff for a bounded time, and keeps
 * the first that answers; and what it says to register.
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

/** Parsl's default for how long a pool probes the interchange's addresses (seconds). */
export const DEFAULT_ADDRESS_PROBE_TIMEOUT = 10;

/**
 * Connects to whichever of the interchange's addresses answers first (Parsl's address probe):
 * every candidate is tried at once, refused ones again with backoff, until `seconds` have passed.
 * A pool on a compute node cannot know which of the submit host's addresses routes to it, so it
 * is handed them all.
 *
 * @param candidates Interchange `HOST:PORT`s, in order of preference.
 * @param caCert PEM of the run's CA: use TLS and trust only it.
 * @param seconds Bound for the whole probe.
 * @returns The first connection made; the others are closed.
 * @throws Error naming every address tried, its last error, and the option to set.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs an interchange listening at one of the addresses (tests/worker_pool/).
 * const conn = await probeAddresses(["10.0.0.1:9000", "127.0.0.1:9000"], undefined, 10);
 * ```
 */
export async function probeAddresses(
  candidates: string[],
  caCert: string | undefined,
  seconds: number,
): Promise<Deno.Conn> {
  if (candidates.length === 0) throw new Error("no interchange address to connect to");
  const until = Date.now() + seconds * 1000;
  const errors = new Map<string, string>(candidates.map((c) => [c, "no answer"]));
  const stop = new AbortController();
  let winner: Deno.Conn | undefined;
  const attempt = async (address: string): Promise<void> => {
    const [hostname, portText] = splitHostPort(address);
    const port = Number(portText);
    // Short first retries: a local pool often starts while the interchange is still binding.
    for (let delay = 10; !stop.signal.aborted; delay = Math.min(1000, delay * 2)) {
      const left = until - Date.now();
      if (left <= 0) return;
      try {
        // A dropped SYN would hang for minutes: each try is bounded by what is left.
        const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(left)]);
        const conn = await withSignal<Deno.Conn>(
          caCert
            ? Deno.connectTls({ hostname, port, caCerts: [caCert] })
            : Deno.connect({ hostname, port }),
          signal,
        );
        if (winner) {
          conn.close();
          return;
        }
        winner = conn;
        stop.abort();
        return;
      } catch (e) {
        if (stop.signal.aborted) return;
        errors.set(address, (e as Error).name === "TimeoutError" ? "no answer" : short(e));
      }
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(delay, until - Date.now()))));
    }
  };
  await Promise.all(candidates.map(attempt));
  if (winner) {
    if (!caCert) (winner as Deno.TcpConn).setNoDelay?.(true);
    return winner;
  }
  const tried = candidates.map((c) => `${c} (${errors.get(c)})`).join(", ");
  throw new Error(
    `cannot reach the interchange at any of its addresses within ${seconds} s: ${tried}; set ` +
      `HighThroughputExecutor({ address: "…" }) to an address of the submit host that the ` +
      `compute nodes can reach, and open its worker port (workerPort / workerPortRange) in the firewall`,
  );
}

/** Rejects when `signal` aborts; a connection that arrives later is closed. */
function withSignal<T extends Deno.Conn>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.then((c) => c.close(), () => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      p.then((c) => c.close(), () => {});
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    p.then((c) => {
      signal.removeEventListener("abort", onAbort);
      resolve(c);
    }, (e) => {
      signal.removeEventListener("abort", onAbort);
      reject(e);
    });
  });
}

/** The first line of an error, without Deno's `os error N` suffix. */
function short(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split("\n")[0].replace(/ \(os error \d+\)$/, "");
}
