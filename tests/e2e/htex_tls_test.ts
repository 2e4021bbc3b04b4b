// encrypted: true: pools reach the interchange over TLS with the run's own certificate.
import { assert, assertEquals } from "../_assert.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { makeHost, manualPools, reap, startPool, task } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";

Deno.test("encrypted htex runs tasks over TLS and refuses plain TCP pools", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-tls-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({
    provider: manualPools(),
    encrypted: true,
    maxWorkersPerNode: 1,
    heartbeatPeriod: 1,
    heartbeatThreshold: 3,
  });
  await htex.start(host);
  const pools: Deno.ChildProcess[] = [];
  try {
    const argv = htex.workerCommand("0");
    assert(argv.includes("--ca-file"), "pools pin the run's CA");
    pools.push(startPool(htex));
    assertEquals(await htex.submit(task("add", [20, 22])), 42);
    // A pool without the CA speaks plain TCP to a TLS port: it never registers and gives up.
    const plain = htex.workerCommand("plain");
    plain.splice(plain.indexOf("--ca-file"), 2);
    const p = new Deno.Command(plain[0], {
      args: [...plain.slice(1), "--heartbeat-threshold", "2"],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    pools.push(p);
    const st = await p.status;
    assertEquals(st.code, 1);
    assertEquals(htex.managers().length, 1);
    assertEquals(Deno.statSync(`${dir}/htex/key.pem`).mode! & 0o777, 0o600);
  } finally {
    await htex.shutdown();
    for (const p of pools) await reap(p);
    await host.logger.close();
    assertEquals(await processesMatching(dir), []);
    Deno.removeSync(dir, { recursive: true });
  }
});
