/**
 * `load(config)`: builds and starts the kernel for a run (Parsl's `parsl.load`), and keeps it on
 * `globalThis` where apps (of any copy of tsflow) find it.
 *
 * @module
 */
import { accountName } from "./_account_name.ts";
import { basename, join } from "./_path.ts";
import { KERNEL_KEY } from "./brands.ts";
import { CheckpointWriter, getAllCheckpoints, loadCheckpoints } from "./checkpoint.ts";
import { type Config, parsePeriod, validateConfig } from "./config.ts";
import { SHALLOW_DEPENDENCY_RESOLVER } from "./dependencies.ts";
import { ConfigError } from "./errors.ts";
import type { Executor, ExecutorHost } from "./executor.ts";
import { DataFlowKernel } from "./kernel.ts";
import { Logger } from "./logger.ts";
import { Memoizer } from "./memoizer.ts";
import { makeRunDir } from "./run_dir.ts";
import { TSFLOW_VERSION } from "./version.ts";
import { localSeconds, wallClockMs } from "./clock.ts";
import { type ScalableExecutor, startScaling } from "./scaling/mod.ts";

const g = globalThis as unknown as Record<symbol, DataFlowKernel | undefined>;
let defaultExecutors: () => Executor[] = () => [];
const SHUTDOWN_BOUND_MS = 30_000;

/**
 * Sets the executors a config without `executors` gets (the root module sets a
 * ThreadPoolExecutor), so the kernel itself imports no executor.
 *
 * @param factory Makes the default executors.
 *
 * @example
 * ```ts
 * import { ThreadPoolExecutor } from "../worker_pool/thread_pool/thread_pool_executor.ts";
 * setDefaultExecutors(() => [new ThreadPoolExecutor()]); // what the root mod.ts does
 * ```
 */
export function setDefaultExecutors(factory: () => Executor[]): void {
  defaultExecutors = factory;
}

/**
 * The running kernel, if any.
 *
 * @returns The kernel loaded by `load()`, or undefined.
 *
 * @example
 * ```ts
 * import { currentKernel } from "./load.ts";
 * import assert from "node:assert/strict";
 * assert(currentKernel() === undefined);
 * ```
 */
export function currentKernel(): DataFlowKernel | undefined {
  return g[KERNEL_KEY];
}

function withBound<T>(p: Promise<T>, ms: number, what: string, log: Logger): Promise<T | void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<void>((r) => {
    timer = setTimeout(() => {
      log.error(`${what} did not finish within ${ms} ms; going on`);
      r();
    }, ms);
  });
  return Promise.race([p, bound]).finally(() => clearTimeout(timer));
}

/**
 * Loads a configuration: makes the run directory, starts executors, monitoring and checkpoints,
 * and returns the kernel. Use `await using dfk = await load(config)` so it is cleaned up.
 *
 * @param config The configuration.
 * @returns The running kernel.
 * @throws ConfigError for an invalid config, or when a kernel is already loaded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { load, ThreadPoolExecutor } from "../mod.ts";
 * const executors = [new ThreadPoolExecutor({ maxThreads: 4 })];
 * await using dfk = await load({ executors, runDir: Deno.makeTempDirSync() });
 * assert.match(dfk.runDir, /000$/);
 * ```
 */
export async function load(config: Config = {}): Promise<DataFlowKernel> {
  validateConfig(config);
  if (g[KERNEL_KEY]) {
    throw new ConfigError(
      "A tsflow kernel is already loaded: call `await dfk.cleanup()` before loading another",
    );
  }
  const runDir = makeRunDir(config.runDir ?? "runinfo");
  const logger = new Logger(
    "dfk",
    config.initializeLogging === false ? undefined : join(runDir, "tsflow.log"),
  );
  const runId = crypto.randomUUID();
  const executorList = config.executors?.length ? config.executors : defaultExecutors();
  if (executorList.length === 0) throw new ConfigError("No executors: give config.executors");
  const executors = new Map(executorList.map((e) => [e.label, e]));

  // As Parsl: with a checkpoint mode and no checkpointFiles, every earlier run's checkpoint.
  const checkpointFiles = config.checkpointFiles ??
    (config.checkpointMode ? getAllCheckpoints(config.runDir ?? "runinfo") : []);
  const { results, warnings } = loadCheckpoints(checkpointFiles);
  for (const w of warnings) {
    logger.warn(w);
    console.error(`tsflow: warning: ${w}`);
  }
  if (results.size) logger.info(`Loaded ${results.size} checkpointed results`);
  const checkpoint = new CheckpointWriter(join(runDir, "checkpoint"));
  const monitoring = config.monitoring;
  await monitoring?.start(runDir);

  const kernel = new DataFlowKernel({
    config,
    executors,
    resolver: config.dependencyResolver ?? SHALLOW_DEPENDENCY_RESOLVER,
    memoizer: new Memoizer(results),
    // Parsl writes no checkpoint at all without a checkpoint mode.
    checkpoint: config.checkpointMode ? checkpoint : undefined,
    logger,
    monitoring,
    runId,
    runDir,
  });
  const timeBegan = wallClockMs();
  monitoring?.record({
    type: "workflow_start",
    runId,
    workflowName: config.workflowName ?? basename(Deno.mainModule),
    // Parsl's default version is the start time; tsflow's own version has its own column.
    workflowVersion: config.workflowVersion ?? localSeconds(timeBegan),
    runDir,
    hostname: Deno.hostname(),
    user: await accountName(),
    timeBegan,
    tsflowVersion: TSFLOW_VERSION,
    denoVersion: Deno.version.deno,
  });
  const host: ExecutorHost = {
    runDir,
    runId,
    logger,
    emit: (e) => {
      if (e.type === "try_running") kernel.noteRunning(e.taskId, e.state === "running");
      monitoring?.record(e);
    },
    outstanding: (label) => kernel.outstandingOn(label),
    monitoringEnabled: monitoring !== undefined,
    resourceMonitoringInterval: monitoring?.resourceMonitoringInterval,
  };
  logger.info(`Run ${runId} in ${runDir}, tsflow ${TSFLOW_VERSION}, Deno ${Deno.version.deno}`);
  const started: Executor[] = [];
  try {
    await Promise.all(executorList.map(async (e) => {
      await e.start(host);
      started.push(e);
    }));
  } catch (e) {
    await Promise.allSettled(started.map((s) => s.shutdown()));
    await logger.close();
    throw e;
  }

  const scalable = executorList.filter((e): e is Executor & ScalableExecutor =>
    typeof (e as Partial<ScalableExecutor>).scaleOut === "function" &&
    typeof (e as Partial<ScalableExecutor>).pollBlocks === "function"
  );
  const scaling = scalable.length
    ? startScaling(scalable, {
      strategy: config.strategy ?? "simple",
      strategyPeriod: config.strategyPeriod,
      maxIdletime: config.maxIdletime,
      logger,
    })
    : undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  if (config.checkpointMode === "periodic") {
    timer = setInterval(
      () => kernel.checkpoint(),
      parsePeriod(config.checkpointPeriod ?? "00:30:00") * 1000,
    );
  }
  kernel.onCleanup.push(
    () => clearInterval(timer),
    () => scaling?.stop(),
    async () => {
      await Promise.all(
        executorList.map((e) =>
          withBound(
            e.shutdown().catch((err) =>
              logger.error(`Executor ${e.label} shutdown failed: ${err}`)
            ),
            SHUTDOWN_BOUND_MS,
            `Executor ${e.label} shutdown`,
            logger,
          )
        ),
      );
    },
    () => {
      if (config.checkpointMode) checkpoint.close();
    },
    async () => {
      const c = kernel.counts();
      monitoring?.record({
        type: "workflow_end",
        runId,
        timeCompleted: wallClockMs(),
        // Parsl counts exec_done and failed only (memo_done and dep_fail are not in them).
        tasksCompletedCount: c.exec_done,
        tasksFailedCount: c.failed,
      });
      await monitoring?.close();
    },
    async () => {
      logger.info("Run finished");
      await logger.close();
      if (g[KERNEL_KEY] === kernel) g[KERNEL_KEY] = undefined;
    },
  );
  g[KERNEL_KEY] = kernel;
  return kernel;
}
