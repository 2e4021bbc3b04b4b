// Parsl's parsl/tests/test_python_apps dataflow scenarios (basic calls, dependencies, map-reduce,
// fibonacci, errors from the body, deep dependency resolution, task records) on the
// ThreadPoolExecutor and the HighThroughputExecutor (see docs/parsl-conformance.md).
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { DEEP_DEPENDENCY_RESOLVER, DependencyError } from "../../mod.ts";
import { waitForFile } from "../dfk/fixtures/apps.ts";
import { addInputs, identity } from "./fixtures/parsl_apps.ts";
import {
  accumulateT,
  addAll,
  appendPaths,
  appendPathsDict,
  badImport,
  bFirst,
  chain,
  CustomException,
  customException,
  dictionaryChecker,
  double,
  extractDeep,
  fibonacci,
  getNum,
  importSquare,
  increment,
  ManufacturedTestFailure,
  mul,
  platformName,
  randomFail,
  slowIncrement,
} from "./fixtures/parsl_python_apps.ts";
import { onEveryExecutor } from "./_parsl_suite.ts";

onEveryExecutor("python apps: dataflow", async (t, { dfk, dir }) => {
  await t.step("test_basic: test_simple, test_imports, test_parallel_for", async () => {
    assertEquals(await double(2), 4);
    for (const n of [-2, -1, 0, 1, 2, 3]) assertEquals(await importSquare(n), n * n);
    for (const n of [0, 1, 2, 3, 5, 8, 13, 21]) {
      const d = new Map(Array.from({ length: n }, (_, i) => [i, double(i)]));
      assertEquals(d.size, n);
      for (const [i, f] of d) assertEquals(await f, 2 * i);
    }
  });
  await t.step("test_dependencies: test_diamond_dag", async () => {
    const a = identity(2) as Promise<number>;
    const b = mul(a, 3);
    const c = mul(a, 5);
    const d = mul(b, c);
    assertEquals(await identity(d), (2 * 3) * (2 * 5));
  });
  await t.step("test_dep_standard_futures: test_future_result_dependency", async () => {
    const plain = Promise.withResolvers<string>();
    const f = identity(plain.promise);
    assert(!f.done());
    plain.resolve("Test");
    assertEquals(await f, "Test");
  });
  await t.step("test_dependencies_deep: a 100-task chain on one unresolved future", async () => {
    const first = Promise.withResolvers<null>();
    let here = chain(first.promise);
    for (let i = 1; i < 100; i++) here = chain(here);
    first.resolve(null);
    assertEquals(await here, null);
  });
  await t.step("test_exception: an exported error class comes back as itself", async () => {
    const e = await assertRejects(() => customException(), CustomException, "foobar");
    assertEquals(e.name, "CustomException");
  });
  await t.step("test_fail: test_no_deps", async () => {
    const futs = [randomFail(1), randomFail(0), randomFail(0)];
    await assertRejects(() => futs[0], ManufacturedTestFailure, "App failure");
    assertEquals(await futs[1], undefined);
    assertEquals(await futs[2], undefined);
  });
  await t.step("test_fibonacci_iterative", async () => {
    const results: (number | Promise<number>)[] = [0, 1];
    for (let c = 1; c < 10; c++) results.push(getNum(results[c - 1], results[c]));
    assertEquals(await Promise.all(results), [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55]);
  });
  await t.step("test_fibonacci_recursive: a join app calling itself", async () => {
    assertEquals(await addAll(), 0);
    assertEquals(await fibonacci(0), 0);
    assertEquals(await fibonacci(4), 3);
    assertEquals(await fibonacci(6), 8);
  });
  await t.step("test_garbage_collect: a finished task leaves the kernel's table", async () => {
    const gate = `${dir}/gc-gate`;
    const x = waitForFile(gate);
    const y = waitForFile(x.then(() => gate));
    assertEquals(dfk.outstanding, 2);
    Deno.writeTextFileSync(gate, "");
    assertEquals(await y, true);
    assertEquals(await x, true);
    assertEquals(dfk.outstanding, 0);
  });
  await t.step("test_import_fail: test_name_error, test_import_error", async () => {
    await assertRejects(() => platformName(), ReferenceError, "platform");
    const e = await assertRejects(() => badImport());
    assert(/non_existent_module_1030509/.test((e as Error).message), (e as Error).message);
  });
  await t.step("test_mapred: test_mapred_type1 (inputs), test_mapred_type2 (args)", async () => {
    for (const width of [2, 3, 5]) {
      const expected = 2 * (width * (width - 1) / 2);
      const futs = Array.from({ length: width }, (_, i) => double(i));
      assertEquals(await addInputs.with({ inputs: futs })(), expected);
      const futs2 = Array.from({ length: width }, (_, i) => double(i));
      assertEquals(await accumulateT(...futs2), expected);
    }
  });
  await t.step("test_overview: test_1", async () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const total = addInputs.with({ inputs: items.map((i) => double(i)) })();
    assertEquals(await total, 2 * 45);
  });
  await t.step("test_simple: test_increment, test_slow_increment", async () => {
    for (
      const make of [
        (x: unknown) => increment(x as number),
        (x: unknown) => slowIncrement(x as number, 0.01),
      ]
    ) {
      const futs: unknown[] = [0];
      for (let i = 1; i < 5; i++) futs.push(make(futs[i - 1]));
      const xs = await Promise.all(futs.slice(1));
      assertEquals((xs as number[]).reduce((a, b) => a + b, 0), 1 + 2 + 3 + 4);
    }
  });
  await t.step("test_type5: results linked to one and to several earlier results", async () => {
    const depth = 2;
    let futs: unknown[] = Array.from({ length: depth }, (_, i) => double(i + 1));
    for (let i = 1; i < depth - 1; i++) futs = futs.map((f) => double(f as number));
    const last = await Promise.all(futs.map((f) => double(f as number)));
    assertEquals(last.reduce((a, b) => a + b, 0), 2 ** depth * (1 + 2));
    const width = 4;
    const mapped = Array.from({ length: width }, (_, i) => double(i + 1));
    const pairs = [];
    for (let i = 0; i < width; i += 2) pairs.push(addAll(mapped[i], mapped[i + 1]));
    const sums = await Promise.all(pairs);
    assertEquals(sums.reduce((a, b) => a + b, 0), 2 * (1 + 2 + 3 + 4));
  });
});

onEveryExecutor("python apps: test_pluggable_future_resolution (deep resolver)", async (t) => {
  await t.step("test_simple_pos_arg, test_tuple_pos_arg", async () => {
    const gate = Promise.withResolvers<number>();
    const s = identity(gate.promise) as Promise<number>;
    const fb = increment(s);
    const fFirst = bFirst([identity(gate.promise)] as unknown as number[]);
    gate.resolve(7);
    assertEquals(await fb, 8);
    assertEquals(await fFirst, 8);
  });
  await t.step("test_list_exception: a failed future in a list is a DependencyError", async () => {
    const failed = Promise.reject(new RangeError("artificial error"));
    failed.catch(() => {});
    const f = bFirst([failed] as unknown as number[]);
    await assertRejects(() => f, DependencyError);
    assertEquals(f.taskState, "dep_fail");
  });
  await t.step("test_resolving_iterables: arrays and Sets; test_resolving_dict: Maps", async () => {
    const o = () => [identity("test1"), identity("test2")] as unknown as string[];
    assertEquals(await appendPaths(o()), ["test1/end", "test2/end"]);
    assertEquals(
      await appendPaths(new Set(o()), "end"),
      new Set(["test1/end", "test2/end"]),
    );
    const [k, v] = o();
    assertEquals(
      await appendPathsDict(new Map([[k, v]])),
      new Map([["test1/end", "test2/end"]]),
    );
  });
  await t.step("test_deeper_list, test_deeper_list_and_tuple", async () => {
    const f = Promise.resolve(7);
    assertEquals(await extractDeep([[[[[f]]]]]), 7);
    assertEquals(await extractDeep([[[[[identity(7)]]]]]), 7);
  });
  await t.step(
    "test_dictionary, test_dictionary_later: futures as Map keys and values",
    async () => {
      const m = (k1: unknown, k2: unknown, v1: unknown) =>
        new Map<unknown, unknown>([[k1, [30, v1]], [k2, 20]]) as Map<string, unknown>;
      assertEquals(
        await dictionaryChecker(m(Promise.resolve("a"), Promise.resolve("b"), Promise.resolve(10))),
        null,
      );
      const [k1, k2, v1] = [
        Promise.withResolvers(),
        Promise.withResolvers(),
        Promise.withResolvers(),
      ];
      const f1 = dictionaryChecker(m(k1.promise, k2.promise, v1.promise));
      assert(!f1.done());
      k1.resolve("a");
      k2.resolve("b");
      v1.resolve(10);
      assertEquals(await f1, null);
    },
  );
}, { dependencyResolver: DEEP_DEPENDENCY_RESOLVER });
