// When a worker cannot import the workflow's module (not on a filesystem the workers share), the
// task fails with an error naming the module URL, the worker's host and the fix; it never hangs.
// Simulated truthfully: the driver imports the module, then it disappears before any worker
// has imported it.
import assert from "node:assert/strict";
import { includes, MOD_URL, tempDirWith, tsflow } from "../cli/_cli.ts";
import { waitNoProcesses } from "../_processes.ts";

function flow(executor: "htex" | "threads"): string {
  const config = executor === "htex"
    ? `export const config = { executors: [new HighThroughputExecutor({ maxWorkersPerNode: 1,
         heartbeatPeriod: 1, heartbeatThreshold: 5,
         provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }) })] };`
    : "";
  return `
import { app, HighThroughputExecutor, LocalProvider } from "${MOD_URL}";
export const add = app((x: number, y: number) => x + y);
${config}
export default async function main() {
  // As if the workflow lived on a disk the worker nodes do not see.
  await Deno.rename(new URL(import.meta.url), new URL("./moved-away.ts", import.meta.url));
  console.log("sum=" + await add(1, 2));
}
`;
}

for (const executor of ["htex", "threads"] as const) {
  Deno.test(`${executor}: a worker that cannot import the workflow fails the task with URL, host and fix`, async () => {
    const dir = await tempDirWith({ "flow.ts": flow(executor) });
    const r = await tsflow(["run", "flow.ts"], { cwd: dir, timeoutMs: 60_000 });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.ok(!r.stdout.includes("sum="));
    includes(r.stderr, `cannot import file://${dir}/flow.ts for app "add"`);
    includes(r.stderr, `on host ${Deno.hostname()}`);
    includes(r.stderr, "Fix: put the workflow on a filesystem the workers share, at the same path");
    assert.deepEqual(await waitNoProcesses(dir), []);
  });
}
