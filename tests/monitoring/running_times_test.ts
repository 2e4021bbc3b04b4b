// `running` and `running_ended` are the worker's start and end of each try (its clock, in
// microseconds), so a run never shows more tries running than there are workers.
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals } from "../_assert.ts";
import { type Executor, load, MonitoringHub, ThreadPoolExecutor } from "../../mod.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { LocalProvider } from "../../providers/local_provider.ts";
import { spin } from "./fixtures/apps.ts";
import { maxConcurrent, runningIntervals } from "./_running.ts";
import { MonitoringReader } from "../../monitoring/visualize_queries.ts";
import { buildLanes, runningSeries, type TimelineColumns } from "../../monitoring/page/timeline.ts";

const WORKERS = 2;

async function check(executor: Executor) {
  const dir = Deno.makeTempDirSync({ prefix: "tsflow-running-" });
  const dbPath = `${dir}/monitoring.db`;
  let runId = "";
  {
    await using dfk = await load({
      executors: [executor],
      runDir: `${dir}/runinfo`,
      monitoring: new MonitoringHub({ dbPath }),
    });
    runId = dfk.runId;
    // Many short tries at once: a thread pool batches them, an HTEX pool prefetches them.
    const fs = Array.from({ length: 40 }, () => spin(3));
    assert((await Promise.all(fs)).every((x) => x === true));
  }
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const iv = runningIntervals(db, runId);
    assertEquals(iv.length, 40);
    assert(iv.every(([a, b]) => b > a), "each try ends after it starts");
    const most = maxConcurrent(iv);
    assert(most <= WORKERS, `${most} tries running at once on ${WORKERS} workers`);
    // Worker clocks: a try ends before the kernel hears of it, not at the final state's time.
    const ended = db.prepare(
      `SELECT COUNT(*) AS n FROM status e JOIN status d
         ON e.task_id = d.task_id AND e.run_id = d.run_id AND e.try_id = d.try_id
       WHERE e.run_id = ? AND e.task_status_name = 'running_ended'
         AND d.task_status_name = 'exec_done' AND e.timestamp >= d.timestamp`,
    ).get(runId)!.n;
    assertEquals(ended, 0);
    // Microseconds are stored: not every time is a whole millisecond.
    const stamps = db.prepare("SELECT timestamp FROM status WHERE run_id = ?").all(runId)
      .map((r) => String(r.timestamp));
    assert(stamps.every((t) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/.test(t)), stamps[0]);
    assert(stamps.some((t) => !t.endsWith("000")), "microsecond digits");
    // The try row's running time is the status row's.
    const mismatched = db.prepare(
      `SELECT COUNT(*) AS n FROM try JOIN status USING (run_id, task_id, try_id)
       WHERE run_id = ? AND task_status_name = 'running' AND task_try_time_running != timestamp`,
    ).get(runId)!.n;
    assertEquals(mismatched, 0);
  } finally {
    db.close();
  }
  // The visualize page's "Tasks running" chart, drawn from the server's own timeline answer,
  // never shows more tasks running than there are workers either.
  const reader = new MonitoringReader(dbPath);
  try {
    const w = reader.workflow(runId)!;
    const tl = reader.timeline(runId) as unknown as TimelineColumns;
    const [, ys] = runningSeries(buildLanes(tl), w.began as number, w.completed as number);
    const drawn = Math.max(...ys);
    assert(drawn >= 1 && drawn <= WORKERS, `page draws ${drawn} running on ${WORKERS} workers`);
  } finally {
    reader.close();
  }
}

Deno.test("thread pool: tries run no more at once than threads, with the worker's times", async () => {
  await check(new ThreadPoolExecutor({ label: "threads", maxThreads: WORKERS }));
});

Deno.test("HTEX: tries run no more at once than workers, with the worker's times", async () => {
  await check(
    new HighThroughputExecutor({
      label: "htex",
      maxWorkersPerNode: WORKERS,
      provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
    }),
  );
});
