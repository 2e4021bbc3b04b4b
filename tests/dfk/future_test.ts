// Futures are native Promises: adopted as they are by Promise.resolve, Promise.all and await,
// their then/catch/finally make plain Promises, listeners stay synchronous, and a failed future
// nobody observes is no unhandled rejection.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { File, load, ThreadPoolExecutor } from "../../mod.ts";
import { AppFuture, DataFuture, Future, type TaskView } from "../../dfk/future.ts";
import { pyRepr } from "../../dfk/_py_repr.ts";
import { add, fail } from "./fixtures/apps.ts";

const view = (id: number): TaskView => ({
  id,
  state: "pending",
  tryId: 0,
  failHistory: [],
  executor: "threads",
});
const kinds = () => [
  new Future<unknown>(),
  new AppFuture<unknown>(view(1)),
  new DataFuture(new File("/tmp/x.txt"), 2),
];

Deno.test("Promise.resolve adopts a future as it is: no wrapper per future", () => {
  for (const f of kinds()) {
    assert(f instanceof Promise);
    assert(Promise.resolve(f) === f, `${pyRepr(f)} was wrapped`);
    assertEquals(f.constructor, Promise);
    assertEquals(Object.prototype.toString.call(f), "[object Future]");
  }
});

Deno.test("await, Promise.all, race and allSettled give a future's value and error", async () => {
  const [a, b, c] = [new Future<number>(), new AppFuture<number>(view(1)), new Future<number>()];
  const all = Promise.all([a, b]);
  const race = Promise.race([c, a]);
  a.setResult(1);
  b.setResult(2);
  assertEquals(await all, [1, 2]);
  assertEquals(await race, 1);
  assertEquals(await a, 1);

  const boom = new Error("boom");
  const [d, e] = [new Future<number>(), new DataFuture(new File("/tmp/y.txt"), 3)];
  const failedAll = Promise.all([d, e]);
  const failedRace = Promise.race([e, new Future<never>()]);
  e.setException(boom);
  assert((await assertRejects(() => failedAll)) === boom);
  assert((await assertRejects(() => failedRace)) === boom);
  assert((await assertRejects(() => e)) === boom);
  d.setResult(4);
  const settled = await Promise.allSettled([d, e]);
  assertEquals(settled, [
    { status: "fulfilled", value: 4 },
    { status: "rejected", reason: boom },
  ]);
});

Deno.test("a failure observed long after it happened still rejects with its error", async () => {
  const f = new Future<number>();
  f.setException(new Error("late"));
  await new Promise((r) => setTimeout(r, 0));
  assertEquals((await assertRejects(() => f)).message, "late");
  assertEquals((await assertRejects(() => f.result())).message, "late");
  assertEquals((await f.exception())?.message, "late");
});

Deno.test("then, catch and finally return plain Promises", async () => {
  const f = new Future<number>();
  const g = new Future<number>();
  const derived = [f.then((v) => v + 1), f.catch(() => 0), f.finally(() => {}), g.catch(() => 0)];
  for (const p of derived) {
    assertEquals(Object.getPrototypeOf(p), Promise.prototype);
    assert(!(p instanceof Future));
  }
  f.setResult(1);
  g.setException(new Error("g"));
  assertEquals(await Promise.all(derived), [2, 1, 1, 0]);
});

Deno.test("onDone listeners run synchronously, in order, once", () => {
  const f = new Future<string>();
  const seen: string[] = [];
  f.onDone((x) => seen.push(`a:${x.outcome?.ok}`));
  f.onDone(() => seen.push("b"));
  assertEquals(f.done(), false);
  assertEquals(f.outcome, undefined);
  f.setResult("v");
  assertEquals(seen, ["a:true", "b"]);
  f.onDone(() => seen.push("c")); // already done: at once
  assertEquals(seen, ["a:true", "b", "c"]);
  f.setResult("w");
  f.setException(new Error("ignored"));
  assertEquals(f.outcome, { ok: true, value: "v" });
  assertEquals(seen.length, 3);

  const e = new Error("x");
  const g = new Future<string>();
  g.onDone((x) => seen.push(`g:${x.outcome?.ok}`));
  g.setException(e);
  assertEquals(seen[3], "g:false");
  assertEquals(g.outcome, { ok: false, error: e });
  g.setResult("ignored");
  assertEquals(g.outcome, { ok: false, error: e });
});

Deno.test("result() and exception() of a succeeded future", async () => {
  const f = new Future<number>();
  f.setResult(7);
  assertEquals(await f.result(), 7);
  assertEquals(await f.exception(), undefined);
});

Deno.test("a pending future's repr names its kind", () => {
  const [f, a, d] = kinds();
  assertEquals(pyRepr(f), "<Future state=pending>");
  assertEquals(pyRepr(a), "<AppFuture state=pending>");
  assertEquals(pyRepr(d), "<DataFuture state=pending>");
});

Deno.test("AppFutures from the kernel are adopted by Promise.all as they are", async () => {
  const runDir = await Deno.makeTempDir({ prefix: "tsflow-test-" });
  try {
    await using _dfk = await load({
      executors: [new ThreadPoolExecutor({ maxThreads: 2 })],
      runDir,
      initializeLogging: false,
    });
    const fs = [add(1, 2), add(3, 4)];
    assert(fs.every((f) => Promise.resolve(f) === f));
    assertEquals(await Promise.all(fs), [3, 7]);
    assertEquals((await assertRejects(() => Promise.all([add(0, 0), fail("no")]))).message, "no");
  } finally {
    await Deno.remove(runDir, { recursive: true });
  }
});

const unobserved = new URL("./fixtures/unobserved_failures.ts", import.meta.url).pathname;
const runUnobserved = async (...args: string[]) => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", unobserved, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, text };
};

Deno.test("a failed future nobody observes is no unhandled rejection", async () => {
  const { code, text } = await runUnobserved();
  assertEquals(code, 0, text);
  assert(!text.includes("Uncaught"), text);
  assert(text.includes("finished"), text);
  // The control: an unobserved plain rejection does kill such a process.
  const control = await runUnobserved("--control");
  assert(control.code !== 0 && control.text.includes("Uncaught"), control.text);
});
