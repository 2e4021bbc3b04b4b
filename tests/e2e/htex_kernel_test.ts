// The HighThroughputExecutor under the real kernel: load({ executors: [htex] }), blocks from a
// LocalProvider, dependencies, bash apps, retries after a lost worker or a lost pool.
import { assert, assertEquals } from "../_assert.ts";
import { load } from "../../dfk/load.ts";
import type { MonitoringEvent } from "../../dfk/monitoring_event.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { LocalProvider } from "../../providers/local_provider.ts";
import { add, dieOnce, hello, noop, slowOnce, twice } from "../fixtures/htex_flow.ts";
import { manualPools, reap, startPool } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

const FAST = { heartbeatPeriod: 0.5, heartbeatThreshold: 3, maxWorkersPerNode: 2 };

Deno.test("load() with an HTEX on a LocalProvider block runs the seed workflow", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-kernel-" });
  try {
    const htex = new HighThroughputExecutor({
      ...FAST,
      provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
    });
    {
      await using _dfk = await load({ executors: [htex], runDir: `${dir}/runinfo` });
      assertEquals(await twice(add(5, 3)), 16);
      assertEquals(await hello.with({})("world", `${dir}/hello.out`), 0);
      assertEquals(Deno.readTextFileSync(`${dir}/hello.out`), "hello world\n");
      const many = await Promise.all(Array.from({ length: 500 }, (_, i) => add(i, i)));
      assertEquals(many[499], 998);
      assertEquals(htex.blocks().size, 1);
    }
    await waitFor(async () => (await processesMatching(dir)).length === 0, 15, "blocks to stop");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("an HTEX given no provider gets a LocalProvider block and runs tasks (Parsl's default)", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-kernel-" });
  try {
    const htex = new HighThroughputExecutor();
    assertEquals(htex.provider.label, "local");
    {
      await using _dfk = await load({ executors: [htex], runDir: `${dir}/runinfo` });
      assertEquals(await twice(add(2, 3)), 10);
      assertEquals(htex.blocks().size, 1, "one block, LocalProvider's initBlocks");
    }
    await waitFor(async () => (await processesMatching(dir)).length === 0, 15, "blocks to stop");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a worker killed mid-task is retried by the kernel and the task succeeds", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-kernel-" });
  try {
    const htex = new HighThroughputExecutor({
      ...FAST,
      provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
    });
    {
      await using _dfk = await load({ executors: [htex], runDir: `${dir}/runinfo`, retries: 1 });
      assertEquals(await dieOnce(`${dir}/marker`), "survived");
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a pool killed mid-task fails it with ManagerLost; the kernel's retry runs on a second pool", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-kernel-" });
  const pools: Deno.ChildProcess[] = [];
  try {
    const htex = new HighThroughputExecutor({ provider: manualPools(), ...FAST });
    const events: MonitoringEvent[] = [];
    const monitoring = {
      start() {},
      record: (e: MonitoringEvent) => void events.push(e),
      close: () => Promise.resolve(),
    };
    {
      await using _dfk = await load({
        executors: [htex],
        runDir: `${dir}/runinfo`,
        retries: 1,
        monitoring,
      });
      pools.push(startPool(htex, "A"));
      await noop();
      const f = slowOnce(`${dir}/marker`);
      await waitFor(
        () => {
          try {
            return Deno.readTextFileSync(`${dir}/marker`).length > 0;
          } catch {
            return false;
          }
        },
        20,
        "the first try to start",
      );
      pools.push(startPool(htex, "B"));
      await waitFor(() => htex.managers().length === 2, 20, "second pool");
      pools[0].kill("SIGKILL");
      assertEquals(await f, "retried");
      const history = events.flatMap((e) =>
        e.type === "task" && e.taskId === f.taskId ? e.failHistory : []
      );
      assert(history.some((h) => h.includes("ManagerLost")), `fail history: ${history}`);
      assert(htex.managers().every((m) => m.blockId === "B"));
    }
  } finally {
    for (const p of pools) await reap(p);
    assertEquals(await processesMatching(dir), []);
    Deno.removeSync(dir, { recursive: true });
  }
});
