/**
 * Registers tsflow's own plugin classes (executors, providers, launchers, monitoring, staging,
 * selectors) as YAML `type:` names. The classes are taken from the root `mod.ts` when a YAML
 * config is first read, so nothing here loads a plugin folder before it is needed, and a class
 * added to `mod.ts` is usable from YAML without a change here.
 *
 * @module
 */
import type {
  CondorProviderOptions,
  GridEngineProviderOptions,
  HighThroughputExecutorOptions,
  KubernetesProviderOptions,
  LauncherOptions,
  LocalProviderOptions,
  LSFProviderOptions,
  MonitoringHubOptions,
  MpiExecLauncherOptions,
  MpiRunLauncherOptions,
  PBSProProviderOptions,
  SingleNodeLauncherOptions,
  SlurmProviderOptions,
  SrunLauncherOptions,
  ThreadPoolExecutorOptions,
  TorqueProviderOptions,
} from "../mod.ts";
import { configType, optionKeys, registerConfigType } from "./config_types.ts";

/** Names of plugin classes, by their conventional suffix. */
const PLUGIN_NAME = /^[A-Z]\w*(Executor|Provider|Launcher|Hub|Staging|Resolver|Selector|Strategy)$/;

// Option names shared by providers (ProviderOptions, then ClusterProviderOptions).
const BLOCKS = [
  "initBlocks",
  "minBlocks",
  "maxBlocks",
  "nodesPerBlock",
  "parallelism",
  "walltime",
  "workerInit",
  "launcher",
  "cmdTimeout",
] as const;
const CLUSTER = [
  ...BLOCKS,
  "schedulerOptions",
  "commandDir",
  "commandRetries",
  "missingGrace",
] as const;
const SRUN = optionKeys<SrunLauncherOptions>()("debug", "overrides");

/**
 * Accepted options of the built-in classes, checked against their option types by the compiler
 * (see `optionKeys`); a class not listed accepts any key. A new option in a plugin's options
 * interface makes `deno check` fail here until its name is added (so YAML accepts it too).
 */
const KEYS: Record<string, readonly string[]> = {
  ThreadPoolExecutor: optionKeys<ThreadPoolExecutorOptions>()(
    "label",
    "maxThreads",
    "batchSize",
    "storageAccess",
  ),
  HighThroughputExecutor: optionKeys<HighThroughputExecutorOptions>()(
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
  ),
  MonitoringHub: optionKeys<MonitoringHubOptions>()(
    "enabled",
    "dbPath",
    "resourceMonitoringEnabled",
    "resourceMonitoringInterval",
    "flushIntervalMs",
    "writerThread",
    "closeBoundMs",
  ),
  LocalProvider: optionKeys<LocalProviderOptions>()(...BLOCKS, "enforceWalltime", "killGrace"),
  SlurmProvider: optionKeys<SlurmProviderOptions>()(
    ...CLUSTER,
    "partition",
    "account",
    "qos",
    "constraint",
    "exclusive",
    "memPerNode",
    "coresPerNode",
  ),
  GridEngineProvider: optionKeys<GridEngineProviderOptions>()(
    ...CLUSTER,
    "queue",
    "parallelEnvironment",
    "project",
  ),
  PBSProProvider: optionKeys<PBSProProviderOptions>()(
    ...CLUSTER,
    "queue",
    "account",
    "cpusPerNode",
    "selectOptions",
  ),
  TorqueProvider: optionKeys<TorqueProviderOptions>()(...CLUSTER, "queue", "account"),
  LSFProvider: optionKeys<LSFProviderOptions>()(...CLUSTER, "queue", "project", "requestByNodes"),
  CondorProvider: optionKeys<CondorProviderOptions>()(
    ...CLUSTER,
    "cores",
    "memoryMb",
    "requirements",
    "project",
    "submitOptions",
  ),
  KubernetesProvider: optionKeys<KubernetesProviderOptions>()(
    ...BLOCKS,
    "commandRetries",
    "image",
    "apiServer",
    "namespace",
    "token",
    "tokenFile",
    "podNamePrefix",
    "cpu",
    "memory",
    "serviceAccountName",
    "labels",
    "imagePullPolicy",
  ),
  SimpleLauncher: optionKeys<LauncherOptions>()("debug"),
  GnuParallelLauncher: optionKeys<LauncherOptions>()("debug"),
  SingleNodeLauncher: optionKeys<SingleNodeLauncherOptions>()("debug", "failOnAny"),
  SrunLauncher: SRUN,
  SrunMPILauncher: SRUN,
  AprunLauncher: SRUN,
  JsrunLauncher: SRUN,
  MpiExecLauncher: optionKeys<MpiExecLauncherOptions>()("debug", "bindCmd", "overrides"),
  MpiRunLauncher: optionKeys<MpiRunLauncherOptions>()("debug", "bashLocation", "overrides"),
  WrappedLauncher: ["prepend"],
};

// deno-lint-ignore no-explicit-any
type Ctor = new (...args: any[]) => unknown;

/** Constructors whose argument is not one options object. */
const FACTORIES: Record<string, (cls: Ctor, o: Record<string, unknown>) => unknown> = {
  WrappedLauncher: (cls, o) => new cls(String(o.prepend ?? "")),
};

let done: Promise<void> | undefined;

/**
 * Registers every plugin class the root `mod.ts` exports, once; registrations made before (by
 * a workflow) are kept.
 *
 * @returns When done.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * await registerBuiltinTypes();
 * assert(configType("LocalProvider") !== undefined);
 * ```
 */
export function registerBuiltinTypes(): Promise<void> {
  return done ??= (async () => {
    const ns = await import("../mod.ts") as Record<string, unknown>;
    for (const [name, value] of Object.entries(ns)) {
      if (!PLUGIN_NAME.test(name) || typeof value !== "function" || configType(name)) continue;
      const cls = value as Ctor;
      const special = FACTORIES[name];
      registerConfigType(
        name,
        special ? (o) => special(cls, o) : (o) => new cls(o),
        { keys: KEYS[name] },
      );
    }
  })();
}
