// The workflow row as Parsl writes it: the workflow file's name, the account name even without
// $USER, the start time as the default version, and Parsl's counts (exec_done and failed only).
import { DatabaseSync } from "node:sqlite";
import { userInfo } from "node:os";
import { assertEquals } from "../_assert.ts";
import { MAIN, MOD_URL, tempDirWith } from "../cli/_cli.ts";
import { load } from "../../dfk/load.ts";
import { MonitoringHub } from "../../monitoring/monitoring_hub.ts";
import { ThreadPoolExecutor } from "../../worker_pool/thread_pool/mod.ts";

const FLOW = `
import { app, MonitoringHub, ThreadPoolExecutor } from "${MOD_URL}";
export const config = {
  executors: [new ThreadPoolExecutor({ maxThreads: 2 })],
  monitoring: new MonitoringHub({ dbPath: "monitoring.db" }),
};
export const inc = app((x: number) => x + 1, { cache: true });
export const boom = app((): number => { throw new Error("boom"); });
export default async function main() {
  await inc(1);
  await inc(2);
  await inc(1); // memo_done
  const bad = boom();
  const dep = inc(bad); // dep_fail
  await Promise.allSettled([bad, dep]);
}
`;

Deno.test("tsflow run names the workflow after its file, finds the account without $USER, counts as Parsl", async () => {
  const dir = await tempDirWith({ "my_flow.ts": FLOW });
  const env: Record<string, string> = { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" };
  for (const k of ["HOME", "DENO_DIR", "TMPDIR"]) {
    const v = Deno.env.get(k);
    if (v) env[k] = v;
  }
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "run", "my_flow.ts"],
    cwd: dir,
    clearEnv: true,
    env,
    stdin: "null",
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  const db = new DatabaseSync(`${dir}/monitoring.db`, { readOnly: true });
  const wf = db.prepare("SELECT * FROM workflow").get()!;
  const ids = db.prepare("SELECT task_id FROM task ORDER BY task_id").all().map((r) => r.task_id);
  db.close();
  // Parsl's default version: the start time, local, to the second (tsflow's own version has its
  // own column); Parsl numbers tasks from 0.
  assertEquals(wf.workflow_version, String(wf.time_began).slice(0, 19));
  assertEquals(ids, [0, 1, 2, 3, 4]);
  assertEquals(wf.workflow_name, "my_flow.ts");
  assertEquals(wf.user, userInfo().username);
  assertEquals([wf.tasks_completed_count, wf.tasks_failed_count], [2, 1]);
});

Deno.test("workflowVersion in the config is the workflow row's version", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    {
      await using _dfk = await load({
        executors: [new ThreadPoolExecutor({ maxThreads: 1 })],
        runDir: `${dir}/runinfo`,
        monitoring: new MonitoringHub({ dbPath: `${dir}/m.db` }),
        workflowVersion: "v2.1",
      });
    }
    const db = new DatabaseSync(`${dir}/m.db`, { readOnly: true });
    assertEquals(db.prepare("SELECT workflow_version AS v FROM workflow").get()!.v, "v2.1");
    db.close();
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
