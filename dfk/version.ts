/**
 * tsflow's own version, as a constant: `deno.json` is not embedded in a compiled binary or a
 * bundle, so the version cannot be read from it at run time. A test keeps the two equal.
 *
 * Loading this module also records this copy of tsflow on `globalThis`, so `tsflow run` can tell
 * when a workflow imports a different version of tsflow (from a URL or its own `deno.json`) than
 * the program running it: a clear error instead of subtle breakage.
 *
 * @module
 */

/**
 * The tsflow version (semver), equal to `version` in `deno.json`.
 *
 * @example
 * ```ts
 * import { TSFLOW_VERSION } from "./version.ts";
 * import assert from "node:assert/strict";
 * assert(/^\d+\.\d+\.\d+/.test(TSFLOW_VERSION));
 * ```
 */
export const TSFLOW_VERSION = "0.1.0";

/** One copy of tsflow loaded in this process. */
export interface TsflowCopy {
  /** Its version. */
  version: string;
  /** URL of its `dfk/version.ts` (or of the bundle holding it). */
  url: string;
}

const COPIES_KEY = Symbol.for("tsflow.copies.v1");
const g = globalThis as unknown as Record<symbol, TsflowCopy[] | undefined>;
const copies: TsflowCopy[] = g[COPIES_KEY] ??= [];
if (!copies.some((c) => c.url === import.meta.url)) {
  copies.push({ version: TSFLOW_VERSION, url: import.meta.url });
}

/**
 * Every copy of tsflow loaded in this process so far, in load order.
 *
 * @returns The copies (version and URL of each).
 *
 * @example
 * ```ts
 * import { loadedCopies, TSFLOW_VERSION } from "./version.ts";
 * import assert from "node:assert/strict";
 * assert(loadedCopies().some((c) => c.version === TSFLOW_VERSION));
 * ```
 */
export function loadedCopies(): readonly TsflowCopy[] {
  return copies;
}
