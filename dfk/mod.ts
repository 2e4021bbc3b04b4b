/**
 * The Data Flow Kernel and the app API: apps and futures, `load()` and the kernel, config,
 * dependency resolvers, retries, memoization and checkpoints, files and staging, errors.
 *
 * @module
 */
export {
  type App,
  app,
  type AppDefinition,
  type AppKind,
  type AppOptions,
  bashApp,
  type CallOptions,
  type Futurable,
  type FuturableArg,
  joinApp,
  type JoinResult,
  type KernelLike,
} from "./app.ts";
export { APP_BRAND, FILE_BRAND, FUTURE_BRAND } from "./brands.ts";
export { getAllCheckpoints, getLastCheckpoint } from "./checkpoint.ts";
export type { Class } from "./class_type.ts";
export { type CheckpointMode, type Config, CONFIG_KEYS, type StdNameGenerator } from "./config.ts";
export {
  type ContainerRule,
  DEEP_DEPENDENCY_RESOLVER,
  DeepDependencyResolver,
  type DependencyResolver,
  SHALLOW_DEPENDENCY_RESOLVER,
} from "./dependencies.ts";
export * from "./errors.ts";
export type {
  Executor,
  ExecutorHost,
  ExecutorTask,
  FunctionRef,
  TaskKind,
  TaskSink,
} from "./executor.ts";
export { File } from "./file.ts";
export { bindModule, type Namespace } from "./function_ref.ts";
export { AppFuture, DataFuture, Future, type Settled, type TaskView } from "./future.ts";
export { DataFlowKernel } from "./kernel.ts";
export { currentKernel, load, setDefaultExecutors } from "./load.ts";
export { Logger, type LogLevel } from "./logger.ts";
export { type IdForMemo, idForMemo, type MemoRule } from "./memo_id.ts";
export type * from "./monitoring_event.ts";
export type { RetryHandler } from "./retries.ts";
export { registerType, type TypeRule } from "./serialize/codec.ts";
export { registerStagingAction, type StagingAction } from "./staging/actions.ts";
export {
  HTTPInTaskStaging,
  HTTPSeparateTaskStaging,
  HTTPStaging,
  type HTTPStagingOptions,
} from "./staging/http.ts";
export { NoOpFileStaging } from "./staging/noop.ts";
export type { StagingHost, StagingProvider } from "./staging/staging_provider.ts";
export { FINAL_STATES, TASK_STATES, type TaskCounts, type TaskState } from "./states.ts";
export {
  type InTaskStaging,
  type ResourceSpecification,
  type TaskContext,
  taskContext,
  type TaskContextData,
} from "./task_context.ts";
export { AUTO_LOGNAME, type StdMode, type StdStream, type StdTarget } from "./std_streams.ts";
export type { DepOutcome, TaskRecord } from "./task_record.ts";
export { TSFLOW_VERSION } from "./version.ts";
