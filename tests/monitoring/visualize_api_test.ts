// The visualizer's JSON API and embedded page over a database from a real run.
import { assert, assertEquals } from "../_assert.ts";
import { startVisualizeServer } from "../../monitoring/visualize_server.ts";
import { runMixedWorkflow } from "./_workflows.ts";
import { buildLanes, runningSeries } from "../../monitoring/page/timeline.ts";

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const r = await fetch(url);
  return { status: r.status, type: r.headers.get("content-type") ?? "", body: await r.text() };
}

Deno.test("the visualizer serves its page, uPlot and a JSON API over a real run", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "tsflow-vis-" });
  const dbPath = `${dir}/monitoring.db`;
  const { ids, runId } = await runMixedWorkflow(dir, dbPath);
  const srv = await startVisualizeServer({ db: dbPath, port: 0 });
  try {
    const page = await get(srv.url);
    assertEquals(page.status, 200);
    assert(page.body.includes("assets/uplot.js") && page.body.includes(dbPath));
    const up = await get(srv.url + "assets/uplot.js");
    assert(up.type.startsWith("text/javascript") && up.body.includes("uPlot"));
    assert((await get(srv.url + "assets/page.js")).body.includes("renderWorkflow"));

    const wfs = JSON.parse((await get(srv.url + "api/workflows")).body);
    assertEquals(wfs.length, 1);
    assertEquals([wfs[0].run_id, wfs[0].tasks, wfs[0].failed, wfs[0].done], [runId, 13, 2, 11]);
    assert(wfs[0].completed >= wfs[0].began);

    const base = `${srv.url}api/workflow/${runId}`;
    const wf = JSON.parse((await get(base)).body);
    assert(wf.apps.some((a: { app: string; n: number }) => a.app === "inc" && a.n === 6));

    const tl = JSON.parse((await get(`${base}/timeline`)).body);
    assertEquals(Object.keys(tl.apps).length, 13);
    assertEquals(tl.task.length, tl.state.length);
    assert(tl.t.every((t: number) => t >= wf.began - 1000));
    // The page's "Tasks running" chart over this answer: a pool of 2 threads never runs more, and
    // tries shorter than the timeline's millisecond never pull the count below zero.
    const [, running] = runningSeries(buildLanes(tl), wf.began, wf.completed);
    assert(Math.min(...running) >= 0 && Math.max(...running) <= 2, JSON.stringify(running));

    const failed = JSON.parse((await get(`${base}/tasks?state=dep_fail`)).body);
    assertEquals(failed.map((t: { task_id: number }) => t.task_id), [ids.depFail]);
    const incs = JSON.parse((await get(`${base}/tasks?app=inc`)).body);
    assertEquals(incs.length, 6);

    const retried = JSON.parse((await get(`${base}/task/${ids.retried}`)).body);
    assertEquals(retried.tries.length, 2);
    assert(String(retried.tries[0].task_fail_history).includes("first try fails"));
    assertEquals(retried.statuses.at(-1).state, "exec_done");
    const bash = JSON.parse((await get(`${base}/task/${ids.bash}`)).body);
    assertEquals(bash.task.task_stdout, `${dir}/shout.out`);

    const infra = JSON.parse((await get(`${base}/infrastructure`)).body);
    assertEquals([infra.nodes.length, infra.blocks.length], [0, 0]); // threads: no pools, no blocks

    assertEquals((await get(`${base}/task/99999`)).status, 404);
    assertEquals((await get(`${srv.url}api/workflow/nope`)).status, 404);
    assertEquals((await get(`${srv.url}api/nothing`)).status, 404);
  } finally {
    await srv.close();
  }
});

Deno.test("the visualizer answers before the database exists and sees it once written", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "tsflow-vis-" });
  const dbPath = `${dir}/later.db`;
  const srv = await startVisualizeServer({ db: dbPath, port: 0 });
  try {
    assertEquals(JSON.parse((await get(srv.url + "api/workflows")).body), []);
    await runMixedWorkflow(dir, dbPath);
    assertEquals(JSON.parse((await get(srv.url + "api/workflows")).body).length, 1);
  } finally {
    await srv.close();
  }
});
