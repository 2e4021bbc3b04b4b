/**
 * The flags of `tsflow interchange`, defined once: the interchange parses them
 * (`interchange/interchange_main.ts`), the HighThroughputExecutor emits them
 * (`interchange/htex_options.ts`), and `--help` lists them (`cli/help.ts`).
 *
 * @module
 */
import { flagSchema } from "./flag_schema.ts";
import {
  DEBUG_LOG,
  HEARTBEAT_PERIOD,
  HEARTBEAT_THRESHOLD,
  MAX_FRAME_BYTES,
  SECRET_FILE,
} from "./_shared_flags.ts";

/**
 * The interchange's flags, by option name.
 *
 * @example
 * ```ts
 * import { INTERCHANGE_FLAGS } from "./interchange_flags.ts";
 * import { parseFlags } from "./flag_schema.ts";
 * import assert from "node:assert/strict";
 * const { values } = parseFlags(INTERCHANGE_FLAGS, []);
 * assert(values.address === "127.0.0.1" && values.selector === "random");
 * ```
 */
export const INTERCHANGE_FLAGS = flagSchema({
  address: {
    flag: "address",
    type: "string",
    default: "127.0.0.1",
    arg: "<addr>",
    help: "address pools connect to",
  },
  port: {
    flag: "port",
    type: "string",
    arg: "<n>",
    help: "port for pools (default: any free port)",
  },
  portRange: {
    flag: "port-range",
    type: "string",
    arg: "<A-B>",
    help: "the first free port of this range, instead of --port",
  },
  heartbeatPeriod: HEARTBEAT_PERIOD,
  heartbeatThreshold: HEARTBEAT_THRESHOLD,
  maxFrameBytes: MAX_FRAME_BYTES,
  registrationTimeout: {
    flag: "registration-timeout",
    type: "number",
    default: 10,
    arg: "<s>",
    help: "seconds a pool may take to register",
  },
  selector: {
    flag: "selector",
    type: "string",
    default: "random",
    arg: "<name>",
    help: "random, most-idle-first, block-id or URL#export",
  },
  logFile: { flag: "log-file", type: "string", arg: "<path>", help: "where to log" },
  debug: DEBUG_LOG,
  secretFile: SECRET_FILE,
  tlsCert: {
    flag: "tls-cert",
    type: "string",
    arg: "<path>",
    help: "serve pools over TLS: certificate",
  },
  tlsKey: { flag: "tls-key", type: "string", arg: "<path>", help: "serve pools over TLS: key" },
  executorSocket: {
    flag: "executor-socket",
    type: "string",
    help: "the Unix socket the executor talks over (else stdin/stdout)",
    internal: true,
  },
});
