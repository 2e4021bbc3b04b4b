// Failures keep their whole story, on every executor (ThreadPool and HighThroughput): a memoized
// failure is the same failure (Parsl's test_memoize_exception), a DependencyError names every
// failed dependency and its cause is the root failure (test_depfail_propagation), a JoinError
// carries every inner failure with its task id (test_join).
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import {
  type Executor,
  HighThroughputExecutor,
  load,
  LocalProvider,
  ThreadPoolExecutor,
} from "../../mod.ts";
import { countedFail, uncachedFail } from "../dfk/fixtures/failure_apps.ts";
import { count } from "../dfk/_helpers.ts";

const executors: [string, () => Executor][] = [
  ["ThreadPoolExecutor", () => new ThreadPoolExecutor({ label: "conf", maxThreads: 2 })],
  ["HighThroughputExecutor", () =>
    new HighThroughputExecutor({
      label: "conf",
      maxWorkersPerNode: 2,
      heartbeatPeriod: 1,
      heartbeatThreshold: 5,
      provider: new LocalProvider({ initBlocks: 1, minBlocks: 0, maxBlocks: 1 }),
    })],
];

for (const [name, make] of executors) {
  Deno.test(`${name}: memoized failures, dependency and join failures keep their story`, async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "tsflow-failures-" });
    const dfk = await load({ executors: [make()], runDir: `${dir}/runinfo`, strategy: "none" });
    try {
      await t.step("a cache: true app's failure is given again to a repeated call", async () => {
        const c = `${dir}/cached`;
        const first = await assertRejects(() => countedFail(c, "boom"), RangeError);
        for (let i = 0; i < 2; i++) {
          const again = countedFail(c, "boom");
          assert((await assertRejects(() => again, RangeError)) === first, "the same error");
          assertEquals(again.task.state, "failed");
        }
        assertEquals(count(c), 1, "the app ran once");
        await assertRejects(() => countedFail(c, "other"), RangeError);
        assertEquals(count(c), 2, "other arguments run");
      });
      await t.step("an uncached app's failure is not reused", async () => {
        const c = `${dir}/uncached`;
        const a = await assertRejects(() => uncachedFail(c, "boom"), RangeError);
        const b = await assertRejects(() => uncachedFail(c, "boom"), RangeError);
        assert(a !== b && a.message !== b.message);
        assertEquals(count(c), 2);
      });
    } finally {
      await dfk.cleanup();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
