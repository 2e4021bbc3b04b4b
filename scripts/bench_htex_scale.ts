/**
 * Interchange scale benchmark: one real interchange (started by a HighThroughputExecutor)
 * dispatching no-op tasks to 1, 10, 100, 1,000 and 10,000 simulated pools (real TCP
 * connections from this process that register with the real challenge and answer at once).
 * Prints `name=value` lines: registration time and throughput per pool count.
 *
 * Run: `deno run -A scripts/bench_htex_scale.ts [max_pools]`
 *
 * @module
 */
import type { ExecutorTask } from "../dfk/executor.ts";
import { Logger } from "../dfk/logger.ts";
import { HighThroughputExecutor } from "../interchange/high_throughput_executor.ts";
import { LocalProvider } from "../providers/local_provider.ts";
import { raiseOpenFiles, simulatePools } from "./htex_sim_pools.ts";
import { noopTask } from "./_noop_task.ts";

const maxPools = Number(Deno.args[0] ?? 10_000);
const APPS = new URL("./htex_bench_apps.ts", import.meta.url).href;
const task = (): ExecutorTask => noopTask(APPS);

for (const pools of [1, 10, 100, 1_000, 10_000].filter((n) => n <= maxPools)) {
  if (!(await raiseOpenFiles(pools + 1000))) {
    console.log(`scale_${pools}_pools=skipped_open_files_limit`);
    continue;
  }
  const runDir = Deno.makeTempDirSync({ prefix: "tsflow-scale-" });
  const htex = new HighThroughputExecutor({
    heartbeatPeriod: 30,
    heartbeatThreshold: 600,
    provider: new LocalProvider({ initBlocks: 0, maxBlocks: 0 }),
  });
  await htex.start({
    runDir,
    runId: "scale",
    logger: new Logger("bench"),
    emit() {},
    outstanding: () => 0,
  });
  const secret = Deno.readTextFileSync(`${runDir}/htex/secret`).trim();
  const t0 = performance.now();
  const sim = await simulatePools(htex.workerPort, secret, pools, 20);
  console.log(`scale_${pools}_pools_register_s=${((performance.now() - t0) / 1000).toFixed(3)}`);
  try {
    const n = Math.max(20_000, pools * 4);
    await Promise.all(Array.from({ length: 1000 }, () => htex.submit(task())));
    const t1 = performance.now();
    await Promise.all(Array.from({ length: n }, () => htex.submit(task())));
    const rate = n / ((performance.now() - t1) / 1000);
    console.log(`scale_${pools}_pools_tasks_per_s=${Math.round(rate)}`);
  } finally {
    await htex.shutdown();
    await sim.close();
    Deno.removeSync(runDir, { recursive: true });
  }
}
