// Values larger than maxFrameBytes fail their task at once with an error naming the limit and
// the setting that raises it, on every link; they never hang the task.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { SerializationError } from "../../dfk/errors.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { makeHost, manualPools, reap, startPool, task } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor, within } from "../_wait.ts";

const LIMIT = 256 * 1024;

async function withPool(body: (htex: HighThroughputExecutor) => Promise<void>): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "htex-oversize-" });
  const host = makeHost(dir);
  // Heartbeats far apart: a task that hung would hang the test, never time out as something else.
  const htex = new HighThroughputExecutor({
    provider: manualPools(),
    maxWorkersPerNode: 1,
    maxFrameBytes: LIMIT,
    heartbeatPeriod: 30,
    heartbeatThreshold: 120,
  });
  await htex.start(host);
  const pool = startPool(htex);
  try {
    await body(htex);
  } finally {
    await htex.shutdown();
    await reap(pool);
    await host.logger.close();
    await waitFor(async () => (await processesMatching(dir)).length === 0, 10, "no leftovers");
    Deno.removeSync(dir, { recursive: true });
  }
}

/** Settles `p` or fails the test after `seconds` (a hung task must not hang the test). */
const bounded = <T>(p: Promise<T>, seconds = 60): Promise<T> => within(p, seconds, "the task");

function namesTheLimit(e: Error): void {
  assert(e.message.includes(`maxFrameBytes (${LIMIT} bytes)`), e.message);
  assert(e.message.includes("Raise the HighThroughputExecutor's maxFrameBytes"), e.message);
}

Deno.test("a result over maxFrameBytes fails its task at once, naming the limit and the setting", async () => {
  await withPool(async (htex) => {
    // Over the limit on the first link it meets (worker → manager).
    const e = await assertRejects(
      () => bounded(htex.submit(task("big", [LIMIT * 2]))),
      SerializationError,
    );
    namesTheLimit(e);
    assert(e.message.includes("the task's return value"), e.message);
    // The worker and pool are fine: the next task runs.
    assertEquals(await htex.submit(task("add", [1, 2])), 3);
  });
});

Deno.test("a result that fits the worker's frame but not the pool's relay still fails at once", async () => {
  await withPool(async (htex) => {
    // Sizes in 2-byte steps across the limit: some fit the worker's frame but not the
    // manager's relay (which adds the task's start) or the interchange's (which adds the
    // pool's place). Each settles: a value, or the error naming the limit.
    const sizes = Array.from({ length: 100 }, (_, i) => LIMIT - 2 * i);
    const results = await bounded(
      Promise.allSettled(sizes.map((n) => htex.submit(task("big", [n])))),
    );
    let failed = 0;
    for (const [i, r] of results.entries()) {
      if (r.status === "rejected") {
        namesTheLimit(r.reason as Error);
        failed++;
      } else assertEquals((r.value as string).length, sizes[i]);
    }
    assert(failed > 0 && failed < sizes.length, `${failed} of ${sizes.length} failed`);
  });
});

Deno.test("task arguments over maxFrameBytes fail the task at once, naming the limit", async () => {
  await withPool(async (htex) => {
    const e = await assertRejects(
      () => bounded(htex.submit(task("add", ["x".repeat(LIMIT * 2), 1]))),
      SerializationError,
    );
    namesTheLimit(e);
    assert(e.message.includes("the task's arguments"), e.message);
    assertEquals(await htex.submit(task("add", [2, 2])), 4);
  });
});
