// One suite of task behaviours, run against every executor (ThreadPool and HighThroughput):
// results, errors, retries, dependencies, bash apps, join apps, walltime, memoization.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import {
  AppTimeout,
  BashExitFailure,
  DependencyError,
  type Executor,
  File,
  HighThroughputExecutor,
  JoinError,
  load,
  LocalProvider,
  RemoteError,
  ThreadPoolExecutor,
} from "../../mod.ts";
import {
  add,
  counted,
  exitWith,
  fail,
  hello,
  incAll,
  spin,
  twice,
  waitForFile,
  writeOut,
} from "../dfk/fixtures/apps.ts";
import { flaky, hidden, judge, QualityError } from "../dfk/fixtures/flaky.ts";
import { failingJoin } from "../dfk/fixtures/join_apps.ts";
import { Sample, sampleSize } from "../dfk/fixtures/memo_apps.ts";
import { waitFor } from "../_wait.ts";

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
  Deno.test(`${name}: results, errors, retries, dependencies, bash and join apps, walltime, memo`, async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "tsflow-conformance-" });
    const dfk = await load({
      executors: [make()],
      runDir: `${dir}/runinfo`,
      retries: 2,
      strategy: "none",
    });
    try {
      await t.step("results and dependencies", async () => {
        assertEquals(await twice(add(5, 3)), 16);
        const many = Array.from({ length: 200 }, (_, i) => add(i, 1));
        assertEquals((await Promise.all(many)).reduce((a, b) => a + b, 0), 20100);
      });
      await t.step("a task counts as running while its body runs, with no monitoring", async () => {
        const go = `${dir}/go`;
        const f = waitForFile(go);
        await waitFor(() => dfk.counts().running === 1, 30, "the task to count as running");
        await Deno.writeTextFile(go, "");
        assertEquals(await f, true);
        assertEquals(dfk.counts().running, 0);
      });
      await t.step("errors come back with their class, message and cause", async () => {
        const e = await assertRejects(() => judge(1), QualityError);
        assertEquals(e.score, 1);
        assert(e.cause instanceof RangeError);
        assertEquals((await assertRejects(() => hidden(), RemoteError)).remoteName, "HiddenError");
      });
      await t.step("retries, then success", async () => {
        assertEquals(await flaky(`${dir}/flaky`, 2), 3);
      });
      await t.step("a failed dependency fails its dependents", async () => {
        const e = await assertRejects(() => twice(fail("x") as never), DependencyError);
        assertEquals(e.dependentTaskIds.length, 1);
      });
      await t.step("bash apps: output files and exit codes", async () => {
        const out = `${dir}/hello.out`;
        assertEquals(await hello.with({ stdout: out })("conformance"), 0);
        assertEquals(Deno.readTextFileSync(out), "hello conformance\n");
        assertEquals((await assertRejects(() => exitWith(4), BashExitFailure)).exitCode, 4);
        const f = new File(`${dir}/w.txt`);
        await writeOut.with({ outputs: [f] })("file");
        assertEquals(Deno.readTextFileSync(f.filepath), "file\n");
      });
      await t.step("join apps", async () => {
        assertEquals(await incAll([1, 2]), [2, 3]);
        await assertRejects(() => failingJoin(), JoinError);
      });
      await t.step("walltime stops the task, the executor keeps serving", async () => {
        await assertRejects(() => spin.with({ walltime: 0.5 })(30_000), AppTimeout);
        assertEquals(await add(2, 2), 4);
      });
      await t.step("a type the workflow registers travels as itself", async () => {
        assertEquals(await sampleSize(new Sample("s", 7)), 7);
      });
      await t.step("memoized calls run once", async () => {
        const c = `${dir}/memo`;
        assertEquals(await Promise.all([counted(c, 7), counted(c, 7)]), [70, 70]);
        assertEquals(Deno.readTextFileSync(c).length, 1);
      });
    } finally {
      await dfk.cleanup();
    }
  });
}
