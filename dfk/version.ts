/**
 * tsflow's version (kept equal to deno.json's `version` by a test; a compiled binary does not
 * embed deno.json).
 *
 * @module
 */

/**
 * The tsflow version.
 *
 * @example
 * ```ts
 * import { TSFLOW_VERSION } from "./version.ts";
 * console.assert(/^\d+\.\d+\.\d+/.test(TSFLOW_VERSION));
 * ```
 */
export const TSFLOW_VERSION = "0.1.0";
