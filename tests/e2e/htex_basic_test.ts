// HighThroughputExecutor end to end, driven through the Executor interface: real interchange,
// real pools and workers on 127.0.0.1.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { AppTimeout, BashExitFailure, SerializationError } from "../../dfk/errors.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import type { HighThroughputExecutorOptions } from "../../interchange/htex_options.ts";
import { makeHost, manualPools, reap, startPool, task } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";
import { failureOf, waitFor, within } from "../_wait.ts";

async function withHtex(
  opts: HighThroughputExecutorOptions,
  body: (
    htex: HighThroughputExecutor,
    host: ReturnType<typeof makeHost>,
    dir: string,
  ) => Promise<void>,
  pools = 1,
): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "htex-test-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({
    provider: manualPools(),
    heartbeatPeriod: 1,
    heartbeatThreshold: 5,
    ...opts,
  });
  const children: Deno.ChildProcess[] = [];
  try {
    await htex.start(host);
    for (let i = 0; i < pools; i++) children.push(startPool(htex, String(i)));
    await body(htex, host, dir);
  } finally {
    await htex.shutdown();
    for (const c of children) await reap(c);
    await host.logger.close();
    assertEquals(await processesMatching(dir), [], "processes left behind");
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("htex runs function apps and returns their values", async () => {
  await withHtex({ maxWorkersPerNode: 2 }, async (htex, _host, dir) => {
    assertEquals(await htex.submit(task("add", [5, 3])), 8);
    const many = await Promise.all(
      Array.from({ length: 200 }, (_, i) => htex.submit(task("add", [i, 1]))),
    );
    assertEquals(many, Array.from({ length: 200 }, (_, i) => i + 1));
    // As Parsl's interchange without worker_debug: INFO and up, no line per task.
    await htex.shutdown();
    const log = Deno.readTextFileSync(`${dir}/${htex.label}/interchange.log`);
    assert(log.includes(" INFO ") && !log.includes(" DEBUG "), log);
  });
});

Deno.test("htex rebuilds app errors, bash failures and unserializable results", async () => {
  await withHtex({ maxWorkersPerNode: 1 }, async (htex) => {
    const e = await assertRejects(() => htex.submit(task("fail", ["boom"])), TypeError, "boom");
    assert(e.stack!.includes("htex_apps.ts"), "the worker's stack is kept");
    assertEquals(await htex.submit(task("echo", ["hi"], { kind: "bash" })), 0);
    const b = await assertRejects(
      () => htex.submit(task("echo", ["; exit 3"], { kind: "bash" })),
      BashExitFailure,
    );
    assertEquals(b.exitCode, 3);
    await assertRejects(() => htex.submit(task("unserializable")), SerializationError);
    assertEquals(await htex.submit(task("add", [1, 1])), 2, "the worker survives all of that");
  });
});

Deno.test("htex runs the lowest priority number first, unprioritised last, ties in submission order", async () => {
  // Parsl's test_priority_queue: every task waits in the interchange before any pool exists.
  // workerDebug: the interchange's debug log says when every task is queued.
  await withHtex({ maxWorkersPerNode: 1, workerDebug: true }, async (htex, _host, dir) => {
    const priorities: (number | undefined)[] = [10, 7, 3, undefined, 9, 3, 1, undefined, 10, 1];
    const order: number[] = [];
    const ps = priorities.map((priority, i) =>
      htex.submit(task("add", [i, 0], { priority })).then((v) => order.push(v as number))
    );
    const log = `${dir}/${htex.label}/interchange.log`;
    await waitFor(
      () => {
        try {
          return Deno.readTextFileSync(log).includes(`; ${priorities.length} pending`);
        } catch {
          return false;
        }
      },
      20,
      "the interchange to queue every task",
    );
    const pool = startPool(htex, "late");
    try {
      await Promise.all(ps);
    } finally {
      await reap(pool);
    }
    assertEquals(order, [6, 9, 2, 5, 1, 4, 0, 8, 3, 7]);
  }, 0);
});

Deno.test("htex keeps priority order for tasks already prefetched by a pool", async () => {
  await withHtex({ maxWorkersPerNode: 1 }, async (htex) => {
    // Short tasks first: the pool pipelines and asks for a large prefetch.
    await Promise.all(Array.from({ length: 200 }, () => htex.submit(task("noop"))));
    const order: string[] = [];
    const blocker = htex.submit(task("sleep", [0.6]));
    const pause = () => new Promise((r) => setTimeout(r, 100));
    await pause();
    const ps = [htex.submit(task("add", [0, 0], { priority: 10 })).then(() => order.push("low"))];
    await pause();
    ps.push(htex.submit(task("add", [0, 0], { priority: 0 })).then(() => order.push("high")));
    await pause();
    ps.push(htex.submit(task("add", [0, 0], { priority: 5 })).then(() => order.push("mid")));
    await Promise.all([blocker, ...ps]);
    assertEquals(order, ["high", "mid", "low"]);
  });
});

Deno.test("htex uses a ManagerSelector exported by a user module", async () => {
  const managerSelector = {
    module: new URL("../fixtures/htex_selector.ts", import.meta.url).href,
    export: "preferredFirst",
  };
  const dir = Deno.makeTempDirSync({ prefix: "htex-test-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({
    provider: manualPools(),
    maxWorkersPerNode: 1,
    managerSelector,
    heartbeatPeriod: 1,
    heartbeatThreshold: 5,
  });
  await htex.start(host);
  const pools = [startPool(htex, "other"), startPool(htex, "preferred")];
  try {
    await waitFor(() => htex.managers().length === 2, 20, "both pools");
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = task("add", [i, 1]);
      ids.push(t.id);
      await htex.submit(t);
    }
    const blocks = host.events.filter((e) =>
      e.type === "try_running" && e.state === "running" && ids.includes(e.taskId)
    )
      .map((e) => (e as { blockId?: string }).blockId);
    assertEquals(blocks, Array(20).fill("preferred"));
  } finally {
    await htex.shutdown();
    for (const p of pools) await reap(p);
    await host.logger.close();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("htex emits try_running events with host and block, and logs the pool command", async () => {
  await withHtex({ maxWorkersPerNode: 1 }, async (htex, host, dir) => {
    const t = task("add", [1, 2]);
    await htex.submit(t);
    const runs = host.events.filter((e) => e.type === "try_running" && e.taskId === t.id);
    assertEquals(runs.map((e) => e.type === "try_running" && e.state), [
      "running",
      "running_ended",
    ]);
    const first = runs[0] as { hostname?: string; blockId?: string };
    assertEquals(first.blockId, "0");
    assertEquals(first.hostname, Deno.hostname());
    assert(host.events.some((e) => e.type === "node" && e.active));
    await host.logger.flush();
    const log = Deno.readTextFileSync(`${dir}/driver.log`);
    // `tsflow worker`; from source the pool's own entry file (worker_pool/worker_pool_main.ts).
    assert(
      log.includes("start pools by hand with") &&
        /( worker|\/worker_pool_main\.ts) --addresses 127\.0\.0\.1 --port /.test(log),
    );
    assert(
      !log.includes(Deno.readTextFileSync(`${dir}/htex/secret`).trim()),
      "no secret in the log",
    );
  });
});

Deno.test("htex reports a long task running while it runs, and a short one on its result", async () => {
  await withHtex({ maxWorkersPerNode: 1 }, async (htex, host, dir) => {
    const running = (id: number) =>
      host.events.filter((e) => e.type === "try_running" && e.taskId === id);
    // The task runs until the test lets it end: the report must come while it runs, however
    // slow the machine (the pool holds a report at most RUNNING_HOLD_MS, 50 ms).
    const long = task("untilFile", [`${dir}/end`]);
    const done = htex.submit(long);
    done.catch(() => {}); // awaited below; a failed wait must not leave it unhandled
    await waitFor(() => running(long.id).length > 0, 30, "a running report during the task");
    assertEquals(running(long.id).map((e) => e.type === "try_running" && e.state), ["running"]);
    Deno.writeTextFileSync(`${dir}/end`, "");
    await done;
    const short = task("add", [2, 3]);
    await htex.submit(short);
    const events = running(short.id) as { state: string; time: number; workerId?: string }[];
    assertEquals(events.map((e) => e.state), ["running", "running_ended"]);
    assert(events[0].time <= events[1].time && events[0].workerId === "0", JSON.stringify(events));
  });
});

Deno.test("htex pins workers with cpuAffinity and gives each its accelerator", async () => {
  await withHtex(
    { maxWorkersPerNode: 4, cpuAffinity: "block", availableAccelerators: ["a", "b"] },
    async (htex) => {
      const seen = new Set<string>();
      const cpus = new Set<string>();
      // Workers start at their own pace: keep sending rounds (bounded) until both have answered.
      const until = Date.now() + 30_000;
      while (seen.size < 2 && Date.now() < until) {
        const round = await Promise.all([
          ...Array.from({ length: 4 }, () => htex.submit(task("env", ["CUDA_VISIBLE_DEVICES"]))),
          ...Array.from({ length: 4 }, () => htex.submit(task("cpus"))),
        ]);
        round.slice(0, 4).forEach((acc) => seen.add(String(acc)));
        round.slice(4).forEach((cpu) => cpus.add(String(cpu)));
      }
      assertEquals([...seen].sort(), ["a", "b"], "two workers (one per accelerator), one each");
      const total = navigator.hardwareConcurrency;
      for (const c of cpus) assert(!c.includes(",") || total > 2, `pinned to a subset: ${c}`);
    },
  );
});

Deno.test("htex walltime kills and replaces the worker with AppTimeout", async () => {
  await withHtex({ maxWorkersPerNode: 1 }, async (htex) => {
    const before = await htex.submit(task("pid"));
    const e = await assertRejects(
      () => htex.submit(task("sleep", [30], { walltime: 0.3 })),
      AppTimeout,
    );
    assertEquals(e.walltime, 0.3);
    const after = await htex.submit(task("pid"));
    assert(before !== after, "a new worker process runs the next task");
  });
});

Deno.test("htex pipelining: results are not held by a long task queued behind them, whose walltime still counts", async () => {
  await withHtex({ maxWorkersPerNode: 1 }, async (htex, _host, dir) => {
    // Short tasks first: the pool pipelines, so what follows goes to the one worker together.
    await Promise.all(Array.from({ length: 200 }, () => htex.submit(task("noop"))));
    // An asynchronous task, a quick one, then one that spins until a file that never comes: its
    // walltime must end it. The pool times that walltime from the quick task's result, so a
    // result held by the spinning body would leave the task running for ever (bounded waits).
    // Three rounds: whether the three reach the worker in one frame depends on timing.
    for (let round = 0; round < 3; round++) {
      const early = [htex.submit(task("sleep", [0.01])), htex.submit(task("add", [1, 2]))];
      const spin = failureOf(
        htex.submit(task("spinUntilFile", [`${dir}/never`], { walltime: 1 })),
        30,
        "the long task's walltime",
      );
      const what = `round ${round}: the results before the long task`;
      assertEquals(await within(Promise.all(early), 30, what), [0.01, 3]);
      const e = await spin;
      assert(e instanceof AppTimeout, `expected AppTimeout, got ${e}`);
    }
  });
});

Deno.test("htex samples resources of running tasks when asked", async () => {
  await withHtex({ maxWorkersPerNode: 1, resourceMonitoringInterval: 0.1 }, async (htex, host) => {
    const t = task("burn", [600]);
    await htex.submit(t);
    const samples = host.events.filter((e) => e.type === "resource" && e.taskId === t.id);
    assert(samples.length >= 2, `got ${samples.length} samples`);
    const s = samples.at(-1) as { memoryRss: number; cpuUser: number };
    assert(s.memoryRss > 0 && s.cpuUser > 0);
  });
});

Deno.test("htex shutdown stops pools and removes the secret file", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-test-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({
    provider: manualPools(),
    heartbeatPeriod: 1,
    heartbeatThreshold: 5,
    maxWorkersPerNode: 1,
  });
  await htex.start(host);
  const pool = startPool(htex);
  try {
    await htex.submit(task("noop"));
    const secret = `${dir}/htex/secret`;
    assertEquals(Deno.statSync(secret).mode! & 0o777, 0o600);
    const slow = htex.submit(task("sleep", [60]));
    await htex.shutdown();
    await assertRejects(() => slow);
    assertEquals((await pool.status).code, 0, "the pool exits cleanly when told to stop");
    await waitFor(
      () => {
        try {
          Deno.statSync(secret);
          return false;
        } catch {
          return true;
        }
      },
      5,
      "secret removal",
    );
    assertEquals(await processesMatching(dir), []);
  } finally {
    await reap(pool);
    await host.logger.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
