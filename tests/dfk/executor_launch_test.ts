// Executor.launch: the kernel's way to hand a try to an executor without a Promise per task,
// and what an in-flight task costs the kernel in memory.
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import { load } from "../../mod.ts";
import type { Executor, ExecutorTask, TaskSink } from "../../mod.ts";
import { fail, noop } from "../fixtures/htex_apps.ts";
import { waitFor, within } from "../_wait.ts";

/** Holds every try until the test ends it; `submit` must not be used when `launch` exists. */
class HoldingExecutor implements Executor {
  readonly label = "holding";
  held: { task: ExecutorTask; sink: TaskSink; token: unknown }[] = [];
  async start() {}
  submit(): Promise<unknown> {
    throw new Error("submit used although launch exists");
  }
  launch(task: ExecutorTask, sink: TaskSink, token: unknown): void {
    this.held.push({ task, sink, token });
  }
  async shutdown() {}
}

Deno.test("the kernel launches through Executor.launch: results, retries and sink.task", async () => {
  const ex = new HoldingExecutor();
  await using _dfk = await load({ executors: [ex], retries: 1, runDir: Deno.makeTempDirSync() });
  const f = fail("first try");
  // The app's reference is found first (a module scan, asynchronous).
  await waitFor(() => ex.held.length === 1, 10, "the first launch");
  const first = ex.held.shift()!;
  assert.equal(first.task.tryId, 0);
  // While the try is in flight, the sink gives the task again (an executor that held it back).
  assert.equal(first.sink.task?.(first.token)?.id, first.task.id);
  first.sink.settled(first.token, false, new Error("first try"));
  // The retry comes as a new launch, try 1.
  assert.equal(ex.held.length, 1);
  const second = ex.held.shift()!;
  assert.equal(second.task.tryId, 1);
  second.sink.settled(second.token, true, 42);
  assert.equal(await within(f, 10, "the retried task"), 42);
  assert.equal(f.task.failHistory.length, 1);
  assert.equal(f.taskState, "exec_done");
  // Once the try has ended, there is no task to give.
  assert.equal(second.sink.task?.(second.token), undefined);
});

Deno.test("a task in flight costs the kernel a few hundred bytes of heap", async () => {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  // Keeps only each try's token and sink: what is measured is the kernel's record of the task,
  // its future and the kernel's tables.
  const tokens: unknown[] = [];
  let sink!: TaskSink;
  const ex: Executor = {
    label: "tokens",
    start: async () => {},
    submit: () => Promise.reject(new Error("submit used although launch exists")),
    launch(_task, s, token) {
      sink = s;
      tokens.push(token);
    },
    shutdown: async () => {},
  };
  await using _dfk = await load({ executors: [ex], runDir: Deno.makeTempDirSync() });
  const warm = noop();
  await waitFor(() => tokens.length === 1, 10, "the first launch");
  sink.settled(tokens.pop(), true, null);
  await warm;
  const n = 50_000;
  const futures: PromiseLike<unknown>[] = new Array(n);
  tokens.length = n;
  tokens.length = 0;
  gc();
  const before = Deno.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) futures[i] = noop();
  gc();
  const perTask = (Deno.memoryUsage().heapUsed - before) / n;
  assert.equal(tokens.length, n);
  // Measured ~310 bytes; ~900 by a heap snapshot before (a record with every field, its own
  // empty lists and options, a Promise and two callbacks per try).
  assert(perTask < 450, `${Math.round(perTask)} bytes per task in flight`);
  for (const t of tokens) sink.settled(t, true, null);
  await within(Promise.all(futures), 20, "the tasks");
});
