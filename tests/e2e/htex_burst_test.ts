// A burst through the kernel and a real HTEX: more tasks at once than the interchange's writer
// takes (WRITER_BACKLOG), so most wait in the executor's outbox as numbers and their messages are
// made from the kernel's record when their turn comes.
import { assert, assertEquals } from "../_assert.ts";
import { load } from "../../dfk/load.ts";
import { TaskCancelled } from "../../dfk/errors.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { WRITER_BACKLOG } from "../../interchange/_task_outbox.ts";
import { LocalProvider } from "../../providers/local_provider.ts";
import { add, noop } from "../fixtures/htex_flow.ts";
import { within } from "../_wait.ts";

const FAST = { heartbeatPeriod: 0.5, heartbeatThreshold: 10, maxWorkersPerNode: 2 };
const N = WRITER_BACKLOG * 2 + 500;

Deno.test("a burst past the writer's backlog: every task runs once and each future gets its own value", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-burst-" });
  try {
    const htex = new HighThroughputExecutor({
      ...FAST,
      provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
    });
    await using dfk = await load({ executors: [htex], runDir: `${dir}/runinfo` });
    await add(0, 0); // the app's reference resolved: the burst below launches at once
    const futures = Array.from({ length: N }, (_, i) => add(i, 1));
    const values = await within(Promise.all(futures), 120, "the burst");
    values.forEach((v, i) => assertEquals(v, i + 1));
    assertEquals(dfk.counts().exec_done, N + 1);
    assertEquals(htex.outstanding(), 0);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a burst cut short by cleanup: tasks still waiting in the outbox end as TaskCancelled, none hangs", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-burst-" });
  try {
    const htex = new HighThroughputExecutor({
      ...FAST,
      provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
    });
    const dfk = await load({ executors: [htex], runDir: `${dir}/runinfo` });
    await noop();
    const futures = Array.from({ length: N }, () => noop());
    await within(dfk.cleanup(), 60, "cleanup");
    const outcomes = await within(
      Promise.allSettled(futures),
      30,
      "every future of the burst to settle",
    );
    let cancelled = 0;
    for (const o of outcomes) {
      if (o.status === "rejected") {
        assert(o.reason instanceof TaskCancelled, `unexpected error: ${o.reason}`);
        cancelled++;
      }
    }
    // Most never left the driver: cleanup came before the writer had room for them.
    assert(cancelled > 0, "no task was cancelled");
    assertEquals(htex.outstanding(), 0);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
