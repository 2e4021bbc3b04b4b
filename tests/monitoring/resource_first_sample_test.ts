// Resource rows of HTEX tasks with Parsl's default interval (30 s, so no periodic sample falls
// inside these tasks): every task has its worker's final sample, and a task still running when
// the pool reports it running also has a first sample from the pool, taken from outside while
// the task runs, as Parsl's forked monitor's first sample.
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals } from "../_assert.ts";
import { load } from "../../dfk/load.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { MonitoringHub } from "../../monitoring/monitoring_hub.ts";
import { LocalProvider } from "../../providers/local_provider.ts";
import { inc, spin } from "./fixtures/apps.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

Deno.test("a long task has a first sample while it runs and a final one; every task has one", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-first-sample-" });
  const dbPath = `${dir}/monitoring.db`;
  let runId = "";
  try {
    {
      await using dfk = await load({
        executors: [
          new HighThroughputExecutor({
            label: "htex",
            maxWorkersPerNode: 1,
            provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
          }),
        ],
        runDir: `${dir}/runinfo`,
        monitoring: new MonitoringHub({ dbPath }),
      });
      runId = dfk.runId;
      assertEquals(await Promise.all([inc(1), inc(2), inc(3)]), [2, 3, 4]);
      // A CPU-bound (synchronous) task: the worker cannot sample itself while it runs.
      assertEquals(await spin(1500), true);
    }
    await waitFor(async () => (await processesMatching(dir)).length === 0, 15, "blocks to stop");
    const db = new DatabaseSync(dbPath, { readOnly: true });
    try {
      const rows = (sql: string, ...p: (string | number)[]) =>
        db.prepare(sql).all(...p) as Record<string, unknown>[];
      const perTask = rows(
        `SELECT task_id, task_func_name, COUNT(resource.timestamp) AS n FROM task
         LEFT JOIN resource USING (run_id, task_id) WHERE task.run_id = ? GROUP BY task_id`,
        runId,
      );
      assertEquals(perTask.length, 4);
      assert(perTask.every((r) => (r.n as number) >= 1), JSON.stringify(perTask));
      const spinId = perTask.find((r) => r.task_func_name === "spin")!.task_id as number;
      const [tr] = rows(
        `SELECT julianday(task_try_time_running) AS b, julianday(task_try_time_returned) AS e
         FROM try WHERE run_id = ? AND task_id = ?`,
        runId,
        spinId,
      );
      const res = rows(
        `SELECT julianday(timestamp) AS t, psutil_process_time_user AS u FROM resource
         WHERE run_id = ? AND task_id = ? ORDER BY timestamp`,
        runId,
        spinId,
      );
      assertEquals(res.length, 2, JSON.stringify(res));
      const [first, last] = res.map((r) => r.t as number);
      // The first sample while the task ran (at its running report), the last at its end: in
      // that order, after the start, with the worker's CPU burnt between them. (Order only: the
      // host's clocks agree, but how soon the pool gets to sample depends on the machine's load.)
      const ms = 1 / 86_400_000;
      assert(
        first >= (tr.b as number) - ms && first < last && last <= (tr.e as number) + ms,
        "order",
      );
      assert((res[1].u as number) > (res[0].u as number), JSON.stringify(res));
    } finally {
      db.close();
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
