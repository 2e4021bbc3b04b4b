/**
 * SHA-256 for memo keys, from `node:crypto` loaded at first use rather than at import: importing
 * `node:crypto` costs every driver ~15-30 ms of CPU at start, on the path to its first task (a
 * cold start waits on it), and most runs never compute a memo key.
 *
 * @module
 */
import type { Hash } from "node:crypto";

let create: ((algorithm: string) => Hash) | undefined;

/**
 * A new SHA-256 hash (`update` it, then `digest("hex")`).
 *
 * @returns The hash.
 *
 * @example
 * ```ts
 * import { sha256Hash } from "./_sha256.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   sha256Hash().update("abc").digest("hex"),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 */
export function sha256Hash(): Hash {
  if (!create) {
    // Node's synchronous loader of a built-in module (the first call needs the hash now).
    const { process } = globalThis as unknown as {
      process: { getBuiltinModule(id: string): typeof import("node:crypto") };
    };
    create = process.getBuiltinModule("node:crypto").createHash;
  }
  return create("sha256");
}
