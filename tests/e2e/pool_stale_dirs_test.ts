// A pool killed outright (SIGKILL) cannot remove its private directory; the next pool on the host
// removes it, and nothing else: not a live pool's, not another host's.
import { assert, assertEquals } from "../_assert.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { makeHost, manualPools, reap } from "./_htex_env.ts";
import { alive } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

Deno.test("a pool removes the directories of this host's pools killed outright, and only those", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "tsflow-stale-" });
  const tmp = `${dir}/tmp`;
  Deno.mkdirSync(tmp);
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({ provider: manualPools(), maxWorkersPerNode: 1 });
  const pools: Deno.ChildProcess[] = [];
  const start = () => {
    const argv = htex.workerCommand("manual");
    const p = new Deno.Command(argv[0], {
      args: argv.slice(1),
      env: { TMPDIR: tmp },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    pools.push(p);
    return p;
  };
  const dirsOf = (pid: number) =>
    [...Deno.readDirSync(tmp)].filter((e) => e.name.startsWith(`tsflow-pool-${pid}-`));
  // Kept: a live process's, and a gone process's on another host.
  const gonePid = await deadPid();
  Deno.mkdirSync(`${tmp}/tsflow-pool-${Deno.pid}-live`);
  Deno.writeTextFileSync(`${tmp}/tsflow-pool-${Deno.pid}-live/host`, Deno.hostname());
  Deno.mkdirSync(`${tmp}/tsflow-pool-${gonePid}-elsewhere`);
  Deno.writeTextFileSync(`${tmp}/tsflow-pool-${gonePid}-elsewhere/host`, "another-host");
  try {
    await htex.start(host);
    const a = start();
    await waitFor(() => htex.managers().length === 1, 30, "pool a registered");
    assertEquals(dirsOf(a.pid).length, 1);
    a.kill("SIGKILL");
    await a.status;
    await waitFor(() => htex.managers().length === 0, 60, "pool a lost");
    assertEquals(dirsOf(a.pid).length, 1, "a pool killed outright leaves its directory");

    const b = start();
    await waitFor(() => htex.managers().length === 1, 30, "pool b registered");
    await waitFor(() => dirsOf(a.pid).length === 0, 30, "pool a's directory removed");
    assertEquals(dirsOf(b.pid).length, 1, "pool b's own directory stays");
    assert(Deno.statSync(`${tmp}/tsflow-pool-${Deno.pid}-live`).isDirectory);
    assert(Deno.statSync(`${tmp}/tsflow-pool-${gonePid}-elsewhere`).isDirectory);
  } finally {
    await htex.shutdown();
    for (const p of pools) await reap(p);
    await host.logger.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

/** A pid no process has now (one that just exited). */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  assert(!alive(child.pid));
  return child.pid;
}
