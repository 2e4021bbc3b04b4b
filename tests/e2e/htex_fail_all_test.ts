// failAll: when blocks keep failing before any pool connects, the scaling loop gives up on the
// executor; its outstanding tasks fail with the cause instead of waiting forever.
import { assertRejects } from "../_assert.ts";
import { ScaleOutFailed } from "../../providers/errors.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { makeHost, manualPools, task } from "./_htex_env.ts";

Deno.test("failAll fails outstanding tasks with the cause and refuses new ones", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-failall-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({
    provider: manualPools(),
    heartbeatPeriod: 1,
    heartbeatThreshold: 5,
  });
  try {
    await htex.start(host);
    const waiting = htex.submit(task("add", [1, 2])); // no pool: it waits
    htex.failAll(
      new ScaleOutFailed("local", "block 0 ended before a worker connected: bad module path"),
    );
    await assertRejects(() => waiting, ScaleOutFailed, "bad module path");
    await assertRejects(() => htex.submit(task("add", [1, 2])), Error, "bad module path");
  } finally {
    await htex.shutdown();
    await host.logger.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
