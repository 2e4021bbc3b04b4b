/**
 * Flags the worker pool and the interchange both take, defined once (same names, defaults, help).
 *
 * @module
 */
import { DEFAULT_MAX_FRAME_BYTES } from "../interchange/framing.ts";
import type { FlagSpec } from "./flag_schema.ts";

/** `--heartbeat-period`: seconds between heartbeats. */
export const HEARTBEAT_PERIOD = {
  flag: "heartbeat-period",
  type: "number",
  default: 30,
  arg: "<s>",
  help: "seconds between heartbeats",
} as const satisfies FlagSpec;

/** `--heartbeat-threshold`: seconds of silence before the peer is lost. */
export const HEARTBEAT_THRESHOLD = {
  flag: "heartbeat-threshold",
  type: "number",
  default: 120,
  arg: "<s>",
  help: "seconds of silence before the peer is lost",
} as const satisfies FlagSpec;

/** `--max-frame-bytes`: the largest frame accepted. */
export const MAX_FRAME_BYTES = {
  flag: "max-frame-bytes",
  type: "number",
  default: DEFAULT_MAX_FRAME_BYTES,
  arg: "<n>",
  help: "largest frame accepted, in bytes",
} as const satisfies FlagSpec;

/** `--secret-file`: the run's secret (else the `TSFLOW_HTEX_SECRET` environment variable). */
export const SECRET_FILE = {
  flag: "secret-file",
  type: "string",
  arg: "<path>",
  help: "file holding the run's secret (else TSFLOW_HTEX_SECRET)",
} as const satisfies FlagSpec;

/** `--debug`: debug-level log (the executor's `workerDebug`, as Parsl's `worker_debug`). */
export const DEBUG_LOG = {
  flag: "debug",
  type: "boolean",
  help: "debug-level log",
} as const satisfies FlagSpec;
