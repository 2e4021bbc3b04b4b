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
      // Parsl's test_htex_init_blocks_vs_monitoring and test_basic queries.
      const one = (sql: string) => Object.values(rows(sql, runId)[0])[0];
      assertEquals(one("SELECT COUNT(DISTINCT block_id) FROM block WHERE run_id = ?"), 1);
      assertEquals(
        one("SELECT COUNT(*) FROM block WHERE block_id = 0 AND status = 'PENDING' AND run_id = ?"),
        1,
      );
      assertEquals(
        one(
          "SELECT COUNT(*) FROM block WHERE block_id = 0 AND status = 'SCALED_IN' AND run_id = ?",
        ),
        1,
      );
      assert((one("SELECT COUNT(*) FROM block WHERE run_id = ?") as number) >= 2);
      assertEquals(blocks.at(-1)!.status, "SCALED_IN");
      // A pool: a row when it registered, an `active = 0` row when the run ended.
      const nodes = rows("SELECT * FROM node WHERE run_id = ? ORDER BY id", runId);
      assertEquals(nodes.length, 2, JSON.stringify(nodes));
      for (const n of nodes) {
        assertEquals(n.hostname, Deno.hostname());
        assertEquals(n.block_id, "0");
        assertEquals(n.worker_count, 2);
        assertEquals(n.uid, nodes[0].uid);
      }
      assertEquals(nodes.map((n) => n.active), [1, 0]);
      assertEquals(nodes[1].reason, "run ended");
      // Microseconds, as Parsl's datetime.now() (not whole milliseconds padded with zeros).
      const stamps = [...blocks, ...nodes].map((r) => String(r.timestamp));
      assert(stamps.some((t) => !t.endsWith("000")), JSON.stringify(stamps));

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
      // Every try that ran, however short, has at least its worker's final sample (Parsl's
      // monitor wrapper), in psutil's words, with every Parsl resource column filled.
      const perTry = rows(
        `SELECT try.task_id, try.try_id, COUNT(resource.timestamp) AS n FROM try
         LEFT JOIN resource USING (run_id, task_id, try_id)
         WHERE try.run_id = ? AND try.task_try_time_running IS NOT NULL
         GROUP BY try.task_id, try.try_id`,
        runId,
      );
      assert(
        perTry.length >= 5 && perTry.every((r) => (r.n as number) >= 1),
        JSON.stringify(perTry),
      );
      const all = rows("SELECT * FROM resource WHERE run_id = ?", runId);
      const words = ["running", "sleeping", "disk-sleep", "idle"];
      for (const r of all) {
        assert(words.includes(r.psutil_process_status as string), String(r.psutil_process_status));
        assert(/^\d+$/.test(String(r.psutil_cpu_num)), String(r.psutil_cpu_num));
        assert((r.psutil_process_num_ctx_switches_voluntary as number) >= 0);
        assert((r.psutil_process_num_ctx_switches_involuntary as number) >= 0);
        assert((r.psutil_process_disk_read as number) > 0, "a Deno worker reads its modules");
        assertEquals(r.tsflow_resource_host, Deno.hostname());
      }
      const dep = rows(
        "SELECT tsflow_task_state AS s FROM task WHERE run_id = ? AND tsflow_task_state IN ('failed', 'dep_fail') ORDER BY task_id",
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
