// Failures of HighThroughputExecutor parts, with real processes: lost workers, pools,
// interchange and driver. No test may leave a process behind.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { ExecutorError, ManagerLost, WorkerLost } from "../../dfk/errors.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { makeHost, manualPools, reap, startPool, task } from "./_htex_env.ts";
import { alive, processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

const FAST = { heartbeatPeriod: 0.5, heartbeatThreshold: 2, maxWorkersPerNode: 1 };

async function setup(opts = {}) {
  const dir = Deno.makeTempDirSync({ prefix: "htex-fault-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({ provider: manualPools(), ...FAST, ...opts });
  await htex.start(host);
  const pools: Deno.ChildProcess[] = [];
  return {
    dir,
    host,
    htex,
    pools,
    pool(blockId: string) {
      const p = startPool(htex, blockId);
      pools.push(p);
      return p;
    },
    readPid: async (file: string) => {
      await waitFor(
        () => {
          try {
            return Deno.readTextFileSync(file).length > 0;
          } catch {
            return false;
          }
        },
        20,
        "the task to start",
      );
      return Number(Deno.readTextFileSync(file));
    },
    async close() {
      await htex.shutdown();
      for (const p of pools) await reap(p);
      await host.logger.close();
      await waitFor(async () => (await processesMatching(dir)).length === 0, 10, "no leftovers");
      Deno.removeSync(dir, { recursive: true });
    },
  };
}

Deno.test("a worker killed mid-task fails it with WorkerLost; a retry succeeds on its replacement", async () => {
  const s = await setup();
  try {
    s.pool("0");
    const t = task("pidThenSleep", [`${s.dir}/pid`, 60]);
    const p = s.htex.submit(t);
    const pid = await s.readPid(`${s.dir}/pid`);
    Deno.kill(pid, "SIGKILL");
    const e = await assertRejects(() => p, WorkerLost);
    assert(e.message.includes("SIGKILL"), e.message);
    assertEquals(await s.htex.submit({ ...t, tryId: 1, args: [`${s.dir}/pid2`, 0] }), "slept");
  } finally {
    await s.close();
  }
});

Deno.test("a pool killed with SIGKILL fails its tasks with ManagerLost; a second pool takes the retry", async () => {
  const s = await setup();
  try {
    const a = s.pool("A");
    const t = task("pidThenSleep", [`${s.dir}/pid`, 60]);
    const p = s.htex.submit(t);
    const workerPid = await s.readPid(`${s.dir}/pid`);
    s.pool("B");
    await waitFor(() => s.htex.managers().length === 2, 20, "second pool");
    a.kill("SIGKILL");
    const e = await assertRejects(() => p, ManagerLost);
    assert(e.message.includes("lost"));
    await waitFor(() => !alive(workerPid), 10, "the lost pool's worker to exit");
    const retry = task("pidThenSleep", [`${s.dir}/pid2`, 0]);
    assertEquals(await s.htex.submit(retry), "slept");
    const ran = s.host.events.find((e) => e.type === "try_running" && e.taskId === retry.id);
    assertEquals((ran as { blockId?: string }).blockId, "B");
  } finally {
    await s.close();
  }
});

Deno.test("a pool that stops heartbeating is lost within the threshold and exits when resumed", async () => {
  const s = await setup();
  try {
    const a = s.pool("0");
    const p = s.htex.submit(task("pidThenSleep", [`${s.dir}/pid`, 60]));
    await s.readPid(`${s.dir}/pid`);
    Deno.kill(a.pid, "SIGSTOP");
    await assertRejects(() => p, ManagerLost, "no message");
    Deno.kill(a.pid, "SIGCONT");
    // Resumed, it finds its interchange silent or its connection closed, and exits.
    await a.status;
  } finally {
    await s.close();
  }
});

Deno.test("killing the interchange fails outstanding tasks with ExecutorError and pools exit", async () => {
  const s = await setup();
  try {
    const pool = s.pool("0");
    const p = s.htex.submit(task("sleep", [60]));
    await waitFor(() => s.htex.managers().length === 1, 20, "pool registration");
    const [icPid] = await processesMatching(`${s.dir}/htex/interchange.log`);
    assert(icPid > 0);
    Deno.kill(icPid, "SIGKILL");
    await assertRejects(() => p, ExecutorError, "interchange");
    await assertRejects(() => s.htex.submit(task("noop")), ExecutorError);
    assertEquals((await pool.status).success, true, "the pool notices and exits");
  } finally {
    await s.close();
  }
});

Deno.test("a hung interchange fails outstanding tasks within heartbeatThreshold", async () => {
  const s = await setup();
  let icPid = 0;
  try {
    const pool = s.pool("0");
    const p = s.htex.submit(task("sleep", [60]));
    await waitFor(() => s.htex.managers().length === 1, 20, "pool registration");
    [icPid] = await processesMatching(`${s.dir}/htex/interchange.log`);
    Deno.kill(icPid, "SIGSTOP");
    await assertRejects(() => p, ExecutorError, "no message from the interchange");
    await pool.status; // the pool gives up on its silent interchange too
  } finally {
    if (icPid) {
      try {
        Deno.kill(icPid, "SIGCONT");
      } catch { /* killed by the executor */ }
    }
    await s.close();
  }
});

Deno.test("drainPeriod makes a pool finish its task, then exit", async () => {
  const s = await setup({ drainPeriod: 1 });
  try {
    const pool = s.pool("0");
    assertEquals(await s.htex.submit(task("sleep", [1.5])), 1.5);
    assertEquals((await pool.status).code, 0);
    await waitFor(
      () => s.host.events.some((e) => e.type === "node" && !e.active),
      10,
      "lost event",
    );
  } finally {
    await s.close();
  }
});

Deno.test("holdManager keeps tasks off a pool; another pool runs them", async () => {
  const s = await setup();
  try {
    s.pool("held");
    await waitFor(() => s.htex.managers().length === 1, 20, "pool registration");
    s.htex.holdManager(s.htex.managers()[0].managerId);
    const t = task("add", [1, 1]);
    const p = s.htex.submit(t);
    await new Promise((r) => setTimeout(r, 300));
    assertEquals(s.host.events.filter((e) => e.type === "try_running").length, 0);
    s.pool("free");
    assertEquals(await p, 2);
    const ran = s.host.events.find((e) => e.type === "try_running" && e.taskId === t.id);
    assertEquals((ran as { blockId?: string }).blockId, "free");
  } finally {
    await s.close();
  }
});

Deno.test("when the driver is killed, its interchange, pool and workers exit", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-driver-" });
  const driver = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../fixtures/htex_driver.ts", import.meta.url).pathname,
      dir,
      `${dir}/pid`,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await waitFor(
      () => {
        try {
          return Deno.readTextFileSync(`${dir}/pid`).length > 0;
        } catch {
          return false;
        }
      },
      30,
      "the driver's task to start",
    );
    const workerPid = Number(Deno.readTextFileSync(`${dir}/pid`));
    assert((await processesMatching(dir)).length >= 2, "interchange and pool are running");
    driver.kill("SIGKILL");
    await driver.status;
    await waitFor(
      async () => (await processesMatching(dir)).length === 0,
      15,
      "interchange and pool to exit",
    );
    await waitFor(() => !alive(workerPid), 10, "the worker to exit");
  } finally {
    await reap(driver);
    for (const pid of await processesMatching(dir)) Deno.kill(pid, "SIGKILL");
    Deno.removeSync(dir, { recursive: true });
  }
});
