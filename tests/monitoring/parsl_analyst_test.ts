// The database as a Parsl analyst reads it: Parsl's column names per table, unqualified joins,
// NATURAL JOINs and `SELECT *` joins through Python's sqlite3, on a real tsflow run.
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals } from "../_assert.ts";
import { ensureSchema, TABLES } from "../../monitoring/schema.ts";
import { PARSL_COLUMNS, PYTHON, runPython } from "./_parsl_columns.ts";
import { runMixedWorkflow } from "./_workflows.ts";

const shared = (a: Iterable<string>, b: Iterable<string>) => {
  const bs = new Set(b);
  return [...a].filter((x) => bs.has(x)).sort();
};

Deno.test("every Parsl column exists, and two tables share exactly the columns they share in Parsl", () => {
  const db = new DatabaseSync(":memory:");
  ensureSchema(db);
  const ours: Record<string, string[]> = {};
  for (const t of TABLES) {
    ours[t.name] = (db.prepare(`PRAGMA table_info("${t.name}")`).all() as { name: string }[])
      .map((r) => r.name);
  }
  for (const [table, cols] of Object.entries(PARSL_COLUMNS)) {
    for (const c of cols) assert(ours[table].includes(c), `${table}.${c} missing`);
  }
  const names = Object.keys(PARSL_COLUMNS);
  for (const a of names) {
    for (const b of names) {
      if (a >= b) continue;
      assertEquals(
        shared(ours[a], ours[b]),
        shared(PARSL_COLUMNS[a], PARSL_COLUMNS[b]),
        `columns shared by ${a} and ${b}`,
      );
    }
  }
  db.close();
});

const ANALYST = `
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
out = {}
q = lambda sql: con.execute(sql).fetchall()
# Unqualified column names in joins (ambiguous names raise sqlite3.OperationalError).
out["status_task"] = q("""SELECT task_func_name, task_status_name, timestamp FROM status
                          JOIN task ON status.task_id = task.task_id AND status.run_id = task.run_id""")
out["task_try"] = q("""SELECT task_func_name, task_executor, hostname, task_joins, task_fail_history
                       FROM task JOIN try ON task.task_id = try.task_id AND task.run_id = try.run_id""")
out["try_resource"] = q("""SELECT hostname, psutil_process_time_user FROM try
                           JOIN resource ON try.task_id = resource.task_id AND try.try_id = resource.try_id
                           AND try.run_id = resource.run_id""")
out["node_block"] = q("""SELECT hostname, executor_label, status FROM node
                         JOIN block ON node.block_id = block.block_id AND node.run_id = block.run_id""")
# NATURAL JOINs match on the shared names only: every status row finds its task, every try too.
n = lambda sql: con.execute(sql).fetchone()[0]
out["counts"] = {
  "status": n("SELECT COUNT(*) FROM status"),
  "status_natural_task": n("SELECT COUNT(*) FROM status NATURAL JOIN task"),
  "try": n("SELECT COUNT(*) FROM try"),
  "try_natural_task": n("SELECT COUNT(*) FROM try NATURAL JOIN task"),
  "workflow_natural_task": n("SELECT COUNT(*) FROM workflow NATURAL JOIN task"),
  "task": n("SELECT COUNT(*) FROM task"),
}
# SELECT * joins, as pandas' read_sql gets them: no column name twice.
# Parsl's own tables share 'timestamp' between node and block; nothing else may repeat.
dups = {}
for sql, parsl in [("SELECT * FROM status JOIN task USING (task_id, run_id)", []),
            ("SELECT * FROM task JOIN try USING (task_id, run_id)", []),
            ("SELECT * FROM try JOIN resource USING (try_id, task_id, run_id)", []),
            ("SELECT * FROM node JOIN block USING (block_id, run_id)", ["timestamp"]),
            ("SELECT * FROM workflow JOIN node USING (run_id)", []),
            ("SELECT * FROM workflow JOIN task USING (run_id)", [])]:
  names = [d[0] for d in con.execute(sql).description]
  dups[sql] = sorted({x for x in names if names.count(x) > 1 and x not in parsl})
out["dups"] = dups
print(json.dumps(out, default=str))
`;

Deno.test({
  name: "a Parsl analyst's unqualified, NATURAL and SELECT * joins work on a real run's database",
  ignore: !PYTHON,
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "tsflow-analyst-" });
    const dbPath = `${dir}/monitoring.db`;
    await runMixedWorkflow(dir, dbPath);
    const out = await runPython(ANALYST, dbPath);
    const counts = out.counts as Record<string, number>;
    assert((out.status_task as unknown[]).length === counts.status, JSON.stringify(counts));
    assertEquals(counts.status_natural_task, counts.status);
    assertEquals(counts.try_natural_task, counts.try);
    assertEquals(counts.workflow_natural_task, counts.task);
    assert((out.task_try as unknown[]).length === counts.try);
    for (const [sql, d] of Object.entries(out.dups as Record<string, string[]>)) {
      assertEquals(d, [], sql);
    }
  },
});
