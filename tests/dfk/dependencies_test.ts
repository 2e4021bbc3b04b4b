import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { DEEP_DEPENDENCY_RESOLVER, DependencyError, File, SerializationError } from "../../mod.ts";
import { add, counted, echo, fail, sum, twice, writeOut } from "./fixtures/apps.ts";
import { count, EventLog, withKernel } from "./_helpers.ts";

Deno.test("an app call returns a future at once and twice(add(5, 3)) is 16", async () => {
  await withKernel({}, async () => {
    const inner = add(5, 3);
    const outer = twice(inner);
    assert(typeof inner.taskId === "number" && outer.taskId > inner.taskId);
    assertEquals(await outer, 16);
    assert(inner.done() && outer.done());
    assertEquals(await outer.result(), 16);
    assertEquals(await outer.exception(), undefined);
  });
});

Deno.test("a task waits for futures and plain promises in its positional arguments", async () => {
  await withKernel({}, async () => {
    let release!: (v: number) => void;
    const gate = new Promise<number>((r) => release = r);
    const f = add(gate, add(1, 1));
    await new Promise((r) => setTimeout(r, 50));
    assertEquals(f.done(), false);
    assertEquals(f.taskState, "pending");
    release(40);
    assertEquals(await f, 42);
  });
});

Deno.test("the deep resolver finds futures inside arrays, objects, Maps and Sets", async () => {
  await withKernel({ dependencyResolver: DEEP_DEPENDENCY_RESOLVER }, async () => {
    assertEquals(await sum([add(1, 1), 3, add(2, 2)] as never), 9);
    const v = await echo({
      a: [add(1, 2)],
      m: new Map([["k", add(3, 4)]]),
      s: new Set([add(0, 5)]),
    }) as {
      a: number[];
      m: Map<string, number>;
      s: Set<number>;
    };
    assertEquals(v.a, [3]);
    assertEquals(v.m.get("k"), 7);
    assert(v.s.has(5));
  });
});

Deno.test("the shallow resolver rejects a future nested in an array, naming the argument", async () => {
  await withKernel({}, async () => {
    const err = await assertRejects(() => sum([add(1, 1)] as never), SerializationError);
    assert(err.message.includes("args[0][0]"), err.message);
    assert(err.message.includes("DEEP_DEPENDENCY_RESOLVER"));
  });
});

Deno.test("a task waits for DataFutures given as inputs and sees them as Files", async () => {
  await withKernel({}, async (_dfk, dir) => {
    const out = new File(`${dir}/made.txt`);
    const producer = writeOut.with({ outputs: [out] })("payload");
    const reader = echo.with({ inputs: [producer.outputs[0]] })("x");
    assertEquals(await reader, "x");
    assertEquals(Deno.readTextFileSync(out.filepath).trim(), "payload");
    assertEquals((await producer.outputs[0]).url, out.url);
  });
});

Deno.test("a failed dependency fails its dependents as dep_fail without running them", async () => {
  const log = new EventLog();
  await withKernel({ monitoring: log }, async (_dfk, dir) => {
    const counter = `${dir}/count`;
    const bad = fail("root cause");
    const mid = counted(counter, bad as never);
    const leaf = twice(mid);
    const e1 = await assertRejects(() => mid, DependencyError);
    assertEquals(e1.dependentTaskIds, [bad.taskId]);
    assertEquals((e1.cause as Error).message, "root cause");
    const e2 = await assertRejects(() => leaf, DependencyError);
    assertEquals(e2.dependentTaskIds, [mid.taskId]);
    assertEquals(count(counter), 0);
    assertEquals(log.states(mid.taskId), ["pending", "dep_fail"]);
    assertEquals(log.states(leaf.taskId), ["pending", "dep_fail"]);
  });
});
