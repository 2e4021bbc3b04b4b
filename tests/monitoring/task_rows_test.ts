// Task and try rows as Parsl writes them, checked with Parsl's own monitoring-test queries
// (parsl/tests/test_monitoring: test_basic, test_incomplete_futures, test_stdouterr) through
// Python's sqlite3, on a real run.
import { assert, assertEquals } from "../_assert.ts";
import { File, load, MonitoringHub, ThreadPoolExecutor } from "../../mod.ts";
import { flakyOnce, inc, incBoth, noop } from "./fixtures/apps.ts";
import { PYTHON, runPython } from "./_parsl_columns.ts";

const QUERIES = `
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.row_factory = sqlite3.Row
ids = json.loads(sys.argv[2])
one = lambda sql, *p: con.execute(sql, p).fetchone()[0]
out = {}
# test_basic: every exec_done task's try has a running time.
out["done_without_running"] = one("""SELECT COUNT(*) FROM status, try WHERE status.task_id = try.task_id
  AND status.task_status_name='exec_done' AND task_try_time_running is NULL""")
row = lambda i: dict(con.execute("SELECT * FROM task WHERE task_id = ?", (i,)).fetchone())
out["with_inputs"] = row(ids["withInputs"])
out["plain"] = row(ids["plain"])
out["retried_states"] = [tuple(r) for r in con.execute(
  "SELECT task_status_name, try_id FROM status WHERE task_id = ? ORDER BY timestamp, rowid", (ids["retried"],))]
out["retried_tries"] = [dict(r) for r in con.execute(
  "SELECT try_id, task_fail_history FROM try WHERE task_id = ? ORDER BY try_id", (ids["retried"],))]
out["join_try"] = dict(con.execute(
  "SELECT task_executor, task_try_time_running, task_joins FROM try WHERE task_id = ?", (ids["join"],)).fetchone())
print(json.dumps(out, default=str))
`;

Deno.test({
  name: "task rows: inputs, std streams, retries' pending, join tries and fail history as Parsl's",
  ignore: !PYTHON,
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "tsflow-taskrows-" });
    const dbPath = `${dir}/monitoring.db`;
    const ids: Record<string, number> = {};
    {
      await using _dfk = await load({
        executors: [new ThreadPoolExecutor({ label: "threads", maxThreads: 2 })],
        runDir: `${dir}/runinfo`,
        retries: 1,
        monitoring: new MonitoringHub({ dbPath }),
      });
      const first = inc(1);
      await first;
      const w = noop.with({ inputs: [new File(`${dir}/in.txt`)] })();
      await w;
      ids.withInputs = w.taskId;
      const p = noop();
      await p;
      ids.plain = p.taskId;
      const r = flakyOnce(`${dir}/marker`);
      assertEquals(await r, 7);
      ids.retried = r.taskId;
      const j = incBoth(1);
      await j;
      ids.join = j.taskId;
    }
    // deno-lint-ignore no-explicit-any
    const out = await runPython(QUERIES, dbPath, JSON.stringify(ids)) as Record<string, any>;
    assertEquals(out.done_without_running, 0);
    // test_incomplete_futures: inputs as Python's str() of the list.
    assertEquals(out.with_inputs.task_inputs, `[<File url=file://${dir}/in.txt>]`);
    assertEquals(out.plain.task_inputs, "None");
    assertEquals(out.plain.task_outputs, "None");
    // test_stdouterr: a stream not given is "".
    assertEquals([out.plain.task_stdout, out.plain.task_stderr], ["", ""]);
    assertEquals(out.plain.task_depends, "");
    const states = out.retried_states.map((s: [string, number]) => s.join("@"));
    const at = states.indexOf("fail_retryable@0");
    assert(at >= 0, String(states));
    assertEquals(states.slice(at, at + 3), ["fail_retryable@0", "pending@1", "launched@1"]);
    assertEquals(out.retried_tries.map((t: Record<string, unknown>) => t.task_fail_history), [
      "Error: first try fails",
      "",
    ]);
    assertEquals(out.join_try.task_executor, "_parsl_internal");
    assert(out.join_try.task_try_time_running, JSON.stringify(out.join_try));
    assertEquals(String(out.join_try.task_joins).split(",").length, 2);
  },
});
