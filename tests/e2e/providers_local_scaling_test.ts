// Scaling end to end: a HighThroughputExecutor on LocalProvider blocks (real processes, real
// interchange), driven by startScaling. Load rises -> blocks rise to maxBlocks; load ends ->
// idle blocks end after maxIdletime down to minBlocks.
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { LocalProvider } from "../../providers/local_provider.ts";
import { startScaling } from "../../dfk/scaling/mod.ts";
import { Logger } from "../../dfk/logger.ts";
import { makeHost, task } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

const activeBlocks = (htex: HighThroughputExecutor) =>
  [...htex.blocks().values()].filter((b) =>
    b.status.state === "RUNNING" || b.status.state === "PENDING"
  ).length;

Deno.test("htex_auto_scale grows LocalProvider blocks to maxBlocks under load and ends idle ones down to minBlocks", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "tsflow-scaling-" });
  const host = makeHost(dir);
  const provider = new LocalProvider({ initBlocks: 0, minBlocks: 1, maxBlocks: 3 });
  provider.scriptDir = `${dir}/submit_scripts`;
  const htex = new HighThroughputExecutor({
    maxWorkersPerNode: 1,
    heartbeatPeriod: 1,
    heartbeatThreshold: 10,
    provider,
  });
  const log = new Logger("scaling", `${dir}/scaling.log`);
  let scaling: ReturnType<typeof startScaling> | undefined;
  let peak = 0;
  const sampler = setInterval(() => peak = Math.max(peak, activeBlocks(htex)), 50);
  try {
    await htex.start(host);
    scaling = startScaling([htex], {
      strategy: "htex_auto_scale",
      strategyPeriod: 0.5,
      maxIdletime: 2,
      logger: log,
    });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => htex.submit(task("sleep", [0.4])).then(() => i)),
    );
    assertEquals(results.length, 12);
    assertEquals(peak, 3, "blocks rose to maxBlocks and no further");
    assert(htex.managers().length >= 2, "several pools connected");
    await waitFor(() => activeBlocks(htex) === 1, 30, "idle blocks to end down to minBlocks");
    await new Promise((r) => setTimeout(r, 1500));
    assertEquals(activeBlocks(htex), 1, "minBlocks stays");
    assertEquals(peak, 3);
    log.flush();
    const text = Deno.readTextFileSync(`${dir}/scaling.log`);
    assert(/Scaling out executor htex/.test(text), text);
    assert(/Scaling in executor htex: blocks/.test(text), text);
    assert(/Block history: executor htex block 0 is RUNNING/.test(text), text);
    assert(!/Scaling round .* failed/.test(text), text);
  } finally {
    clearInterval(sampler);
    await scaling?.stop();
    await htex.shutdown();
    await log.close();
    await host.logger.close();
    await waitFor(
      async () => (await processesMatching(dir)).length === 0,
      10,
      "block processes to exit",
    );
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a block starts one pool per node, with maxWorkersPerNode workers (as Parsl)", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "tsflow-block-shape-" });
  const host = makeHost(dir);
  const provider = new LocalProvider({ initBlocks: 1, minBlocks: 0, maxBlocks: 1 });
  provider.scriptDir = `${dir}/submit_scripts`;
  const htex = new HighThroughputExecutor({
    maxWorkersPerNode: 2,
    heartbeatPeriod: 1,
    heartbeatThreshold: 10,
    provider,
  });
  try {
    await htex.start(host);
    assertEquals(await htex.submit(task("add", [1, 2])), 3);
    // A second pool would register within a heartbeat of the first; give it time to show up.
    await new Promise((r) => setTimeout(r, 1500));
    const pools = htex.managers();
    assertEquals(pools.map((m) => [m.blockId, m.workerCount]), [["0", 2]]);
  } finally {
    await htex.shutdown();
    await host.logger.close();
    assertEquals(await processesMatching(dir), [], "processes left behind");
    Deno.removeSync(dir, { recursive: true });
  }
});
