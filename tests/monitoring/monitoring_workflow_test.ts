// Real workflows through load() + ThreadPoolExecutor + MonitoringHub; asserts rows in every table.
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals } from "../_assert.ts";
import { runMixedWorkflow } from "./_workflows.ts";

type Row = Record<string, unknown>;

Deno.test("a real run writes workflow, task, try and status rows with the right state sequences", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "tsflow-mon-" });
  const dbPath = `${dir}/monitoring.db`;
  const { ids, runId } = await runMixedWorkflow(dir, dbPath);
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const one = (sql: string, ...p: (string | number)[]) => db.prepare(sql).get(...p) as Row;
    const rows = (sql: string, ...p: (string | number)[]) => db.prepare(sql).all(...p) as Row[];
    const states = (id: number) =>
      rows(
        "SELECT task_status_name AS s FROM status WHERE run_id = ? AND task_id = ? ORDER BY timestamp, rowid",
        runId,
        id,
      ).map((r) => r.s);

    const wf = one("SELECT * FROM workflow WHERE run_id = ?", runId);
    assert(wf.time_completed !== null, "workflow has an end time");
    // Parsl's counts: exec_done and failed only (memo_done and dep_fail are not counted).
    assertEquals([wf.tasks_completed_count, wf.tasks_failed_count], [10, 1]);
    assertEquals(wf.deno_version, Deno.version.deno);
    const nTasks = (one("SELECT COUNT(*) AS n FROM task WHERE run_id = ?", runId)).n as number;
    assertEquals(nTasks, 13); // 4 diamond + 1 retried + 2 memo + 3 join + 2 fail + 1 bash

    // Every task's state sequence ends in its final state, and the task row agrees.
    const done = ["a", "b", "c", "d", "bash"];
    for (const k of done) {
      const s = states(ids[k]);
      assertEquals(s.at(-1), "exec_done", `${k}: ${s}`);
      assert(
        s.includes("launched") && s.includes("running") && s.includes("running_ended"),
        `${k}: ${s}`,
      );
      assertEquals(
        one(
          "SELECT tsflow_task_state AS s FROM task WHERE run_id = ? AND task_id = ?",
          runId,
          ids[k],
        ).s,
        "exec_done",
      );
    }
    // Diamond dependencies.
    const dep = (id: number) =>
      one("SELECT task_depends AS d FROM task WHERE run_id = ? AND task_id = ?", runId, id).d;
    assertEquals(dep(ids.b), String(ids.a));
    assertEquals(String(dep(ids.d)).split(",").sort(), [ids.b, ids.c].map(String).sort());

    // Retried: two tries, the first failed.
    const rs = states(ids.retried);
    assertEquals(rs.filter((s) => s === "launched").length, 2, String(rs));
    assert(rs.includes("fail_retryable"), String(rs));
    assertEquals(rs.at(-1), "exec_done");
    const tries = rows(
      'SELECT * FROM "try" WHERE run_id = ? AND task_id = ? ORDER BY try_id',
      runId,
      ids.retried,
    );
    assertEquals(tries.map((t) => t.try_id), [0, 1]);
    assert(
      tries.every((t) => t.task_try_time_launched && t.task_try_time_returned),
      JSON.stringify(tries),
    );
    // Parsl: each try holds its own failure.
    assert(String(tries[0].task_fail_history).includes("first try fails"));
    assertEquals(tries[1].task_fail_history, "");
    assertEquals(
      one(
        "SELECT task_fail_count AS n FROM task WHERE run_id = ? AND task_id = ?",
        runId,
        ids.retried,
      ).n,
      1,
    );

    // Memoized: the second call never launched.
    assertEquals(states(ids.memo2).at(-1), "memo_done");
    assert(!states(ids.memo2).includes("launched"));
    const hashes = rows(
      "SELECT task_hashsum AS h, task_memoize AS m FROM task WHERE run_id = ? AND task_id IN (?, ?)",
      runId,
      ids.memo1,
      ids.memo2,
    );
    assert(hashes[0].h && hashes[0].h === hashes[1].h, JSON.stringify(hashes));
    assertEquals(hashes.map((h) => String(h.m)), ["1", "1"]);

    // Join app: goes through joining, and records the tasks it joined.
    const js = states(ids.join);
    assert(js.includes("joining"), String(js));
    assertEquals(js.at(-1), "exec_done");
    const joins = one(
      "SELECT tsflow_task_joins AS j FROM task WHERE run_id = ? AND task_id = ?",
      runId,
      ids.join,
    ).j;
    assertEquals(String(joins).split(",").length, 2);

    // Failure and dependency failure.
    assertEquals(states(ids.failed).at(-1), "failed");
    assertEquals(states(ids.depFail).at(-1), "dep_fail");
    assert(!states(ids.depFail).includes("launched"));
    assertEquals(
      one(
        "SELECT tsflow_task_state AS s FROM task WHERE run_id = ? AND task_id = ?",
        runId,
        ids.depFail,
      ).s,
      "dep_fail",
    );

    // Bash app: stdout/stderr paths recorded.
    const bash = one(
      "SELECT task_stdout AS o, task_stderr AS e FROM task WHERE run_id = ? AND task_id = ?",
      runId,
      ids.bash,
    );
    assertEquals(bash.o, `${dir}/shout.out`);
    assertEquals(bash.e, `${dir}/shout.err`);

    // Every launched try says where it ran.
    const ran = rows(
      'SELECT * FROM "try" WHERE run_id = ? AND task_try_time_running IS NOT NULL',
      runId,
    );
    assert(ran.length >= 9, `ran: ${ran.length}`);
    // Join bodies run on the driver, under Parsl's internal executor's label.
    assert(ran.every((t) =>
      t.hostname === Deno.hostname() &&
      t.task_executor === (t.task_id === ids.join ? "_parsl_internal" : "threads")
    ));
    // Times are ordered within each try.
    for (const t of ran) {
      assert(
        String(t.task_try_time_launched) <= String(t.task_try_time_running),
        JSON.stringify(t),
      );
      assert(
        String(t.task_try_time_running) <= String(t.task_try_time_returned),
        JSON.stringify(t),
      );
    }
  } finally {
    db.close();
  }
});
