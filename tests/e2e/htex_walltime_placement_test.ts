// Walltime-aware placement (which Parsl lacks, #1905/#3059/#3249): a pool knows when its block
// ends (TSFLOW_BLOCK_END_TIME, exported by every block script), and the interchange sends a task
// with a walltime only to a pool that will still be there when the walltime is up.
import { assertEquals } from "../_assert.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { makeHost, manualPools, reap, task } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

function poolWithEnd(
  htex: HighThroughputExecutor,
  name: string,
  endsIn?: number,
): Deno.ChildProcess {
  const argv = htex.workerCommand(name);
  const env: Record<string, string> = { POOL_NAME: name };
  if (endsIn !== undefined) {
    env.TSFLOW_BLOCK_END_TIME = String(Math.floor(Date.now() / 1000) + endsIn);
  }
  return new Deno.Command(argv[0], {
    args: argv.slice(1),
    env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  })
    .spawn();
}

Deno.test("a task with a walltime goes only to a pool whose block outlives it", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-wall-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({
    provider: manualPools(),
    heartbeatPeriod: 1,
    heartbeatThreshold: 5,
    maxWorkersPerNode: 1,
  });
  const pools: Deno.ChildProcess[] = [];
  try {
    await htex.start(host);
    pools.push(poolWithEnd(htex, "ending", 50), poolWithEnd(htex, "lasting", 3600));
    await waitFor(() => htex.managers().length === 2, 30, "two pools");
    // 60 s of walltime does not fit in the block that ends in 50 s: every such task runs on
    // the lasting pool, however the selector orders the pools.
    const placed = await Promise.all(
      Array.from({ length: 8 }, () => htex.submit(task("env", ["POOL_NAME"], { walltime: 60 }))),
    );
    assertEquals([...new Set(placed)], ["lasting"]);
    // Tasks that fit (no walltime) may use both pools.
    const free = await Promise.all(
      Array.from({ length: 40 }, () => htex.submit(task("sleep", [0.02]))),
    );
    assertEquals(free.length, 40);
    const info = htex.managers();
    assertEquals(info.every((m) => typeof m.managerId === "string"), true);
  } finally {
    await htex.shutdown();
    for (const p of pools) await reap(p);
    await host.logger.close();
    assertEquals(await processesMatching(dir), [], "processes left behind");
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a pool stops taking tasks before its block's walltime ends, and leaves when idle", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-wall-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({
    provider: manualPools(),
    heartbeatPeriod: 1,
    heartbeatThreshold: 5,
    maxWorkersPerNode: 1,
  });
  let pool: Deno.ChildProcess | undefined;
  try {
    await htex.start(host);
    // Ends in 20 s: the margin is a tenth of that, so it drains after about 18 s.
    pool = poolWithEnd(htex, "ending", 20);
    await waitFor(() => htex.managers().length === 1, 30, "the pool");
    const status = await Promise.race([
      pool.status,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000)),
    ]);
    assertEquals(status?.code, 0, "the pool drained and exited before its block's end");
  } finally {
    await htex.shutdown();
    await reap(pool);
    await host.logger.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
