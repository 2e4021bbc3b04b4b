/**
 * Options of the HighThroughputExecutor (Parsl's names in camelCase, same meanings) and their
 * defaults. The command lines they imply are in `process_args.ts`.
 *
 * @module
 */
import { ConfigError } from "../dfk/errors.ts";
import type { ExecutionProvider } from "../providers/execution_provider.ts";
import { LocalProvider } from "../providers/local_provider.ts";
import { workerCount } from "../worker_pool/placement.ts";
import { checkLaunchCmd } from "./launch_cmd.ts";
import { INTERCHANGE_FLAGS } from "../cli/interchange_flags.ts";
import { WORKER_FLAGS } from "../cli/worker_flags.ts";
import { optionKeys } from "../dfk/option_keys.ts";
import type { StagingProvider } from "../dfk/staging/staging_provider.ts";

/** Where a custom ManagerSelector is exported. */
export interface SelectorRef {
  /** Absolute module URL. */
  module: string;
  /** Export name of the selector object. */
  export: string;
}

/** Options of {@linkcode HighThroughputExecutor}. */
export interface HighThroughputExecutorOptions {
  /** Label apps use to pick this executor. @default "htex" */
  label?: string;
  /**
   * Where blocks of worker pools come from. To start pools only by hand (the command is logged),
   * give a provider that makes no blocks: `new LocalProvider({ initBlocks: 0, maxBlocks: 0 })`.
   * @default new LocalProvider(), as in Parsl
   */
  provider?: ExecutionProvider;
  /**
   * The one address pools use to reach the interchange. Unset: pools get every address of this
   * host and connect to the first that answers (loopback only with a `LocalProvider`), as Parsl.
   */
  address?: string;
  /** Seconds a pool may take to find an interchange address that answers. @default 10 */
  addressProbeTimeout?: number;
  /**
   * The shell command that starts a pool in a block, in place of this program's own `tsflow
   * worker` (Parsl's `launch_cmd`), e.g. `"/opt/tsflow/tsflow worker --addresses {addresses}
   * --port {port} --block-id {block_id} {options}"`. Placeholders: `{addresses}` (comma list),
   * `{port}`, `{interchange}` (first `HOST:PORT`), `{block_id}`, `{options}` (every other pool
   * option, shell-quoted: secret file, workers, heartbeats, logs, …).
   */
  launchCmd?: string;
  /** Fixed port for pools (0: any free port). @default 0 */
  workerPort?: number;
  /** Range of ports to choose from, `[low, high]`. */
  workerPortRange?: [number, number];
  /** Most workers per node (0: as many as cores allow). @default 0 */
  maxWorkersPerNode?: number;
  /** Cores per worker. @default 1 */
  coresPerWorker?: number;
  /** GB of memory per worker (0: no limit). @default 0 */
  memPerWorker?: number;
  /** Accelerators: a count or a list of ids; each worker gets one. */
  availableAccelerators?: number | string[];
  /** `none`, `block`, `block-reverse`, `alternating` or `list:…`. @default "none" */
  cpuAffinity?: string;
  /** Tasks a pool may hold beyond its workers. @default 0 */
  prefetchCapacity?: number;
  /** Seconds between heartbeats. @default 30 */
  heartbeatPeriod?: number;
  /** Seconds of silence after which a pool (or the interchange) is lost. @default 120 */
  heartbeatThreshold?: number;
  /** Seconds after which a pool drains and exits (0: never). @default 0 */
  drainPeriod?: number;
  /**
   * Wrap pool connections in TLS. At start the executor makes a per-run CA and interchange
   * certificate with the `openssl` command (in the run directory, key 0600) and pools trust only
   * that CA (`--ca-file`), so the certificate is pinned. Needs `openssl` on the driver's host.
   * @default false
   */
  encrypted?: boolean;
  /** Directory for pool logs (default: the executor's run directory). */
  workerLogdirRoot?: string;
  /** Debug-level logs of the interchange and the pools (Parsl's `worker_debug`). @default false */
  workerDebug?: boolean;
  /** Largest frame on any link. @default 64 MiB */
  maxFrameBytes?: number;
  /**
   * Seconds a pool connection may stay unregistered (not yet proven the run's secret) before
   * the interchange closes it. Until then only registration-size frames are accepted.
   * @default 10
   */
  registrationTimeout?: number;
  /**
   * Pool order: `random`, `most-idle-first`, `block-id` (newest block first, Parsl's
   * `BlockIdManagerSelector`), or your own `ManagerSelector` exported by
   * a module the interchange can import (`{ module: "file:///…/sel.ts", export: "mine" }`).
   * @default "random"
   */
  managerSelector?: "random" | "most-idle-first" | "block-id" | SelectorRef;
  /**
   * Seconds between resource samples of running tasks (0: off).
   * @default the monitoring sink's `resourceMonitoringInterval`, else 0
   */
  resourceMonitoringInterval?: number;
  /**
   * Report running tasks to the kernel (its progress counts) and to monitoring: a pool sends a
   * message for a task still running after a short hold; a shorter task's start rides on its
   * result.
   * @default true
   */
  reportRunning?: boolean;
  /**
   * Staging providers, tried in order for each File (Parsl's `storage_access`). In-task steps run
   * on the pool's workers; separate staging tasks run on this executor.
   * @default file:// and in-task HTTP
   */
  storageAccess?: StagingProvider[];
}

/** The keys of {@linkcode HighThroughputExecutorOptions}, for YAML configurations. */
export const HTEX_OPTION_KEYS = optionKeys<HighThroughputExecutorOptions>()(
  "label",
  "provider",
  "address",
  "addressProbeTimeout",
  "launchCmd",
  "workerPort",
  "workerPortRange",
  "maxWorkersPerNode",
  "coresPerWorker",
  "memPerWorker",
  "availableAccelerators",
  "cpuAffinity",
  "prefetchCapacity",
  "heartbeatPeriod",
  "heartbeatThreshold",
  "drainPeriod",
  "encrypted",
  "workerLogdirRoot",
  "workerDebug",
  "maxFrameBytes",
  "registrationTimeout",
  "managerSelector",
  "resourceMonitoringInterval",
  "reportRunning",
  "storageAccess",
);

/** Options after defaults. */
export type ResolvedHtexOptions =
  & Required<
    Omit<
      HighThroughputExecutorOptions,
      | "provider"
      | "workerPortRange"
      | "workerLogdirRoot"
      | "availableAccelerators"
      | "address"
      | "launchCmd"
      | "storageAccess"
    >
  >
  & {
    provider: ExecutionProvider;
    address?: string;
    launchCmd?: string;
    workerPortRange?: [number, number];
    workerLogdirRoot?: string;
    availableAccelerators: string[];
    storageAccess?: StagingProvider[];
    /**
     * Whether pools put a short task's start on its result (monitoring's `running` row of a
     * task that ended before its running report was due). Not an option: on unless the kernel
     * says monitoring is off (`adoptMonitoring`), when only tasks still running are reported.
     */
    stampStarts: boolean;
  };

/**
 * Fills in defaults and checks values.
 *
 * @param o User options.
 * @returns Complete options.
 * @throws ConfigError on a bad value.
 *
 * @example
 * ```ts
 * import { resolveHtexOptions } from "./htex_options.ts";
 * import assert from "node:assert/strict";
 * const o = resolveHtexOptions({});
 * assert(o.label === "htex" && o.provider.constructor.name === "LocalProvider");
 * ```
 */
export function resolveHtexOptions(o: HighThroughputExecutorOptions): ResolvedHtexOptions {
  const W = WORKER_FLAGS;
  const accs = o.availableAccelerators;
  const r: ResolvedHtexOptions = {
    label: o.label ?? "htex",
    provider: o.provider ?? new LocalProvider(),
    address: o.address,
    launchCmd: o.launchCmd,
    addressProbeTimeout: o.addressProbeTimeout ?? W.addressProbeTimeout.default,
    workerPort: o.workerPort ?? 0,
    workerPortRange: o.workerPortRange,
    maxWorkersPerNode: o.maxWorkersPerNode ?? W.maxWorkersPerNode.default,
    coresPerWorker: o.coresPerWorker ?? W.coresPerWorker.default,
    memPerWorker: o.memPerWorker ?? W.memPerWorker.default,
    availableAccelerators: typeof accs === "number"
      ? Array.from({ length: accs }, (_, i) => String(i))
      : (accs ?? []).map(String),
    cpuAffinity: o.cpuAffinity ?? W.cpuAffinity.default,
    prefetchCapacity: o.prefetchCapacity ?? W.prefetchCapacity.default,
    heartbeatPeriod: o.heartbeatPeriod ?? W.heartbeatPeriod.default,
    heartbeatThreshold: o.heartbeatThreshold ?? W.heartbeatThreshold.default,
    drainPeriod: o.drainPeriod ?? W.drainPeriod.default,
    encrypted: o.encrypted ?? false,
    workerLogdirRoot: o.workerLogdirRoot,
    workerDebug: o.workerDebug ?? false,
    maxFrameBytes: o.maxFrameBytes ?? W.maxFrameBytes.default,
    registrationTimeout: o.registrationTimeout ?? INTERCHANGE_FLAGS.registrationTimeout.default,
    managerSelector: o.managerSelector ?? INTERCHANGE_FLAGS.selector.default,
    resourceMonitoringInterval: o.resourceMonitoringInterval ??
      W.resourceMonitoringInterval.default,
    reportRunning: o.reportRunning ?? true,
    storageAccess: o.storageAccess,
    stampStarts: o.reportRunning ?? true,
  };
  const positive = [
    "heartbeatPeriod",
    "heartbeatThreshold",
    "addressProbeTimeout",
    "coresPerWorker",
    "maxFrameBytes",
    "registrationTimeout",
  ] as const;
  for (const k of positive) {
    if (!(r[k] > 0)) throw new ConfigError(`HighThroughputExecutor ${k} must be > 0, got ${r[k]}`);
  }
  if (r.heartbeatThreshold < r.heartbeatPeriod) {
    throw new ConfigError(
      `HighThroughputExecutor heartbeatThreshold (${r.heartbeatThreshold}) must be at least heartbeatPeriod (${r.heartbeatPeriod})`,
    );
  }
  if (r.launchCmd !== undefined) checkLaunchCmd(r.launchCmd);
  checkStorageAccess(r.storageAccess);
  const sel = r.managerSelector;
  const ok = typeof sel === "string"
    ? ["random", "most-idle-first", "block-id"].includes(sel)
    : /^[a-z]+:/.test(sel?.module ?? "") && typeof sel.export === "string";
  if (!ok) {
    throw new ConfigError(
      `Unknown managerSelector ${JSON.stringify(sel)}: use "random", "most-idle-first", ` +
        `"block-id" or ` +
        `{ module: "<absolute URL>", export: "<name>" }`,
    );
  }
  return r;
}

/** A list of staging providers, or a ConfigError naming the entry that is not one. */
function checkStorageAccess(list: unknown): void {
  if (list === undefined) return;
  const bad = !Array.isArray(list)
    ? "is not a list"
    : list.findIndex((p) =>
      typeof p?.canStageIn !== "function" || typeof p?.canStageOut !== "function"
    );
  if (bad === -1) return;
  throw new ConfigError(
    `HighThroughputExecutor storageAccess ${
      typeof bad === "string" ? bad : `[${bad}] is not a staging provider`
    }: give a list of staging providers (objects with canStageIn and canStageOut), ` +
      `e.g. [new NoOpFileStaging(), new HTTPInTaskStaging()]`,
  );
}

/**
 * Takes monitoring settings the user left unset from the kernel: resource samples at the sink's
 * interval. Running reports stay on without a sink, as the kernel counts running tasks; but the
 * start of a task that ends before its report is due then goes nowhere, so pools leave it off
 * the result (which the interchange and the pool then relay as the worker's bytes).
 *
 * @param o Resolved options (updated in place).
 * @param given The options as the user wrote them.
 * @param host What the kernel says about monitoring.
 *
 * @example
 * ```ts
 * import { adoptMonitoring, resolveHtexOptions } from "./htex_options.ts";
 * import assert from "node:assert/strict";
 * const o = resolveHtexOptions({});
 * adoptMonitoring(o, {}, { monitoringEnabled: true, resourceMonitoringInterval: 5 });
 * assert(o.resourceMonitoringInterval === 5 && o.reportRunning && o.stampStarts);
 * adoptMonitoring(o, {}, { monitoringEnabled: false });
 * assert(o.reportRunning && !o.stampStarts);
 * ```
 */
export function adoptMonitoring(
  o: ResolvedHtexOptions,
  given: HighThroughputExecutorOptions,
  host: { monitoringEnabled?: boolean; resourceMonitoringInterval?: number },
): void {
  if (given.resourceMonitoringInterval === undefined && host.monitoringEnabled !== false) {
    o.resourceMonitoringInterval = host.resourceMonitoringInterval ?? o.resourceMonitoringInterval;
  }
  o.stampStarts = o.reportRunning && host.monitoringEnabled !== false;
}

/**
 * Workers a pool of this executor will start on a node like this one (the pool's own rule).
 *
 * @param o Resolved options.
 * @returns Workers per node.
 *
 * @example
 * ```ts
 * import { resolveHtexOptions, workersPerNode } from "./htex_options.ts";
 * import assert from "node:assert/strict";
 * assert(workersPerNode(resolveHtexOptions({ maxWorkersPerNode: 1 })) === 1);
 * ```
 */
export function workersPerNode(o: ResolvedHtexOptions): number {
  return workerCount({
    maxWorkersPerNode: o.maxWorkersPerNode,
    coresPerWorker: o.coresPerWorker,
    memPerWorker: o.memPerWorker,
    accelerators: o.availableAccelerators,
    cpuCount: navigator.hardwareConcurrency,
    memoryGb: Deno.systemMemoryInfo().total / 2 ** 30,
  });
}
