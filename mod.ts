/**
 * tsflow: Parsl's architecture for TypeScript on Deno. Turn functions into apps, call them to
 * get futures, and run thousands to millions of tasks on a laptop, a cluster or a supercomputer.
 *
 * This module is the public API, exactly what README.md documents. Internals (task records,
 * brands, the logger, resolved option records, command-line helpers) stay reachable from their
 * own modules for tests and tools, but are not part of the API.
 *
 * @example A workflow
 * ```ts
 * import assert from "node:assert/strict";
 * import { load, ThreadPoolExecutor } from "./mod.ts";
 * // examples/add.ts: `export const add = app((x: number, y: number) => x + y);` and `twice`
 * // (apps are exported from a module that workers can import).
 * import { add, twice } from "./examples/add.ts";
 * await using _dfk = await load({ executors: [new ThreadPoolExecutor()], runDir: Deno.makeTempDirSync() });
 * assert.equal(await twice(add(5, 3)), 16);
 * ```
 *
 * @module
 */
import { setDefaultExecutors } from "./dfk/load.ts";
import { ThreadPoolExecutor } from "./worker_pool/thread_pool/thread_pool_executor.ts";

// Apps and futures.
export {
  type App,
  app,
  type AppOptions,
  bashApp,
  type CallOptions,
  type Futurable,
  type FuturableArg,
  joinApp,
  type JoinResult,
} from "./dfk/app.ts";
export { AppFuture, DataFuture, Future, type Settled, type TaskView } from "./dfk/future.ts";
export { TASK_STATES, type TaskCounts, type TaskState } from "./dfk/states.ts";
export { File } from "./dfk/file.ts";
export {
  type InTaskStaging,
  type ResourceSpecification,
  type TaskContext,
  taskContext,
  type TaskContextData,
} from "./dfk/task_context.ts";
export { AUTO_LOGNAME, type StdMode, type StdStream, type StdTarget } from "./dfk/std_streams.ts";

// Running a workflow and its configuration.
export { load } from "./dfk/load.ts";
export { DataFlowKernel } from "./dfk/kernel.ts";
export { type CheckpointMode, type Config, type StdNameGenerator } from "./dfk/config.ts";
export type { RetryHandler } from "./dfk/retries.ts";
export { getAllCheckpoints, getLastCheckpoint } from "./dfk/checkpoint.ts";
export {
  type ContainerRule,
  DEEP_DEPENDENCY_RESOLVER,
  DeepDependencyResolver,
  type DependencyResolver,
  SHALLOW_DEPENDENCY_RESOLVER,
} from "./dfk/dependencies.ts";
export { type IdForMemo, idForMemo, type MemoRule } from "./dfk/memo_id.ts";
export { registerType, type TypeRule } from "./dfk/serialize/codec.ts";
export type { Class } from "./dfk/class_type.ts";

// Errors.
export * from "./dfk/errors.ts";
export { ScaleOutFailed, SchedulerCommandError, SubmitException } from "./providers/errors.ts";

// Files and staging.
export {
  HTTPInTaskStaging,
  HTTPSeparateTaskStaging,
  HTTPStaging,
  type HTTPStagingOptions,
} from "./dfk/staging/http.ts";
export { NoOpFileStaging } from "./dfk/staging/noop.ts";
export type { StagingHost, StagingProvider } from "./dfk/staging/staging_provider.ts";

// Executors.
export type {
  Executor,
  ExecutorHost,
  ExecutorTask,
  FunctionRef,
  TaskKind,
  TaskSink,
} from "./dfk/executor.ts";
export type { ScalableExecutor } from "./dfk/scaling/scalable_executor.ts";
export {
  ThreadPoolExecutor,
  type ThreadPoolExecutorOptions,
} from "./worker_pool/thread_pool/thread_pool_executor.ts";
export {
  blockIdSelector,
  HighThroughputExecutor,
  type HighThroughputExecutorOptions,
  type ManagerSelector,
  type ManagerView,
  mostIdleSelector,
  randomSelector,
  type SelectorRef,
} from "./interchange/mod.ts";
export type { ManagerSummary } from "./dfk/scaling/mod.ts";

// Providers.
export type {
  ExecutionProvider,
  JobState,
  JobStatus,
  ProviderLogger,
  ProviderOptions,
} from "./providers/execution_provider.ts";
export {
  ClusterProvider,
  type ClusterProviderOptions,
  type HeaderParams,
} from "./providers/cluster_provider.ts";
export type { CommandResult } from "./providers/command_runner.ts";
export { LocalProvider, type LocalProviderOptions } from "./providers/local_provider.ts";
export { SlurmProvider, type SlurmProviderOptions } from "./providers/slurm_provider.ts";
export {
  GridEngineProvider,
  type GridEngineProviderOptions,
} from "./providers/grid_engine_provider.ts";
export { PBSProProvider, type PBSProProviderOptions } from "./providers/pbspro_provider.ts";
export { TorqueProvider, type TorqueProviderOptions } from "./providers/torque_provider.ts";
export { LSFProvider, type LSFProviderOptions } from "./providers/lsf_provider.ts";
export { CondorProvider, type CondorProviderOptions } from "./providers/condor_provider.ts";
export {
  KubernetesProvider,
  type KubernetesProviderOptions,
} from "./providers/kubernetes_provider.ts";

// Launchers.
export type { Launcher } from "./launchers/launcher.ts";
export type { LauncherOptions } from "./launchers/_cmd_file.ts";
export { ScriptLauncher, type ScriptLauncherOptions } from "./launchers/script_launcher.ts";
export { SimpleLauncher } from "./launchers/simple_launcher.ts";
export { WrappedLauncher } from "./launchers/wrapped_launcher.ts";
export {
  SingleNodeLauncher,
  type SingleNodeLauncherOptions,
} from "./launchers/single_node_launcher.ts";
export { SrunLauncher, type SrunLauncherOptions } from "./launchers/srun_launcher.ts";
export { SrunMPILauncher } from "./launchers/srun_mpi_launcher.ts";
export { MpiExecLauncher, type MpiExecLauncherOptions } from "./launchers/mpiexec_launcher.ts";
export { MpiRunLauncher, type MpiRunLauncherOptions } from "./launchers/mpirun_launcher.ts";
export { AprunLauncher } from "./launchers/aprun_launcher.ts";
export { JsrunLauncher } from "./launchers/jsrun_launcher.ts";
export { GnuParallelLauncher } from "./launchers/gnu_parallel_launcher.ts";

// The library's version (`tsflow --version` of the program).
export { TSFLOW_VERSION } from "./dfk/version.ts";

// Monitoring.
export { MonitoringHub, type MonitoringHubOptions } from "./monitoring/monitoring_hub.ts";
export type * from "./dfk/monitoring_event.ts";

setDefaultExecutors(() => [new ThreadPoolExecutor()]);
