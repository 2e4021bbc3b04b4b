// One interchange keeps dispatching to 1 … 10,000 simulated pools (each a real TCP connection
// that registers with the real challenge). Figures: scripts/bench_htex_scale.ts.
import { assert, assertEquals } from "../_assert.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { raiseOpenFiles, simulatePools } from "../../scripts/htex_sim_pools.ts";
import { makeHost, manualPools, task } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

for (const pools of [1, 100, 10_000]) {
  Deno.test(`the interchange dispatches every task across ${pools} simulated pool(s)`, async () => {
    assert(await raiseOpenFiles(pools + 1000), "cannot raise the open-files limit");
    const dir = Deno.makeTempDirSync({ prefix: "htex-scale-" });
    const host = makeHost(dir);
    const htex = new HighThroughputExecutor({
      provider: manualPools(),
      heartbeatPeriod: 30,
      heartbeatThreshold: 300,
    });
    await htex.start(host);
    const secret = Deno.readTextFileSync(`${dir}/htex/secret`).trim();
    const sim = await simulatePools(htex.workerPort, secret, pools);
    try {
      await waitFor(
        () =>
          htex.managers().length === pools ||
          host.events.filter((e) => e.type === "node").length === pools,
        120,
        "registrations",
      );
      const n = Math.max(2000, pools * 2);
      const results = await Promise.all(Array.from({ length: n }, () => htex.submit(task("noop"))));
      assertEquals(results.length, n);
      assertEquals(sim.answered(), n);
    } finally {
      await htex.shutdown();
      await sim.close();
      await host.logger.close();
      assertEquals(await processesMatching(dir), []);
      Deno.removeSync(dir, { recursive: true });
    }
  });
}
