/**
 * The flags of `tsflow run`, defined once for parsing and `--help`.
 *
 * @module
 */
import { flagSchema } from "./flag_schema.ts";

/**
 * `tsflow run`'s flags (the workflow's own arguments go after `--`).
 *
 * @example
 * ```ts
 * import { RUN_FLAGS } from "./run_flags.ts";
 * import { parseFlags } from "./flag_schema.ts";
 * import assert from "node:assert/strict";
 * const { values, positionals } = parseFlags(RUN_FLAGS, ["flow.ts", "-c", "site.yaml"], true);
 * assert(values.config === "site.yaml" && positionals[0] === "flow.ts");
 * ```
 */
export const RUN_FLAGS = flagSchema({
  config: {
    flag: "config",
    short: "c",
    type: "string",
    arg: "<file>",
    help: "configuration file (.yaml, .yml, or a .ts/.js module)",
  },
});
