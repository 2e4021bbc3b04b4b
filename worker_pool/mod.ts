/**
 * Worker pools of the HighThroughputExecutor: `tsflow worker` ({@linkcode runWorkerPool}), the
 * pool manager (one per node), the worker processes it keeps, their placement (CPU affinity,
 * accelerators), the resource probe, and the shared task runner both executors use.
 *
 * @module
 */
export { runWorkerPool } from "./worker_pool_main.ts";
export { type PoolExit, PoolManager } from "./manager.ts";
export type { PoolOptions } from "./pool_options.ts";
export { runWorkerProcess } from "./worker_process.ts";
export {
  acceleratorEnv,
  cpusFor,
  spawnWorker,
  workerCount,
  type WorkerCountInput,
  workerEnv,
} from "./placement.ts";

export {
  DEFAULT_ADDRESS_PROBE_TIMEOUT,
  type PoolIdentity,
  probeAddresses,
  registerMessage,
  splitHostPort,
} from "./connect.ts";
export {
  BASH_KILL_GRACE_S,
  type Completed,
  MAX_FAILED_STARTS,
  PoolCore,
  type PoolCoreOptions,
} from "./pool_core.ts";
export type { PoolHooks, PoolTask, PoolTimers, WorkerLink } from "./pool_links.ts";
export { Pacer, PIPELINE_BELOW_MS, PIPELINE_DEPTH, QUEUE_BUDGET_MS } from "./pacing.ts";
export { resolveFunction, runTask } from "./run_task.ts";
