// What the HighThroughputExecutor reports about its pools is current (Parsl's
// connected_managers() asks the interchange): registration, busy/idle, hold, drain and loss show
// at once, long before the 30 s heartbeat that also refreshes the list.
import { assertEquals } from "../_assert.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { makeHost, manualPools, reap, startPool, task } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

Deno.test("htex reports pools registered, busy, idle, held, draining and lost when it happens", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-pools-" });
  const host = makeHost(dir);
  // No heartbeat within the test: every change must arrive as it happens.
  const htex = new HighThroughputExecutor({
    provider: manualPools(),
    maxWorkersPerNode: 1,
    prefetchCapacity: 0,
    heartbeatPeriod: 30,
    heartbeatThreshold: 120,
  });
  const pools: Deno.ChildProcess[] = [];
  const soon = 15; // seconds; well under the heartbeat period
  const pool = (block: string) => htex.managers().find((m) => m.blockId === block);
  try {
    await htex.start(host);
    pools.push(startPool(htex, "a"), startPool(htex, "b"));
    await waitFor(() => htex.managers().length === 2, soon, "both pools registered");
    assertEquals(pool("a")?.active, true);
    assertEquals(pool("a")?.draining, false);

    htex.holdManager(pool("b")!.managerId);
    await waitFor(() => pool("b")?.active === false, soon, "pool b held");

    // Only a takes tasks now.
    const running = htex.submit(task("untilFile", [`${dir}/end1`]));
    await waitFor(() => pool("a")?.outstanding === 1, soon, "pool a busy");
    assertEquals(pool("a")?.idleSeconds, 0);
    Deno.writeTextFileSync(`${dir}/end1`, "");
    await running;
    await waitFor(() => pool("a")?.outstanding === 0, soon, "pool a idle again");

    const last = htex.submit(task("untilFile", [`${dir}/end2`]));
    await waitFor(() => pool("a")?.outstanding === 1, soon, "pool a busy again");
    htex.drain(pool("a")!.managerId);
    await waitFor(
      () => pool("a")?.draining === true && pool("a")?.active === false,
      soon,
      "pool a draining",
    );
    Deno.writeTextFileSync(`${dir}/end2`, "");
    assertEquals(await last, `${dir}/end2`, "a draining pool finishes its task");
    await waitFor(() => pool("a") === undefined, soon, "drained pool a gone");

    pools[1].kill("SIGKILL");
    await waitFor(() => htex.managers().length === 0, soon, "killed pool b lost");
  } finally {
    await htex.shutdown();
    for (const p of pools) await reap(p);
    await host.logger.close();
    assertEquals(await processesMatching(dir), [], "processes left behind");
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a pool past its drainPeriod shows as draining while its task runs, then is gone (Parsl's test_drain)", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-pools-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({
    provider: manualPools(),
    maxWorkersPerNode: 1,
    drainPeriod: 2,
    heartbeatPeriod: 30,
    heartbeatThreshold: 120,
  });
  let child: Deno.ChildProcess | undefined;
  try {
    await htex.start(host);
    child = startPool(htex, "d");
    await waitFor(() => htex.managers().length === 1, 15, "the pool registered");
    assertEquals(htex.managers()[0].active, true);
    assertEquals(htex.managers()[0].draining, false);
    let done = false;
    const fut = htex.submit(task("untilFile", [`${dir}/end`])).finally(() => done = true);
    await waitFor(() => htex.managers()[0]?.draining === true, 15, "the pool draining");
    assertEquals(htex.managers()[0].active, false);
    assertEquals(done, false, "the task still runs");
    Deno.writeTextFileSync(`${dir}/end`, "");
    await fut;
    await waitFor(() => htex.managers().length === 0, 15, "the drained pool gone");
  } finally {
    await htex.shutdown();
    await reap(child);
    await host.logger.close();
    assertEquals(await processesMatching(dir), [], "processes left behind");
    Deno.removeSync(dir, { recursive: true });
  }
});
