/**
 * The flags of `tsflow visualize`, defined once for parsing (`monitoring/visualize_server.ts`)
 * and `--help`.
 *
 * @module
 */
import { flagSchema } from "./flag_schema.ts";

/**
 * `tsflow visualize`'s flags.
 *
 * @example
 * ```ts
 * import { VISUALIZE_FLAGS } from "./visualize_flags.ts";
 * import { parseFlags } from "./flag_schema.ts";
 * import assert from "node:assert/strict";
 * assert(parseFlags(VISUALIZE_FLAGS, []).values.port === "8080");
 * ```
 */
export const VISUALIZE_FLAGS = flagSchema({
  db: {
    flag: "db",
    type: "string",
    default: "runinfo/monitoring.db",
    arg: "<file>",
    help: "monitoring database",
  },
  port: {
    flag: "port",
    type: "string",
    default: "8080",
    arg: "<n>",
    help: "port to listen on, 0 for any free port",
  },
  host: {
    flag: "host",
    type: "string",
    default: "127.0.0.1",
    arg: "<addr>",
    help: "address to listen on",
  },
});
