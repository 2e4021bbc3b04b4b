// Shared real workflows for the monitoring tests.
import { assertEquals } from "../_assert.ts";
import { load, MonitoringHub, ThreadPoolExecutor } from "../../mod.ts";
import { add, boom, flakyOnce, inc, incBoth, memo, shout } from "./fixtures/apps.ts";

/** Runs the five-shape workflow into `dbPath`; returns the task ids of interest. */
export async function runMixedWorkflow(dir: string, dbPath: string) {
  const dfk = await load({
    executors: [new ThreadPoolExecutor({ maxThreads: 2 })],
    runDir: `${dir}/runinfo`,
    retries: 1,
    monitoring: new MonitoringHub({ dbPath }),
  });
  const ids: Record<string, number> = {};
  try {
    // Diamond: a -> (b, c) -> d.
    const a = inc(1);
    const b = inc(a), c = inc(a);
    const d = add(b, c);
    assertEquals(await d, 6);
    Object.assign(ids, { a: a.taskId, b: b.taskId, c: c.taskId, d: d.taskId });
    const r = flakyOnce(`${dir}/marker`);
    assertEquals(await r, 7);
    ids.retried = r.taskId;
    const m1 = memo(4);
    assertEquals(await m1, 40);
    const m2 = memo(4);
    assertEquals(await m2, 40);
    Object.assign(ids, { memo1: m1.taskId, memo2: m2.taskId });
    const j = incBoth(10);
    assertEquals(await j as unknown, [11, 12]);
    ids.join = j.taskId;
    const bad = boom("kaput");
    const dep = inc(bad);
    await Promise.allSettled([bad, dep]);
    Object.assign(ids, { failed: bad.taskId, depFail: dep.taskId });
    const s = shout.with({ stdout: `${dir}/shout.out`, stderr: `${dir}/shout.err` })("hi");
    await s;
    ids.bash = s.taskId;
  } finally {
    await dfk.cleanup();
  }
  return { ids, runId: dfk.runId };
}
