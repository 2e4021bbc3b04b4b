// Failures keep their whole story, on every executor (ThreadPool and HighThroughput): a memoized
// failure is the same failure (Parsl's test_memoize_exception), a DependencyError names every
// failed dependency and its cause is the root failure (test_depfail_propagation), a JoinError
// carries every inner failure with its task id (test_join).
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import {
  DependencyError,
  type Executor,
  HighThroughputExecutor,
  JoinError,
  load,
  LocalProvider,
  ThreadPoolExecutor,
} from "../../mod.ts";
import { add, addThenTwice, fail, twice } from "../dfk/fixtures/apps.ts";
import {
  countedFail,
  joinNothing,
  oneErrorOneResult,
  twoErrors,
  uncachedFail,
} from "../dfk/fixtures/failure_apps.ts";
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
      await t.step(
        "a DependencyError names every failed dependency; its cause is the root",
        async () => {
          const root = fail("Deliberate failure");
          const f2 = twice(root as never);
          const f3 = twice(f2);
          const other = fail("other failure");
          const f4 = add(f3, other as never);
          const e2 = await assertRejects(() => f2, DependencyError);
          assert(e2.message.includes(`task ${root.taskId}`), e2.message);
          const e4 = await assertRejects(() => f4, DependencyError);
          assertEquals(e4.dependentTaskIds, [f3.taskId, other.taskId]);
          assertEquals(e4.dependentExceptions.map((d) => d.taskId), [f3.taskId, other.taskId]);
          assert(e4.dependentExceptions[0].error instanceof DependencyError);
          assertEquals(e4.dependentExceptions[1].error.message, "other failure");
          const cause = e4.cause as Error;
          assert(!(cause instanceof DependencyError));
          assertEquals(cause.message, "Deliberate failure");
          assert(cause === (await root.exception()), "the root failure itself");
          assert(
            e4.message.includes(
              `via task ${f3.taskId} (+ others) <- task ${f2.taskId} <- task ${root.taskId}`,
            ),
            e4.message,
          );
          for (const f of [f2, f3, f4]) assertEquals(f.task.state, "dep_fail");
        },
      );
      await t.step("a JoinError carries every inner failure with its task id", async () => {
        const e = await assertRejects(() => twoErrors(), JoinError);
        assertEquals(e.dependentExceptions.map((d) => d.error.message), ["Error A", "Error B"]);
        const ids = e.dependentExceptions.map((d) => d.taskId);
        assert(ids.every((id) => id >= 0) && ids[0] !== ids[1], String(ids));
        assertEquals(e.dependentTaskIds, ids);
        assertEquals((e.cause as Error).message, "Error A");
        const one = await assertRejects(() => oneErrorOneResult(), JoinError);
        assertEquals(one.dependentExceptions.length, 1);
        assertEquals(one.dependentExceptions[0].error.message, "Error A");
      });
      await t.step(
        "a join app joining nothing gives []; a task may depend on a join app",
        async () => {
          assertEquals(await joinNothing(), []);
          assertEquals(await twice(addThenTwice(5)), 40);
        },
      );
    } finally {
      await dfk.cleanup();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
