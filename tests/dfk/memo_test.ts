import { assert, assertEquals, assertRejects } from "../_assert.ts";
import {
  app,
  BadCheckpoint,
  getAllCheckpoints,
  getLastCheckpoint,
  idForMemo,
  load,
  MemoKeyError,
} from "../../mod.ts";
import { appDefinition } from "../../dfk/app.ts";
import { memoKey } from "../../dfk/memoizer.ts";
import { CheckpointWriter, loadCheckpoints } from "../../dfk/checkpoint.ts";
import { counted, echo } from "./fixtures/apps.ts";
import { cachedJoin, countedFail } from "./fixtures/failure_apps.ts";
import {
  cachedIgnoring,
  FailingMemoizable,
  FailingMemoizerTestError,
  joinWith,
  noopCached,
  Sample,
  sampleSize,
  someFunc,
  unregistered,
  Unruled,
} from "./fixtures/memo_apps.ts";
import { count, EventLog, withKernel } from "./_helpers.ts";

Deno.test("cache: true apps with identical arguments run once per run", async () => {
  const log = new EventLog();
  await withKernel({ monitoring: log }, async (_dfk, dir) => {
    const c = `${dir}/c`;
    const a = counted(c, 1), b = counted(c, 1), d = counted(c, 2);
    assertEquals([await a, await b, await d], [10, 10, 20]);
    assertEquals(count(c), 2);
    assert(log.states(b.taskId).includes("memo_done"));
  });
});

Deno.test("appCache: false turns memoization off", async () => {
  await withKernel({ appCache: false }, async (_dfk, dir) => {
    await Promise.all([counted(`${dir}/c`, 1), counted(`${dir}/c`, 1)]);
    assertEquals(count(`${dir}/c`), 2);
  });
});

Deno.test("ignoreForCache leaves named arguments out of the key", async () => {
  await withKernel({}, async (_dfk, dir) => {
    const c = `${dir}/c`;
    assertEquals(await cachedIgnoring(c, 5, "first"), 5);
    assertEquals(await cachedIgnoring(c, 5, "second"), 5);
    assertEquals(count(c), 1);
  });
});

Deno.test("memo keys go through idForMemo; a type with no rule is a clear error", async () => {
  await withKernel({}, async () => {
    const e = await assertRejects(() => unregistered(new Unruled()), MemoKeyError);
    assert(e.message.includes("args[0]") && e.message.includes("idForMemo.register"), e.message);
    assertEquals(await sampleSize(new Sample("a", 3)), 3);
  });
  assertEquals(idForMemo.of(new Sample("a", 1)), idForMemo.of(new Sample("a", 2)));
});

Deno.test("test_memoize_bad_id_for_memo: no rule, or a rule that throws, fails the task; also after a dependency", async () => {
  await withKernel({}, async () => {
    // test_python_unmemoizable / _after_dep: Parsl's ValueError is MemoKeyError here.
    await assertRejects(() => noopCached(new Unruled()), MemoKeyError);
    await assertRejects(
      () => noopCached.with({ inputs: [someFunc(1)] })(new Unruled()),
      MemoKeyError,
    );
    // test_python_failing_memoizer / _afer_dep: the rule's own error reaches the caller.
    await assertRejects(() => noopCached(new FailingMemoizable()), FailingMemoizerTestError);
    await assertRejects(
      () => noopCached.with({ inputs: [someFunc(1)] })(new FailingMemoizable()),
      FailingMemoizerTestError,
      "Deliberate memoizer failure",
    );
  });
});

Deno.test("the memo key holds the app's module and export name, not its source", () => {
  const def = appDefinition(echo)!;
  const ref = { module: "file:///a/flow.ts", export: "echo" };
  const k1 = memoKey(def, ref, [1], {});
  assertEquals(memoKey({ ...def, fn: (v: unknown) => [v] }, ref, [1], {}), k1);
  assert(memoKey(def, { ...ref, export: "other" }, [1], {}) !== k1);
  assert(memoKey(def, { ...ref, module: "file:///b/flow.ts" }, [1], {}) !== k1);
  assert(memoKey(def, ref, [2], {}) !== k1);
});

Deno.test("a second run given the first run's checkpoint completes tasks as memo_done without running them", async () => {
  const dir = await Deno.makeTempDir();
  const c = `${dir}/c`;
  const runDir = `${dir}/runinfo`;
  {
    await using _dfk = await load({ runDir, checkpointMode: "task_exit" });
    assertEquals(await Promise.all([counted(c, 1), counted(c, 2)]), [10, 20]);
  }
  assertEquals(count(c), 2);
  assertEquals(getAllCheckpoints(runDir).length, 1);
  const log = new EventLog();
  {
    await using _dfk = await load({
      runDir,
      checkpointFiles: getLastCheckpoint(runDir),
      monitoring: log,
    });
    const f = counted(c, 2);
    assertEquals(await Promise.all([counted(c, 1), f, counted(c, 3)]), [10, 20, 30]);
    assertEquals(log.states(f.taskId), ["pending", "memo_done"]);
  }
  assertEquals(count(c), 3); // only counted(c, 3) ran
});

Deno.test("with a checkpoint mode and no checkpointFiles a run loads every earlier run's checkpoint", async () => {
  // Parsl's test_get_all_checkpoints: the default is get_all_checkpoints(run_dir).
  const dir = await Deno.makeTempDir();
  const c = `${dir}/c`;
  const runDir = `${dir}/runinfo`;
  {
    await using _dfk = await load({ runDir, checkpointMode: "task_exit" });
    assertEquals(await counted(c, 1), 10);
  }
  {
    await using _dfk = await load({ runDir, checkpointMode: "dfk_exit" });
    assertEquals(await Promise.all([counted(c, 1), counted(c, 2)]), [10, 20]);
  }
  assertEquals(count(c), 2, "the second run reused the first run's result");
  const log = new EventLog();
  {
    await using _dfk = await load({ runDir, checkpointMode: "manual", monitoring: log });
    const fs = [counted(c, 1), counted(c, 2)];
    assertEquals(await Promise.all(fs), [10, 20]);
    for (const f of fs) assertEquals(log.states(f.taskId), ["pending", "memo_done"]);
  }
  assertEquals(count(c), 2, "the third run reused both earlier runs' results");
  {
    await using _dfk = await load({ runDir });
    assertEquals(await counted(c, 1), 10);
  }
  assertEquals(count(c), 3, "without a checkpoint mode nothing is loaded");
  {
    await using _dfk = await load({ runDir, checkpointMode: "task_exit", checkpointFiles: [] });
    assertEquals(await counted(c, 2), 20);
  }
  assertEquals(count(c), 4, "checkpointFiles: [] loads nothing");
});

Deno.test("every run with a checkpoint mode leaves a checkpoint directory, even an empty one, the next run may be given", async () => {
  const dir = await Deno.makeTempDir();
  const runDir = `${dir}/runinfo`;
  for (const checkpointMode of ["task_exit", "periodic", "dfk_exit", "manual"] as const) {
    const dfk = await load({ runDir, checkpointMode, checkpointFiles: [] });
    const ck = `${dfk.runDir}/checkpoint`;
    await dfk.cleanup();
    assertEquals(loadCheckpoints([ck]).results.size, 0, checkpointMode);
    await using _next = await load({ runDir, checkpointFiles: [ck] });
  }
  assertEquals(getAllCheckpoints(runDir).length, 4);
  await using _last = await load({ runDir, checkpointMode: "task_exit" });
});

Deno.test("checkpoint modes: dfk_exit writes at cleanup, manual on dfk.checkpoint(), periodic on a timer", async () => {
  const dir = await Deno.makeTempDir();
  const runDir = `${dir}/runinfo`;
  const records = (d: string) => loadCheckpoints([d]).results.size;
  {
    const dfk = await load({ runDir, checkpointMode: "dfk_exit" });
    await counted(`${dir}/c`, 1);
    const ck = `${dfk.runDir}/checkpoint`;
    assertEquals(getAllCheckpoints(runDir).length, 0);
    await dfk.cleanup();
    assertEquals(records(ck), 1);
  }
  {
    await using dfk = await load({ runDir, checkpointMode: "manual" });
    await counted(`${dir}/c`, 2);
    assertEquals(getAllCheckpoints(runDir).length, 1);
    assertEquals(records(dfk.checkpoint()!), 1);
  }
  {
    await using dfk = await load({ runDir, checkpointMode: "periodic", checkpointPeriod: 0.2 });
    await counted(`${dir}/c`, 3);
    const deadline = Date.now() + 10_000;
    while (getAllCheckpoints(runDir).length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assertEquals(records(`${dfk.runDir}/checkpoint`), 1);
  }
});

Deno.test("a truncated checkpoint loads its intact records and warns; a corrupt one is BadCheckpoint", async () => {
  const dir = await Deno.makeTempDir();
  const runDir = `${dir}/runinfo`;
  {
    await using _dfk = await load({ runDir, checkpointMode: "task_exit" });
    await Promise.all([counted(`${dir}/c`, 1), counted(`${dir}/c`, 2), counted(`${dir}/c`, 3)]);
  }
  const [ck] = getLastCheckpoint(runDir);
  const file = `${ck}/tasks.ckpt`;
  const bytes = Deno.readFileSync(file);
  Deno.writeFileSync(file, bytes.subarray(0, bytes.length - 3));
  const { results, warnings } = loadCheckpoints([ck]);
  assertEquals(results.size, 2);
  assert(warnings[0].includes("truncated") && warnings[0].includes(file));
  const corrupt = bytes.slice();
  corrupt[20] ^= 0xff; // inside the first record's body
  Deno.writeFileSync(file, corrupt);
  const e = await assertRejects(() => load({ runDir, checkpointFiles: [ck] }), BadCheckpoint);
  assert(e.message.includes(file));
  Deno.writeFileSync(file, new TextEncoder().encode("not a checkpoint"));
  await assertRejects(() => load({ runDir, checkpointFiles: [ck] }), BadCheckpoint, "bad header");
});

Deno.test("an app made at run time is memoizable only once named: its key needs the export", () => {
  const local = app((x: number) => x, { cache: true });
  assert(appDefinition(local)!.ref === undefined);
});

Deno.test("getLastCheckpoint takes the highest numbered run, past 999, and ignores other files", async () => {
  // Parsl's test_get_last_checkpoint (other files, high run dirs).
  const runDir = await Deno.makeTempDir();
  for (const n of ["999", "1000"]) new CheckpointWriter(`${runDir}/${n}/checkpoint`).close();
  await Deno.writeTextFile(`${runDir}/X`, "");
  await Deno.writeTextFile(`${runDir}/monitoring.db`, "");
  await Deno.mkdir(`${runDir}/1001`); // a run without a checkpoint
  assertEquals(getLastCheckpoint(runDir), [`${runDir}/1000/checkpoint`]);
  assertEquals(getAllCheckpoints(runDir), [
    `${runDir}/999/checkpoint`,
    `${runDir}/1000/checkpoint`,
  ]);
});

Deno.test("a memoized failure is not checkpointed: the next run runs the app again", async () => {
  // Parsl's test_regression_239 (test_task_exit_roundtrip.py): exceptions are memoized within a
  // run only; a checkpoint holds results.
  const dir = await Deno.makeTempDir();
  const c = `${dir}/c`;
  const runDir = `${dir}/runinfo`;
  let first: Error;
  {
    await using _dfk = await load({ runDir, checkpointMode: "task_exit" });
    first = await assertRejects(() => countedFail(c, "boom"), RangeError);
    assert((await assertRejects(() => countedFail(c, "boom"), RangeError)) === first);
  }
  assertEquals(count(c), 1);
  {
    await using _dfk = await load({ runDir, checkpointMode: "task_exit" });
    const again = await assertRejects(() => countedFail(c, "boom"), RangeError);
    assert(again.message !== first.message, "a new failure, from a new run of the app");
  }
  assertEquals(count(c), 2);
});

Deno.test("a cache: true join app is memoized like any app (Parsl's test_memoize_joinapp)", async () => {
  const log = new EventLog();
  await withKernel({ monitoring: log }, async () => {
    const first = cachedJoin(0);
    const again = [cachedJoin(0), cachedJoin(0)];
    for (const f of again) assertEquals(await f, await first);
    assert(log.states(again[0].taskId).includes("memo_done"));
    assert((await cachedJoin(1)) !== (await first), "other arguments run");
  });
});

Deno.test("ignoreForCache by name leaves out that argument, even after a default with a comma", async () => {
  await withKernel({}, async () => {
    assertEquals(await joinWith(",", 1, 2), "1,");
    const again = joinWith(",", 1, 999);
    assertEquals(await again, "1,");
    assertEquals(again.taskState, "memo_done");
    const other = joinWith(",", 2, 2);
    await other;
    assertEquals(other.taskState, "exec_done");
  });
});

Deno.test("registered memo rules are delimited: different arguments never share a key", () => {
  class Tag {
    constructor(public name: string) {}
  }
  idForMemo.register(Tag, (t) => t.name, "tests.Tag");
  const a = [new Tag("x"), 1, new Tag("y")].map((v, i) => idForMemo.of(v, `a${i}`)).join(",");
  const b = idForMemo.of(new Tag('x),n1,C"tests.Tag":"y'), "b");
  assert(a !== b);
  const big = new Float64Array(200_000).fill(1.5);
  assert(idForMemo.of(big).length < 200); // hashed, not inlined (and no stack overflow)
});

Deno.test("without a checkpointMode no checkpoint is written", async () => {
  await withKernel({}, async (dfk, dir) => {
    await counted(`${dir}/c`, 1);
    assertEquals(dfk.checkpoint(), undefined);
    await dfk.cleanup();
    assert(!(await Deno.stat(`${dfk.runDir}/checkpoint/tasks.ckpt`).catch(() => null)));
  });
});
