// Parsl's documented queries, run by Python's own sqlite3 on a database from a real tsflow run.
import { assert, assertEquals } from "../_assert.ts";
import { runMixedWorkflow } from "./_workflows.ts";

const python = (() => {
  try {
    const out = new Deno.Command("python3", { args: ["-c", "import sqlite3"] }).outputSync();
    return out.success;
  } catch {
    return false;
  }
})();

const SCRIPT = `
import json, sqlite3, sys
from datetime import datetime
con = sqlite3.connect(sys.argv[1])
con.row_factory = sqlite3.Row
out = {}
run_id = con.execute("SELECT run_id FROM workflow").fetchone()[0]
out["tasks"] = [dict(r) for r in con.execute("SELECT * FROM task")]
# Parsl's documented example: how long each task took.
rows = con.execute("""SELECT task_id, task_func_name, task_time_invoked, task_time_returned
                      FROM task WHERE run_id = ? AND task_time_returned IS NOT NULL""", (run_id,)).fetchall()
fmt = "%Y-%m-%d %H:%M:%S.%f"
out["durations"] = {r["task_id"]: (datetime.strptime(r["task_time_returned"], fmt)
                                 - datetime.strptime(r["task_time_invoked"], fmt)).total_seconds() for r in rows}
# The visualizer's queries (parsl/monitoring/visualization/views.py).
out["per_app"] = [tuple(r) for r in con.execute(
    "SELECT task_func_name, count(*) as 'frequency' from task WHERE run_id=? group by task_func_name", (run_id,))]
out["status_rows"] = con.execute("SELECT run_id, task_id, task_status_name, timestamp FROM status WHERE run_id=?",
                                 (run_id,)).fetchall().__len__()
# Joins of task, try and status.
out["joined"] = [dict(r) for r in con.execute("""
  SELECT task.task_id, task.task_func_name, try.try_id, try.hostname, try.task_executor,
         try.task_try_time_launched, try.task_try_time_running, try.task_try_time_returned,
         status.task_status_name, status.timestamp
  FROM task
  JOIN try ON try.task_id = task.task_id AND try.run_id = task.run_id
  JOIN status ON status.task_id = try.task_id AND status.run_id = try.run_id AND status.try_id = try.try_id
  WHERE task.run_id = ? ORDER BY task.task_id, try.try_id, status.timestamp""", (run_id,))]
out["final"] = [tuple(r) for r in con.execute("""
  SELECT s.task_id, s.task_status_name FROM status s
  WHERE s.run_id = ? AND s.timestamp = (SELECT MAX(timestamp) FROM status WHERE task_id = s.task_id AND run_id = s.run_id)
  ORDER BY s.task_id""", (run_id,))]
print(json.dumps(out, default=str))
`;

Deno.test({
  name: "Python's sqlite3 runs Parsl's queries on a tsflow database",
  ignore: !python,
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "tsflow-py-" });
    const dbPath = `${dir}/monitoring.db`;
    const { ids } = await runMixedWorkflow(dir, dbPath);
    const res = await new Deno.Command("python3", { args: ["-c", SCRIPT, dbPath] }).output();
    const err = new TextDecoder().decode(res.stderr);
    assert(res.success, err);
    const out = JSON.parse(new TextDecoder().decode(res.stdout));
    assertEquals(out.tasks.length, 13);
    assert("task_time_returned" in out.tasks[0]);
    // Every task that returned has a non-negative duration parsed from the stored text times.
    const durations = Object.values(out.durations) as number[];
    assert(durations.length >= 11 && durations.every((d) => d >= 0), JSON.stringify(out.durations));
    const perApp = Object.fromEntries(out.per_app as [string, number][]);
    assertEquals(perApp.inc, 6, JSON.stringify(perApp)); // diamond 3 + join 2 + the dep_fail one
    assert(out.status_rows > 40, `status rows: ${out.status_rows}`);
    const joined = out.joined as Record<string, unknown>[];
    const retried = joined.filter((r) => r.task_id === ids.retried);
    assertEquals([...new Set(retried.map((r) => r.try_id))], [0, 1]);
    assert(retried.some((r) => r.task_status_name === "fail_retryable" && r.try_id === 0));
    const finals = Object.fromEntries(out.final as [number, string][]);
    assertEquals(finals[ids.d], "exec_done");
    assertEquals(finals[ids.memo2], "memo_done");
    assertEquals(finals[ids.depFail], "dep_fail");
  },
});
