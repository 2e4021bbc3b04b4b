/**
 * `tsflow --version`: the versions that matter when a driver, an interchange and worker pools
 * must agree — tsflow's, the wire protocol's, and the Deno runtime's (with its V8 and TypeScript).
 *
 * @module
 */
import { TSFLOW_VERSION } from "../dfk/version.ts";

/**
 * The wire protocol version of this build, read from `interchange/` only when asked (so
 * `--version` of a build without the interchange still works).
 *
 * @returns The version, or `"unknown"` when this build has no interchange protocol.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { protocolVersion } from "./version.ts";
 * assert.match(await protocolVersion(), /^\d+$/);
 * ```
 */
export async function protocolVersion(): Promise<string> {
  try {
    const ns = await import("../interchange/protocol.ts") as Record<string, unknown>;
    const v = ns.PROTOCOL_VERSION;
    return v === undefined ? "unknown" : String(v);
  } catch {
    return "unknown";
  }
}

/**
 * The text `tsflow --version` prints: one `name version` line each for tsflow, the protocol,
 * Deno, V8, TypeScript and the build target.
 *
 * @returns The lines, ending with a newline.
 *
 * @example
 * ```ts
 * import { versionText } from "./version.ts";
 * import assert from "node:assert/strict";
 * const text = await versionText();
 * assert(text.startsWith("tsflow ") && text.includes("\ndeno "));
 * ```
 */
export async function versionText(): Promise<string> {
  const lines = [
    `tsflow ${TSFLOW_VERSION}`,
    `protocol ${await protocolVersion()}`,
    `deno ${Deno.version.deno}`,
    `v8 ${Deno.version.v8}`,
    `typescript ${Deno.version.typescript}`,
  ];
  lines.push(`target ${Deno.build.target}${Deno.build.standalone ? " (compiled binary)" : ""}`);
  return lines.join("\n") + "\n";
}
