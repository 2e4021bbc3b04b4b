// A bash app's process group never outlives its run: killing (SIGKILL) its worker, its pool or
// the driver kills the `bash -c` and the `sleep` it started, within a bounded wait. Each task's
// `sleep` carries a unique marker on its command line (GNU sleep sums its arguments), so the
// check finds exactly this test's processes in /proc.
import { assert } from "../_assert.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { makeHost, manualPools, reap, startPool, task } from "./_htex_env.ts";
import { alive, findProcesses, processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

const FAST = {
  provider: manualPools(),
  heartbeatPeriod: 0.5,
  heartbeatThreshold: 2,
  maxWorkersPerNode: 1,
};

/** A marker no other process has: `sleep 3600 0.000NNNNNNNNN` sleeps 3600 s and a bit. */
function marker(): string {
  return `0.000${crypto.getRandomValues(new Uint32Array(1))[0]}1`;
}

function readPid(file: string): Promise<number> {
  return waitFor(
    () => {
      try {
        return Deno.readTextFileSync(file).trim().length > 0;
      } catch {
        return false;
      }
    },
    30,
    "the bash app to start",
  ).then(() => Number(Deno.readTextFileSync(file).trim()));
}

/** Waits until the marked sleep runs; returns its pids. */
async function marked(mark: string): Promise<number[]> {
  await waitFor(
    async () => (await processesMatching(`sleep 3600 ${mark}`)).length > 0,
    30,
    "the marked sleep to start",
  );
  return processesMatching(mark);
}

async function noneLeft(mark: string): Promise<void> {
  // Bounded: the groups die as soon as their worker does; 15 s only absorbs a busy machine.
  try {
    await waitFor(async () => (await processesMatching(mark)).length === 0, 15, `no ${mark} left`);
  } catch (e) {
    const left = await findProcesses(mark);
    const stat = (pid: number) => Deno.readTextFileSync(`/proc/${pid}/stat`).split(" ").slice(0, 8);
    throw new Error(
      `${(e as Error).message}: ${JSON.stringify(left.map((p) => [p.cmd, stat(p.pid)]))}`,
    );
  }
}

async function withPool(
  body: (
    htex: HighThroughputExecutor,
    pool: Deno.ChildProcess,
    dir: string,
  ) => Promise<void>,
): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "htex-orphans-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({ ...FAST, provider: manualPools() });
  await htex.start(host);
  const pool = startPool(htex, "0");
  try {
    await body(htex, pool, dir);
  } finally {
    await htex.shutdown();
    await reap(pool);
    await host.logger.close();
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("a worker killed with SIGKILL takes its bash app's process group with it", async () => {
  const mark = marker();
  try {
    await withPool(async (htex, _pool, dir) => {
      const p = htex.submit(task("markedSleep", [`${dir}/pid`, mark], { kind: "bash" }));
      p.catch(() => {});
      const worker = await readPid(`${dir}/pid`);
      const before = await marked(mark);
      assert(before.length >= 2, `bash and sleep run: ${before}`);
      Deno.kill(worker, "SIGKILL");
      await noneLeft(mark);
      await p.then(() => assert(false, "the task must fail"), () => {});
    });
  } finally {
    for (const pid of await processesMatching(mark)) Deno.kill(pid, "SIGKILL");
  }
});

Deno.test("a pool killed with SIGKILL takes its workers' bash process groups with it", async () => {
  const mark = marker();
  try {
    await withPool(async (htex, pool, dir) => {
      htex.submit(task("markedSleep", [`${dir}/pid`, mark], { kind: "bash" })).catch(() => {});
      const worker = await readPid(`${dir}/pid`);
      await marked(mark);
      pool.kill("SIGKILL");
      await pool.status;
      await noneLeft(mark);
      await waitFor(() => !alive(worker), 10, "the worker to exit");
    });
  } finally {
    for (const pid of await processesMatching(mark)) Deno.kill(pid, "SIGKILL");
  }
});

Deno.test("a driver killed with SIGKILL leaves no bash app process group behind", async () => {
  const mark = marker();
  const dir = Deno.makeTempDirSync({ prefix: "htex-orphans-driver-" });
  const driver = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../fixtures/htex_driver.ts", import.meta.url).pathname,
      dir,
      `${dir}/pid`,
      mark,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await readPid(`${dir}/pid`);
    await marked(mark);
    driver.kill("SIGKILL");
    await driver.status;
    await noneLeft(mark);
    await waitFor(async () => (await processesMatching(dir)).length === 0, 15, "no leftovers");
  } finally {
    await reap(driver);
    for (const pid of [...await processesMatching(mark), ...await processesMatching(dir)]) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch { /* gone */ }
    }
    Deno.removeSync(dir, { recursive: true });
  }
});
