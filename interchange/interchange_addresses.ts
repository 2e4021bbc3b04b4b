/**
 * Which addresses worker pools are given to reach the interchange. As in Parsl, with no
 * `address` set the pools get every address of the submit host and keep the first that answers,
 * so a block on compute nodes works without configuration; pools of a `LocalProvider` run on
 * this host and get only the loopback address.
 *
 * @module
 */
import type { ExecutionProvider } from "../providers/execution_provider.ts";

/**
 * This host's IPv4 addresses, loopback last (what a pool on another node should try first).
 *
 * @returns Addresses, without duplicates.
 *
 * @example
 * ```ts
 * import { hostAddresses } from "./interchange_addresses.ts";
 * import assert from "node:assert/strict";
 * assert(hostAddresses().at(-1) === "127.0.0.1");
 * ```
 */
export function hostAddresses(): string[] {
  let found: string[] = [];
  try {
    found = Deno.networkInterfaces()
      .filter((i) => i.family === "IPv4" && !i.address.startsWith("127."))
      .map((i) => i.address);
  } catch {
    // No interface list (no --allow-sys): loopback still serves pools on this host.
  }
  return [...new Set([...found, "127.0.0.1"])];
}

/**
 * The addresses pools of an executor are handed.
 *
 * @param address The user's `address`, which overrides everything.
 * @param provider Where the executor's blocks come from.
 * @returns Addresses in order of preference.
 *
 * @example
 * ```ts
 * import { interchangeAddresses } from "./interchange_addresses.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(interchangeAddresses("10.0.0.5", undefined), ["10.0.0.5"]);
 * assert.deepEqual(interchangeAddresses(undefined, undefined), ["127.0.0.1"]);
 * ```
 */
export function interchangeAddresses(
  address: string | undefined,
  provider: ExecutionProvider | undefined,
): string[] {
  if (address) return [address];
  if (!provider || provider.label === "local") return ["127.0.0.1"];
  return hostAddresses();
}

/**
 * Whether every address is a loopback one (then the interchange listens on loopback only).
 *
 * @param addresses Addresses.
 * @returns True when none leaves this host.
 *
 * @example
 * ```ts
 * import { loopbackOnly } from "./interchange_addresses.ts";
 * import assert from "node:assert/strict";
 * assert(loopbackOnly(["127.0.0.1"]) && !loopbackOnly(["10.0.0.5", "127.0.0.1"]));
 * ```
 */
export function loopbackOnly(addresses: string[]): boolean {
  return addresses.every((a) => /^(127\.|localhost$|::1$)/.test(a));
}
