// Parsl's parsl/tests/test_regression, test_serialization, test_threads and test_docs scenarios
// that share one kernel, on the ThreadPoolExecutor and the HighThroughputExecutor (see
// docs/parsl-conformance.md).
import { assert, assertEquals } from "../_assert.ts";
import { File, HighThroughputExecutor, load, LocalProvider } from "../../mod.ts";
import { waitForFile } from "../dfk/fixtures/apps.ts";
import { addInputs } from "./fixtures/parsl_apps.ts";
import {
  catLines,
  computeDescript,
  concat,
  divide,
  double,
  echoMessage,
  generate,
  generateOne,
  getFooX,
  getFooXBash,
  returnRange,
  save,
  total,
  workerIdentify,
  writeApp,
} from "./fixtures/parsl_python_apps.ts";
import { onEveryExecutor } from "./_parsl_suite.ts";

onEveryExecutor("regression, serialization, docs", async (t, { dfk, dir, executor }) => {
  await t.step("test_1480 / test_1653: a large typed array comes back whole", async () => {
    const x = await computeDescript(10 ** 6);
    assert(x instanceof Float32Array);
    assertEquals(x.length, 10 ** 6);
    assertEquals(x[999_999], 999_999);
    assertEquals((await computeDescript(100)).length, 100);
    assertEquals((await computeDescript(1000)).length, 1000);
  });
  await t.step("test_1606: waitForCurrentTasks while tasks finish under it", async () => {
    const [e1, e2] = [`${dir}/e1`, `${dir}/e2`];
    const fast1 = waitForFile(e1);
    const slow = waitForFile(e2);
    const fast2 = waitForFile(e1);
    let waited = false;
    const w = dfk.waitForCurrentTasks().then(() => waited = true);
    Deno.writeTextFileSync(e1, "");
    assertEquals(await fast1, true);
    assertEquals(await fast2, true);
    assert(!waited && !slow.done());
    Deno.writeTextFileSync(e2, "");
    await w;
    assert(slow.done());
  });
  await t.step("test_226: test_no_eq (a class instance as a default argument)", async () => {
    assertEquals(await getFooX("foo"), 1);
    assertEquals(await getFooXBash.with({ stdout: `${dir}/foo.out` })("foo"), 0);
    assertEquals(Deno.readTextFileSync(`${dir}/foo.out`), "1\n");
  });
  await t.step("test_2555: equal results are distinct objects", async () => {
    const f1 = returnRange(3);
    const r1 = await f1;
    const f2 = returnRange(3);
    const r2 = await f2;
    assert(f1 !== f2);
    assertEquals(r1, r2);
    assert(r1 !== r2);
  });
  await t.step("test_lazy_errors: each failure stays in its own future", async () => {
    const futures = Array.from({ length: 10 }, () => divide(10, 0));
    for (const f of futures) {
      assert((await f.exception()) instanceof RangeError);
      assert(f.done());
    }
  });
  await t.step(`test_configs (threads): ${executor} workers`, async () => {
    const d = await Promise.all(Array.from({ length: 2 }, (_, i) => workerIdentify(i)));
    assert(new Set(d.map((r) => r.tid)).size <= 2, "more workers than allowed");
    const pids = [...new Set(d.map((r) => r.pid))];
    // Thread-pool tasks run in the driver's process (Parsl: one process); HTEX tasks in worker
    // processes, one per worker.
    if (executor === "ThreadPoolExecutor") assertEquals(pids, [Deno.pid]);
    else assert(pids.length <= 2 && !pids.includes(Deno.pid), String(pids));
  });
  await t.step("test_from_slides: a bash app's output read by a function app", async () => {
    const hello = echoMessage.with({ outputs: [new File(`${dir}/hello1.txt`)] })("Hello World!");
    const message = catLines.with({ inputs: [hello.outputs[0]] })();
    assertEquals(await hello, 0);
    assertEquals(await message, ["Hello World!"]);
  });
  await t.step("test_kwargs: test_inputs, test_outputs", async () => {
    const mapped = [0, 1, 2].map((x) => double(x));
    assertEquals(await addInputs.with({ inputs: mapped })(), 6);
    const toWrite = [new File(`${dir}/output-0.txt`), new File(`${dir}/output-1.txt`)];
    await writeApp.with({ outputs: toWrite })("Hello!");
    for (const f of toWrite) assertEquals(Deno.readTextFileSync(f.filepath), "Hello!\n");
  });
  await t.step("test_workflow1: test_procedural", async () => {
    const message = generate(2);
    const saved = save.with({ outputs: [new File(`${dir}/output.txt`)] })(message);
    const item = Number(Deno.readTextFileSync((await saved.outputs[0]).filepath).trim());
    assert(item >= 1 && item <= 2, String(item));
  });
  await t.step("test_workflow4: test_parallel_dataflow", async () => {
    for (const width of [5, 10, 15]) {
      const outs = Array.from(
        { length: width },
        (_, i) => generateOne.with({ outputs: [new File(`${dir}/random-${width}-${i}.txt`)] })(),
      );
      const cc = concat.with({
        inputs: outs.map((o) => o.outputs[0]),
        outputs: [new File(`${dir}/all-${width}.txt`)],
      })();
      assertEquals(await total.with({ inputs: [cc.outputs[0]] })(), width);
    }
  });
});

Deno.test("HighThroughputExecutor: test_97_parallelism_0: one block still comes", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "tsflow-parsl-" }));
  const dfk = await load({
    executors: [
      new HighThroughputExecutor({
        label: "htex_local",
        provider: new LocalProvider({ initBlocks: 0, minBlocks: 0, maxBlocks: 1, parallelism: 0 }),
      }),
    ],
    strategy: "simple",
    strategyPeriod: 0.2,
    runDir: `${dir}/runinfo`,
  });
  try {
    assertEquals(await double(3.5), 7);
  } finally {
    await dfk.cleanup();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
