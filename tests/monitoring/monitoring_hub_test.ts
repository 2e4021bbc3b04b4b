import assert, { deepStrictEqual as assertEquals } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { MonitoringHub } from "../../monitoring/monitoring_hub.ts";
import { happyTask, taskEv, wfStart } from "./_events.ts";
import { waitFor } from "../_wait.ts";

type Row = Record<string, unknown>;
/** Rows in `table` now, read through a connection of its own (0 before the schema exists). */
function rowsIn(dbPath: string, table: string): number {
  try {
    const db = new DatabaseSync(dbPath, { readOnly: true });
    try {
      return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

const all = (db: DatabaseSync, sql: string, ...p: (string | number)[]) =>
  db.prepare(sql).all(...p) as Row[];

for (const writerThread of [true, false]) {
  Deno.test(`MonitoringHub writes every table from fed events (writerThread=${writerThread})`, async () => {
    const dir = Deno.makeTempDirSync();
    const dbPath = `${dir}/m.db`;
    const hub = new MonitoringHub({ dbPath, writerThread, resourceMonitoringInterval: 2 });
    await hub.start(dir);
    assertEquals(hub.writer, writerThread ? "thread" : "inline");
    const t0 = new Date(2026, 0, 1, 12, 0, 0).getTime(); // local time, as stored
    hub.record(wfStart("run-a", t0));
    for (const e of happyTask("run-a", 0, t0)) hub.record(e);
    // Task 1 fails once, is retried, then succeeds.
    hub.record(taskEv("run-a", 1, "pending", t0 + 10));
    hub.record(taskEv("run-a", 1, "launched", t0 + 11));
    hub.record(
      taskEv("run-a", 1, "fail_retryable", t0 + 12, {
        failCount: 1,
        failCost: 1,
        failHistory: ["Error: boom"],
      }),
    );
    hub.record(
      taskEv("run-a", 1, "pending", t0 + 12, {
        tryId: 1,
        failCount: 1,
        failCost: 1,
        failHistory: ["Error: boom"],
      }),
    );
    hub.record(
      taskEv("run-a", 1, "launched", t0 + 12, {
        tryId: 1,
        failCount: 1,
        failCost: 1,
        failHistory: ["Error: boom"],
      }),
    );
    hub.record(
      taskEv("run-a", 1, "exec_done", t0 + 14, {
        tryId: 1,
        failCount: 1,
        failCost: 1,
        failHistory: ["Error: boom"],
        timeReturned: t0 + 14,
        dependsOn: [0],
      }),
    );
    hub.record({
      type: "resource",
      runId: "run-a",
      taskId: 0,
      tryId: 0,
      time: t0 + 3,
      pid: 42,
      hostname: "host1",
      cpuPercent: 50,
      cpuUser: 1.5,
      cpuSystem: 0.25,
      memoryRss: 1e6,
      memoryVms: 2e6,
      readBytes: 10,
      writeBytes: 20,
      memoryPercent: 0.1,
      childrenCount: 1,
      processStatus: "R",
    });
    hub.record({
      type: "node",
      runId: "run-a",
      executor: "htex",
      managerId: "m1",
      hostname: "host1",
      blockId: "0",
      workerCount: 2,
      cpuCount: 2,
      totalMemory: 8e9,
      active: true,
      time: t0 + 1,
      denoVersion: "2.9.6",
    });
    hub.record({
      type: "block",
      runId: "run-a",
      executor: "htex",
      blockId: "0",
      jobId: "123",
      status: "RUNNING",
      time: t0,
    });
    hub.record({
      type: "workflow_end",
      runId: "run-a",
      timeCompleted: t0 + 20,
      tasksCompletedCount: 2,
      tasksFailedCount: 0,
    });
    await hub.close();

    const db = new DatabaseSync(dbPath, { readOnly: true });
    try {
      const wf = all(db, "SELECT * FROM workflow");
      assertEquals(wf.length, 1);
      assertEquals(wf[0].run_id, "run-a");
      assertEquals(wf[0].time_began, "2026-01-01 12:00:00.000000");
      assertEquals(wf[0].time_completed, "2026-01-01 12:00:00.020000");
      assertEquals(wf[0].tasks_completed_count, 2);
      assertEquals(wf[0].deno_version, Deno.version.deno);

      const states = (id: number) =>
        all(
          db,
          "SELECT task_status_name AS s FROM status WHERE task_id = ? ORDER BY timestamp, rowid",
          id,
        )
          .map((r) => r.s);
      assertEquals(states(0), [
        "unsched",
        "pending",
        "launched",
        "running",
        "running_ended",
        "exec_done",
      ]);
      assertEquals(states(1), [
        "pending",
        "launched",
        "fail_retryable",
        "pending",
        "launched",
        "exec_done",
      ]);

      const tasks = all(db, "SELECT * FROM task ORDER BY task_id");
      assertEquals(tasks.map((r) => r.tsflow_task_state), ["exec_done", "exec_done"]);
      assertEquals(tasks[1].task_fail_count, 1);
      assertEquals(tasks[1].task_depends, "0");
      assertEquals(tasks[0].task_time_returned, "2026-01-01 12:00:00.005000");

      const tries = all(db, 'SELECT * FROM "try" ORDER BY task_id, try_id');
      assertEquals(tries.map((r) => [r.task_id, r.try_id]), [[0, 0], [1, 0], [1, 1]]);
      assertEquals(tries[0].hostname, "host1");
      assertEquals(tries[0].block_id, "0");
      assertEquals(tries[0].task_try_time_running, "2026-01-01 12:00:00.003000");
      assertEquals(tries[1].task_try_time_returned, "2026-01-01 12:00:00.012000");
      // Parsl: the failed try holds its error, the next one none.
      assertEquals([tries[1].task_fail_history, tries[2].task_fail_history], ["Error: boom", ""]);

      const res = all(db, "SELECT * FROM resource");
      assertEquals(res.length, 1);
      assertEquals(res[0].psutil_process_memory_resident, 1e6);
      assertEquals(res[0].resource_monitoring_interval, 2);
      const nodes = all(db, "SELECT * FROM node");
      assertEquals(nodes[0].python_v, "2.9.6");
      assertEquals(nodes[0].active, 1);
      assertEquals(all(db, "SELECT status FROM block")[0].status, "RUNNING");
    } finally {
      db.close();
    }
  });
}

Deno.test("MonitoringHub keeps a final state when a worker's running_ended arrives after it", async () => {
  const dir = Deno.makeTempDirSync();
  const hub = new MonitoringHub({ dbPath: `${dir}/m.db` });
  await hub.start(dir);
  const t0 = Date.now();
  hub.record(wfStart("r", t0));
  hub.record(taskEv("r", 0, "launched", t0));
  hub.record(taskEv("r", 0, "exec_done", t0 + 2));
  hub.record({
    type: "try_running",
    runId: "r",
    taskId: 0,
    tryId: 0,
    state: "running_ended",
    time: t0 + 3,
    executor: "x",
  });
  await hub.close();
  const db = new DatabaseSync(`${dir}/m.db`);
  assertEquals(all(db, "SELECT tsflow_task_state FROM task")[0].tsflow_task_state, "exec_done");
  db.close();
});

Deno.test("Several runs share one database, one workflow row each", async () => {
  const dir = Deno.makeTempDirSync();
  const dbPath = `${dir}/shared.db`;
  for (const run of ["r1", "r2", "r3"]) {
    const hub = new MonitoringHub({ dbPath });
    await hub.start(dir);
    hub.record(wfStart(run));
    for (const e of happyTask(run, 0, Date.now())) hub.record(e);
    await hub.close();
  }
  const db = new DatabaseSync(dbPath);
  assertEquals(all(db, "SELECT run_id FROM workflow ORDER BY run_id").map((r) => r.run_id), [
    "r1",
    "r2",
    "r3",
  ]);
  assertEquals(all(db, "SELECT COUNT(*) AS n FROM task")[0].n, 3);
  db.close();
});

Deno.test("A reader holding a lock delays the writer but loses no rows", async () => {
  const dir = Deno.makeTempDirSync();
  const dbPath = `${dir}/m.db`;
  const hub = new MonitoringHub({ dbPath, flushIntervalMs: 20 });
  await hub.start(dir);
  hub.record(wfStart("r"));
  await waitFor(() => rowsIn(dbPath, "workflow") === 1, 20, "the schema and first batch");
  // Another connection takes the write lock (what a careless tool does) with a tiny busy timeout.
  const other = new DatabaseSync(dbPath);
  other.exec("PRAGMA busy_timeout = 0");
  other.exec("BEGIN IMMEDIATE");
  const reader = new DatabaseSync(dbPath, { readOnly: true });
  const t0 = Date.now();
  for (let i = 0; i < 500; i++) for (const e of happyTask("r", i, t0)) hub.record(e);
  // Readers see a consistent snapshot while the writer waits.
  assert((reader.prepare("SELECT COUNT(*) AS n FROM task").get() as Row).n === 0);
  // The writer waits out its busy timeout, then says so in its log: that is the event to await.
  await waitFor(
    () => Deno.readTextFileSync(`${dir}/monitoring.log`).includes("Database locked"),
    60,
    "the writer to report the locked database",
  );
  other.exec("COMMIT");
  other.close();
  await hub.close();
  assertEquals((reader.prepare("SELECT COUNT(*) AS n FROM task").get() as Row).n, 500);
  assertEquals((reader.prepare("SELECT COUNT(*) AS n FROM status").get() as Row).n, 3000);
  reader.close();
  const log = Deno.readTextFileSync(`${dir}/monitoring.log`);
  assert(log.includes("Database locked"), log);
});

Deno.test("A disabled hub writes nothing and asks for no sampling", async () => {
  const dir = Deno.makeTempDirSync();
  const hub = new MonitoringHub({ dbPath: `${dir}/m.db`, enabled: false });
  await hub.start(dir);
  hub.record(wfStart("r"));
  await hub.close();
  assertEquals(hub.resourceMonitoringInterval, undefined);
  assert(!(await Deno.stat(`${dir}/m.db`).then(() => true, () => false)));
});

Deno.test("A task row takes the latest event's fields even across flushes", async () => {
  const dir = Deno.makeTempDirSync();
  const hub = new MonitoringHub({ dbPath: `${dir}/m.db`, flushIntervalMs: 10 });
  await hub.start(dir);
  const t0 = Date.now();
  hub.record(wfStart("r", t0));
  // The kernel may name an app only once its module export is found (after the first events).
  hub.record(taskEv("r", 0, "pending", t0, { appName: "anonymous" }));
  await waitFor(() => rowsIn(`${dir}/m.db`, "status") === 1, 20, "the first flush");
  hub.record(taskEv("r", 0, "launched", t0 + 1, { appName: "inc" }));
  hub.record(taskEv("r", 0, "exec_done", t0 + 2, { appName: "inc", timeReturned: t0 + 2 }));
  await hub.close();
  const db = new DatabaseSync(`${dir}/m.db`);
  const row = db.prepare("SELECT task_func_name AS n, tsflow_task_state AS s FROM task").get();
  assertEquals([row?.n, row?.s], ["inc", "exec_done"]);
  assertEquals(all(db, "SELECT COUNT(*) AS n FROM status")[0].n, 3);
  db.close();
});

for (const writerThread of [true, false]) {
  Deno.test(`an unfinished task's row appears within a second or two while the run is quiet (writerThread=${writerThread})`, async () => {
    const dir = Deno.makeTempDirSync();
    const dbPath = `${dir}/m.db`;
    const hub = new MonitoringHub({ dbPath, writerThread, flushIntervalMs: 50 });
    await hub.start(dir);
    const t0 = Date.now();
    hub.record(wfStart("run-q", t0));
    hub.record(taskEv("run-q", 0, "pending", t0));
    hub.record(taskEv("run-q", 0, "launched", t0 + 1));
    // Another task finishes at once: written with the first batch, not held.
    for (const e of happyTask("run-q", 1, t0)) hub.record(e);
    const reader = new DatabaseSync(dbPath, { readOnly: false });
    try {
      const taskRows = () =>
        all(
          reader,
          "SELECT task_id, tsflow_task_state AS task_status_name FROM task WHERE run_id = ? ORDER BY task_id",
          "run-q",
        ).map((r) => ({ ...r }));
      // Status rows are never held back.
      let rows: Row[] = [];
      for (let i = 0; i < 100 && rows.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 20));
        rows = all(reader, "SELECT DISTINCT task_id FROM status WHERE run_id = ?", "run-q");
      }
      assertEquals(rows.length, 2, "status rows of both tasks written at the first flush");
      assertEquals(taskRows(), [{ task_id: 1, task_status_name: "exec_done" }]);
      // No more events: the held row of task 0 is written after the hold expires.
      for (let i = 0; i < 150 && taskRows().length < 2; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assertEquals(taskRows(), [
        { task_id: 0, task_status_name: "launched" },
        { task_id: 1, task_status_name: "exec_done" },
      ]);
      const tries = all(
        reader,
        "SELECT task_id, task_try_time_launched IS NOT NULL AS l FROM try WHERE run_id = ? ORDER BY task_id",
        "run-q",
      ).map((r) => ({ ...r }));
      assertEquals(tries, [{ task_id: 0, l: 1 }, { task_id: 1, l: 1 }]);
    } finally {
      reader.close();
      await hub.close();
      Deno.removeSync(dir, { recursive: true });
    }
  });
}
