// Monitoring with the HighThroughputExecutor on a LocalProvider block: node, block, try placement
// and resource rows from real worker pools.
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals } from "../_assert.ts";
import { load } from "../../dfk/load.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { MonitoringHub } from "../../monitoring/monitoring_hub.ts";
import { LocalProvider } from "../../providers/local_provider.ts";
import { add, boom, inc, spin } from "./fixtures/apps.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

type Row = Record<string, unknown>;

Deno.test("an HTEX run records blocks, nodes, where each try ran, and resource samples", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-mon-" });
  const dbPath = `${dir}/monitoring.db`;
  let runId = "";
  try {
    const htex = new HighThroughputExecutor({
      label: "htex",
      heartbeatPeriod: 0.5,
      heartbeatThreshold: 3,
      maxWorkersPerNode: 2,
      // Set here too until the HTEX falls back to ExecutorHost.resourceMonitoringInterval.
      resourceMonitoringInterval: 0.2,
      provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
    });
    {
      await using dfk = await load({
        executors: [htex],
        runDir: `${dir}/runinfo`,
        monitoring: new MonitoringHub({ dbPath, resourceMonitoringInterval: 0.2 }),
      });
      runId = dfk.runId;
      const a = inc(1);
      assertEquals(await add(inc(a), inc(a)), 6);
      assertEquals(await spin(1500), true); // long enough for several samples
      await Promise.allSettled([inc(boom("x"))]);
    }
    await waitFor(async () => (await processesMatching(dir)).length === 0, 15, "blocks to stop");

    const db = new DatabaseSync(dbPath, { readOnly: true });
    try {
      const rows = (sql: string, ...p: (string | number)[]) => db.prepare(sql).all(...p) as Row[];
      const blocks = rows("SELECT * FROM block WHERE run_id = ? ORDER BY timestamp, rowid", runId);
      assert(blocks.length >= 1, "block rows");
      assert(
        blocks.every((b) => b.executor_label === "htex" && b.block_id === "0"),
        JSON.stringify(blocks),
      );
      const nodes = rows("SELECT * FROM node WHERE run_id = ? ORDER BY id", runId);
      assert(nodes.length >= 1, "node rows");
      assertEquals(nodes[0].hostname, Deno.hostname());
      assertEquals(nodes[0].block_id, "0");
      assertEquals(nodes[0].worker_count, 2);
      assertEquals(nodes[0].active, 1);

      const ran = rows(
        'SELECT * FROM "try" WHERE run_id = ? AND task_try_time_running IS NOT NULL',
        runId,
      );
      assert(ran.length >= 5, `tries that ran: ${ran.length}`);
      for (const t of ran) {
        assertEquals(t.task_executor, "htex");
        assertEquals(t.block_id, "0");
        assertEquals(t.hostname, Deno.hostname());
      }
      const spinId = rows(
        "SELECT task_id FROM task WHERE run_id = ? AND task_func_name = 'spin'",
        runId,
      )[0].task_id as number;
      const states = rows(
        "SELECT task_status_name AS s FROM status WHERE run_id = ? AND task_id = ? ORDER BY timestamp, rowid",
        runId,
        spinId,
      ).map((r) => r.s);
      assertEquals(states.filter((s) => s !== "unsched"), [
        "pending",
        "launched",
        "running",
        "running_ended",
        "exec_done",
      ]);
      const res = rows(
        "SELECT * FROM resource WHERE run_id = ? AND task_id = ? ORDER BY timestamp",
        runId,
        spinId,
      );
      assert(res.length >= 2, `resource samples: ${res.length}`);
      assert(
        res.some((r) => (r.psutil_process_time_user as number) > 0),
        JSON.stringify(res.at(-1)),
      );
      assert(res.every((r) => (r.psutil_process_memory_resident as number) > 0));
      assertEquals(res[0].resource_monitoring_interval, 0.2);
      const dep = rows(
        "SELECT task_status_name AS s FROM task WHERE run_id = ? AND task_status_name IN ('failed', 'dep_fail') ORDER BY task_id",
        runId,
      );
      assertEquals(dep.map((r) => r.s), ["failed", "dep_fail"]);
    } finally {
      db.close();
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
