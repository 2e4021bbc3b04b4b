/**
 * How a pool reaches its interchange: TCP, or TLS trusting only the run's CA, retried with
 * backoff for a bounded time (the interchange may still be starting).
 *
 * @module
 */

/**
 * Splits `HOST:PORT` (IPv6 hosts may be bracketed).
 *
 * @param s The address.
 * @returns Host and port text.
 *
 * @example
 * ```ts
 * import { splitHostPort } from "./connect.ts";
 * console.assert(splitHostPort("[::1]:80")[0] === "::1");
 * ```
 */
export function splitHostPort(s: string): [string, string] {
  const i = s.lastIndexOf(":");
  return [s.slice(0, i).replace(/^\[|\]$/g, ""), s.slice(i + 1)];
}

/**
 * Connects, retrying with backoff until `seconds` (at least 5) have passed.
 *
 * @param host Interchange host.
 * @param port Interchange port.
 * @param caCert PEM of the run's CA: use TLS and trust only it.
 * @param seconds Bound.
 * @returns The connection.
 *
 * @example
 * ```ts ignore
 * const conn = await connectWithRetry("127.0.0.1", 9000, undefined, 10);
 * ```
 */
export async function connectWithRetry(
  host: string,
  port: number,
  caCert: string | undefined,
  seconds: number,
) {
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
