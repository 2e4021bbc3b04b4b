import assert, { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  createStatements,
  dbTime,
  ensureSchema,
  SCHEMA_VERSION,
  schemaVersionOf,
  TABLES,
} from "../../monitoring/schema.ts";
import { MonitoringHub } from "../../monitoring/monitoring_hub.ts";
import { happyTask, wfStart } from "./_events.ts";

const cols = (db: DatabaseSync, t: string) =>
  (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((r) => r.name);

Deno.test("The schema has Parsl's seven tables with Parsl's columns", () => {
  const db = new DatabaseSync(":memory:");
  ensureSchema(db);
  for (const name of ["workflow", "task", "try", "status", "resource", "block", "node"]) {
    assert(cols(db, name).length > 0, name);
  }
  const task = cols(db, "task");
  for (
    const c of [
      "task_id",
      "run_id",
      "task_depends",
      "task_func_name",
      "task_memoize",
      "task_hashsum",
      "task_inputs",
      "task_outputs",
      "task_stdin",
      "task_stdout",
      "task_stderr",
      "task_time_invoked",
      "task_time_returned",
      "task_fail_count",
      "task_fail_cost",
    ]
  ) assert(task.includes(c), c);
  assertEquals(schemaVersionOf(db), SCHEMA_VERSION);
});

Deno.test("A version-1 database is migrated in place and keeps its rows", async () => {
  const dir = Deno.makeTempDirSync();
  const dbPath = `${dir}/old.db`;
  const old = new DatabaseSync(dbPath);
  for (const sql of createStatements(1)) old.exec(sql);
  old.prepare(
    `INSERT INTO workflow (run_id, workflow_name, time_began, host, "user", rundir, tasks_failed_count, tasks_completed_count) VALUES ('old-run', 'w', ?, 'h', 'u', '/r', 0, 1)`,
  ).run(dbTime(0));
  assertEquals(schemaVersionOf(old), 1);
  assert(!cols(old, "workflow").includes("deno_version"));
  old.close();

  const hub = new MonitoringHub({ dbPath });
  await hub.start(dir);
  hub.record(wfStart("new-run"));
  for (const e of happyTask("new-run", 0, Date.now())) hub.record(e);
  await hub.close();

  const db = new DatabaseSync(dbPath);
  assertEquals(schemaVersionOf(db), SCHEMA_VERSION);
  for (const t of TABLES) {
    for (const c of t.columns) assert(cols(db, t.name).includes(c.name), `${t.name}.${c.name}`);
  }
  const runs = db.prepare("SELECT run_id, deno_version FROM workflow ORDER BY time_began").all();
  assertEquals(runs.map((r) => r.run_id), ["old-run", "new-run"]);
  assertEquals(runs[0].deno_version, null);
  const mig = db.prepare("SELECT version, from_version FROM schema_version").all();
  assertEquals(mig.map((r) => [r.version, r.from_version]), [[SCHEMA_VERSION, 1]]);
  db.close();
});

Deno.test("A database from a newer tsflow is refused with a clear error", async () => {
  const dir = Deno.makeTempDirSync();
  const dbPath = `${dir}/new.db`;
  const db = new DatabaseSync(dbPath);
  ensureSchema(db);
  db.prepare("INSERT INTO schema_version VALUES (99, '2030-01-01', 2)").run();
  throws(() => ensureSchema(db), /schema version 99/);
  db.close();
  const hub = new MonitoringHub({ dbPath });
  await hub.start(dir).then(
    () => assert.fail("start should fail"),
    (e) => assert(/schema version 99/.test(String(e)), String(e)),
  );
  await hub.close();
});

Deno.test("dbTime writes local time with microseconds, as Parsl's naive datetime.now() was stored", async () => {
  // A zone far from UTC, in a child process (a process's zone is fixed when it starts).
  const code = `import { dbTime, sqlEpochMs } from "${new URL(
    "../../monitoring/schema.ts",
    import.meta.url,
  )}";
    import { DatabaseSync } from "node:sqlite";
    const ms = Date.UTC(2026, 10, 28, 13, 5, 7, 42) + 0.123;
    const db = new DatabaseSync(":memory:");
    const back = db.prepare("SELECT " + sqlEpochMs("?") + " AS ms").get(dbTime(ms)).ms;
    console.log(JSON.stringify([dbTime(ms), back]));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    env: { TZ: "Asia/Kolkata" },
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  const [text, back] = JSON.parse(new TextDecoder().decode(out.stdout));
  assertEquals(text, "2026-11-28 18:35:07.042123");
  assertEquals(back, Date.UTC(2026, 10, 28, 13, 5, 7, 42));
});

Deno.test("A version-2 database gets its extra columns renamed in place, values kept", () => {
  const db = new DatabaseSync(":memory:");
  for (const sql of createStatements(2)) db.exec(sql);
  assert(cols(db, "task").includes("task_status_name"));
  db.prepare(
    `INSERT INTO task (task_id, run_id, task_func_name, task_memoize, task_fail_count, task_fail_cost, task_status_name, task_executor)
     VALUES (1, 'r', 'f', '0', 0, 0, 'exec_done', 'threads')`,
  ).run();
  db.exec(
    "CREATE TABLE schema_version (version INTEGER NOT NULL, applied DATETIME NOT NULL, from_version INTEGER NOT NULL)",
  );
  db.exec("INSERT INTO schema_version VALUES (2, '2026-01-01', 1)");
  assertEquals(ensureSchema(db), 2);
  assert(!cols(db, "task").includes("task_status_name"));
  assert(!cols(db, "node").includes("executor_label"));
  assert(!cols(db, "resource").includes("hostname"));
  const row = db.prepare("SELECT tsflow_task_state AS s, tsflow_task_executor AS e FROM task")
    .get();
  assertEquals([row?.s, row?.e], ["exec_done", "threads"]);
  db.close();
});

Deno.test("dbTime formats each time in full, whatever time it formatted before", () => {
  // The reference: every field from a Date of its own (no per-second reuse).
  const reference = (ms: number): string => {
    const d = new Date(Math.floor(ms));
    const p = (n: number, w = 2) => String(n).padStart(w, "0");
    const micro = Math.min(999_999, Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000));
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
      `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(micro, 6)}`;
  };
  const base = Date.UTC(2026, 10, 30, 23, 59, 59) + 0.25;
  // Same second, the next second (a new day in UTC), back again, far away, fractions at edges.
  for (
    const ms of [base, base + 500.5, base + 1000, base - 0.25, base + 999.9996, 0.001, 1e12 + 0.5]
  ) {
    assertEquals(dbTime(ms), reference(ms), String(ms));
  }
});
