/**
 * The flags of `tsflow worker`, defined once: the pool parses them
 * (`worker_pool/worker_pool_main.ts`), the HighThroughputExecutor emits them for each block
 * (`interchange/process_args.ts`, which takes every flag named like one of its options from its
 * resolved options), and `--help` lists them (`cli/help.ts`).
 *
 * @module
 */
import { DEFAULT_ADDRESS_PROBE_TIMEOUT } from "../worker_pool/connect.ts";
import { flagSchema } from "./flag_schema.ts";
import {
  DEBUG_LOG,
  HEARTBEAT_PERIOD,
  HEARTBEAT_THRESHOLD,
  MAX_FRAME_BYTES,
  SECRET_FILE,
} from "./_shared_flags.ts";

/**
 * The worker pool's flags, by option name. Keys that are also `HighThroughputExecutorOptions`
 * names carry that option from the executor to its pools unchanged.
 *
 * @example
 * ```ts
 * import { WORKER_FLAGS } from "./worker_flags.ts";
 * import { parseFlags } from "./flag_schema.ts";
 * import assert from "node:assert/strict";
 * const { values } = parseFlags(WORKER_FLAGS, ["--interchange", "h:9000"]);
 * assert(values.heartbeatPeriod === 30 && values.interchange === "h:9000");
 * ```
 */
export const WORKER_FLAGS = flagSchema({
  interchange: {
    flag: "interchange",
    type: "string",
    arg: "<HOST:PORT>",
    help: "where the interchange listens for pools",
  },
  addresses: {
    flag: "addresses",
    type: "list",
    arg: "<A,B,...>",
    help:
      "the interchange host's addresses: connect to the first that\nanswers (with --port; what providers pass)",
  },
  port: {
    flag: "port",
    type: "string",
    arg: "<n>",
    help: "the interchange's port for --addresses",
  },
  blockId: {
    flag: "block-id",
    type: "string",
    default: "0",
    arg: "<id>",
    help: "block this pool belongs to (set by providers)",
  },
  managerId: {
    flag: "manager-id",
    type: "string",
    arg: "<id>",
    help: "this pool's id (default: random)",
  },
  secretFile: SECRET_FILE,
  addressProbeTimeout: {
    flag: "address-probe-timeout",
    type: "number",
    default: DEFAULT_ADDRESS_PROBE_TIMEOUT,
    arg: "<s>",
    help: "give up when no address answers within s seconds",
  },
  maxWorkersPerNode: {
    flag: "max-workers-per-node",
    type: "number",
    default: 0,
    arg: "<n>",
    help: "worker processes (0: as many as cores allow)",
  },
  coresPerWorker: {
    flag: "cores-per-worker",
    type: "number",
    default: 1,
    arg: "<c>",
    help: "cores per worker",
  },
  memPerWorker: {
    flag: "mem-per-worker",
    type: "number",
    default: 0,
    arg: "<GB>",
    help: "memory per worker, 0 for no limit",
  },
  availableAccelerators: {
    flag: "available-accelerators",
    type: "list",
    arg: "<list>",
    help: 'GPU ids "0,1" or a count; one per worker',
  },
  cpuAffinity: {
    flag: "cpu-affinity",
    type: "string",
    default: "none",
    arg: "<how>",
    help: "none, block, block-reverse, alternating or list:...",
  },
  prefetchCapacity: {
    flag: "prefetch-capacity",
    type: "number",
    default: 0,
    arg: "<n>",
    help: "tasks held beyond the workers",
  },
  heartbeatPeriod: HEARTBEAT_PERIOD,
  heartbeatThreshold: HEARTBEAT_THRESHOLD,
  drainPeriod: {
    flag: "drain-period",
    type: "number",
    default: 0,
    arg: "<s>",
    help: "finish tasks and exit after this many seconds (0: never)",
  },
  resourceMonitoringInterval: {
    flag: "resource-interval",
    type: "number",
    default: 0,
    arg: "<s>",
    help: "sample running tasks' resource use every s seconds (0: off)",
  },
  maxFrameBytes: MAX_FRAME_BYTES,
  logDir: { flag: "log-dir", type: "string", arg: "<dir>", help: "where the pool writes its log" },
  caFile: {
    flag: "ca-file",
    type: "string",
    arg: "<path>",
    help: "TLS: trust only this CA (encrypted executors)",
  },
  workerDebug: DEBUG_LOG,
  reportRunning: {
    flag: "report-running",
    type: "boolean",
    help: "report when each task starts running",
  },
  stampStarts: {
    flag: "stamp-starts",
    type: "boolean",
    help: "put the start of a task that ends before its running report on its result",
    internal: true,
  },
  workerProcess: {
    flag: "worker-process",
    type: "boolean",
    help: "run one worker (the manager starts its workers so)",
    internal: true,
  },
  managerSocket: {
    flag: "manager-socket",
    type: "string",
    help: "the manager's Unix socket (with --worker-process)",
    internal: true,
  },
  workerId: {
    flag: "worker-id",
    type: "string",
    default: "0",
    help: "this worker's number (with --worker-process)",
    internal: true,
  },
  sampleResources: {
    flag: "sample-resources",
    type: "boolean",
    help: "sample this worker's resources at each task's end (with --worker-process)",
    internal: true,
  },
});
