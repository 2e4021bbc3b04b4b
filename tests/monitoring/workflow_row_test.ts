// The workflow row as Parsl writes it: the workflow file's name, the account name even without
// $USER, and Parsl's counts (exec_done and failed only).
import { DatabaseSync } from "node:sqlite";
import { userInfo } from "node:os";
import { assertEquals } from "../_assert.ts";
import { MAIN, MOD_URL, tempDirWith } from "../cli/_cli.ts";

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
  db.close();
  assertEquals(wf.workflow_name, "my_flow.ts");
  assertEquals(wf.user, userInfo().username);
  assertEquals([wf.tasks_completed_count, wf.tasks_failed_count], [2, 1]);
});
