/**
 * A free TCP port picked ahead of the interchange, so that the executor can submit its first
 * blocks while the interchange starts: their pools need the port on their command line.
 *
 * @module
 */

/**
 * Asks the kernel for a free port on `hostname` and releases it at once. Another process may
 * take it before the interchange binds it (rare; ports come from the ephemeral range): the
 * caller must handle the interchange failing to listen on it.
 *
 * @param hostname Address the interchange will listen on.
 * @returns The port.
 *
 * @example
 * ```ts
 * import { freePort } from "./free_port.ts";
 * import assert from "node:assert/strict";
 * const port = freePort("127.0.0.1");
 * assert(port > 0);
 * Deno.listen({ hostname: "127.0.0.1", port }).close();
 * ```
 */
export function freePort(hostname: string): number {
  const l = Deno.listen({ hostname, port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}
