// Runs a HighThroughputExecutor whose blocks come from a real provider, scaled by startScaling,
// and checks afterwards that no block is left in the scheduler.
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import type { HighThroughputExecutorOptions } from "../../interchange/htex_options.ts";
import type { ExecutionProvider } from "../../providers/execution_provider.ts";
import { startScaling, type StrategyName } from "../../dfk/scaling/mod.ts";
import { Logger } from "../../dfk/logger.ts";
import { load } from "../../dfk/load.ts";
import { makeHost } from "../e2e/_htex_env.ts";

export interface HtexRun {
  htex: HighThroughputExecutor;
  dir: string;
  log: Logger;
  host: ReturnType<typeof makeHost>;
}

/** Starts HTEX on `provider`, scaling every 1 s, runs `body`, then shuts everything down. */
export async function withScaledHtex(
  provider: ExecutionProvider,
  opts: HighThroughputExecutorOptions & { strategy?: StrategyName; maxIdletime?: number },
  body: (run: HtexRun) => Promise<void>,
): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "tsflow-blocks-" });
  const host = makeHost(dir);
  provider.scriptDir = `${dir}/submit_scripts`;
  const log = new Logger("scaling", `${dir}/scaling.log`);
  provider.logger = log;
  const { strategy, maxIdletime, ...htexOpts } = opts;
  const htex = new HighThroughputExecutor({
    heartbeatPeriod: 1,
    heartbeatThreshold: 10,
    ...htexOpts,
    provider,
  });
  let scaling: ReturnType<typeof startScaling> | undefined;
  try {
    await htex.start(host);
    scaling = startScaling([htex], {
      strategy: strategy ?? "simple",
      strategyPeriod: 1,
      maxIdletime: maxIdletime ?? 60,
      logger: log,
    });
    await body({ htex, dir, log, host });
  } finally {
    await scaling?.stop();
    await htex.shutdown();
    await log.close();
    await host.logger.close();
    Deno.removeSync(dir, { recursive: true });
  }
}

/** Job ids of the executor's blocks. */
export function jobIds(htex: HighThroughputExecutor): string[] {
  return [...htex.blocks().values()].map((b) => b.jobId).filter((j): j is string => !!j);
}

/** A workflow run (kernel with retries) on an HTEX whose blocks come from `provider`. */
export interface RetryRun {
  htex: HighThroughputExecutor;
  dir: string;
}

/**
 * Loads a kernel with `retries: 2` on a one-worker HTEX over `provider`, scaled by the simple
 * strategy every 1 s, runs `body`, then stops scaling, cleans up, runs `afterwards` (even when
 * `body` failed) and removes the run's directory. Tasks run through the fixtures' module-level
 * apps, which use the loaded kernel.
 */
export async function withRetryingRun(
  provider: ExecutionProvider,
  prefix: string,
  body: (run: RetryRun) => Promise<void>,
  afterwards?: (run: RetryRun) => Promise<void>,
): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix });
  provider.scriptDir = `${dir}/submit_scripts`;
  const log = new Logger("scaling", `${dir}/scaling.log`);
  const htex = new HighThroughputExecutor({
    maxWorkersPerNode: 1,
    heartbeatPeriod: 1,
    heartbeatThreshold: 10,
    provider,
  });
  const dfk = await load({
    executors: [htex],
    retries: 2,
    runDir: `${dir}/runinfo`,
    strategy: "none",
  });
  const scaling = startScaling([htex], { strategy: "simple", strategyPeriod: 1, logger: log });
  try {
    await body({ htex, dir });
  } finally {
    await scaling.stop();
    await dfk.cleanup();
    await log.close();
    try {
      await afterwards?.({ htex, dir });
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  }
}
