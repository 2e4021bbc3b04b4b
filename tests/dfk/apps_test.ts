import { assert, assertEquals, assertRejects } from "../_assert.ts";
import {
  AppTimeout,
  BashExitFailure,
  File,
  JoinError,
  RemoteError,
  SerializationError,
  TsflowError,
} from "../../mod.ts";
import {
  add,
  addThenTwice,
  applyTo,
  catIn,
  exits,
  exitWith,
  fail,
  hello,
  incAll,
  noop,
  spin,
  twice,
  writeOut,
} from "./fixtures/apps.ts";
import { badReturn, hidden, judge, QualityError, tsflowErr } from "./fixtures/flaky.ts";
import { badJoin, failingJoin } from "./fixtures/join_apps.ts";
import { EventLog, withKernel } from "./_helpers.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

Deno.test("a join app runs on the driver and completes with its inner values", async () => {
  const log = new EventLog();
  await withKernel({ monitoring: log }, async () => {
    const f = incAll([1, 2, 3]);
    assertEquals(await f, [2, 3, 4]);
    assertEquals(await addThenTwice(5), 20);
    assertEquals(log.states(f.taskId), ["pending", "launched", "joining", "exec_done"]);
    assertEquals(f.task.executor, "_parsl_internal");
  });
});

Deno.test("a join app whose inner task fails fails with JoinError", async () => {
  await withKernel({}, async () => {
    const e = await assertRejects(() => failingJoin(), JoinError);
    assertEquals(e.dependentTaskIds.length, 1);
    assertEquals((e.cause as Error).message, "inner");
  });
});

Deno.test("a join app that returns no future fails with a TypeError saying so", async () => {
  await withKernel({}, async () => {
    await assertRejects(() => badJoin(), TypeError, "must return a future");
  });
});

Deno.test("a bash app writes stdout/stderr files, truncating or appending", async () => {
  await withKernel({}, async (_dfk, dir) => {
    const out = `${dir}/hello.out`;
    assertEquals(await hello.with({ stdout: out })("world"), 0);
    assertEquals(Deno.readTextFileSync(out), "hello world\n");
    await hello.with({ stdout: [out, "a"] })("again");
    assertEquals(Deno.readTextFileSync(out), "hello world\nhello again\n");
    await hello.with({ stdout: [out, "w"], stderr: `${dir}/err` })("fresh");
    assertEquals(Deno.readTextFileSync(out), "hello fresh\n");
  });
});

Deno.test("a bash app's non-zero exit is BashExitFailure with the code", async () => {
  await withKernel({}, async () => {
    const e = await assertRejects(() => exitWith(3), BashExitFailure);
    assertEquals(e.exitCode, 3);
  });
});

Deno.test("a bash app over its walltime is killed with its children and fails with AppTimeout", async () => {
  await withKernel({}, async (_dfk, dir) => {
    const marker = `${dir}/survived`;
    const slow = hello.with({ walltime: 0.3 });
    const e = await assertRejects(() => slow(`x; sleep 3; touch ${marker}`), AppTimeout);
    assertEquals(e.walltime, 0.3);
    // The command's processes name the marker: once none runs, none can still create it.
    await waitFor(
      async () => (await processesMatching(marker)).length === 0,
      10,
      "the command's processes to end",
    );
    assert(!(await Deno.stat(marker).catch(() => null)), "the command's child kept running");
  });
});

Deno.test("a bash command can use its input and output Files", async () => {
  await withKernel({}, async (_dfk, dir) => {
    const a = new File(`${dir}/a.txt`), b = new File(`${dir}/b.txt`);
    const made = writeOut.with({ outputs: [a] })("alpha");
    await writeOut.with({ outputs: [b] })("beta");
    const out = `${dir}/cat.out`;
    await catIn.with({ inputs: [made.outputs[0], b], stdout: out })();
    assertEquals(Deno.readTextFileSync(out), "alpha\nbeta\n");
  });
});

Deno.test("an app over its walltime has its worker replaced, fails with AppTimeout, and the pool keeps serving", async () => {
  await withKernel({}, async () => {
    await assertRejects(() => spin.with({ walltime: 0.2 })(5000), AppTimeout);
    assertEquals(await add(1, 2), 3);
    assertEquals(await Promise.all([add(1, 1), add(2, 2), noop()]), [2, 4, undefined]);
  });
});

Deno.test("errors keep name, message, the worker's stack and cause; exported classes come back as themselves", async () => {
  await withKernel({}, async () => {
    const e = await assertRejects(() => judge(3), QualityError);
    assertEquals(e.message, "score 3 too low");
    assertEquals(e.score, 3);
    assert(e.stack!.includes("flaky.ts"), e.stack);
    assert(e.cause instanceof RangeError && e.cause.message === "below 10");
    const h = await assertRejects(() => hidden(), RemoteError);
    assertEquals(h.remoteName, "HiddenError");
    assertEquals(h.message, "not exported");
    await assertRejects(() => tsflowErr(), TsflowError, "from tsflow");
    const plain = await assertRejects(() => fail("x"), Error);
    assertEquals(plain.constructor, Error);
  });
});

Deno.test("unserializable arguments fail at submit with SerializationError naming the argument", async () => {
  await withKernel({}, async () => {
    const fn = () => 1;
    const e = await assertRejects(() => add({ deep: [1, fn] } as never, 1), SerializationError);
    assertEquals(e.path, "args[0].deep[1]");
    const f = add(Symbol("s") as never, 1);
    assertEquals(f.taskState, "failed");
    await assertRejects(() => f, SerializationError, "symbol");
    await assertRejects(
      () => add(new (class Conn {})() as never, 1),
      SerializationError,
      "class Conn",
    );
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    await assertRejects(() => add(cyc as never, 1), SerializationError, "circular");
  });
});

Deno.test("a return value that cannot be sent back fails the task with SerializationError", async () => {
  await withKernel({}, async () => {
    await assertRejects(() => badReturn(), SerializationError, "return value");
  });
});

Deno.test("an app passed as an argument travels by reference and can be called in the task", async () => {
  await withKernel({}, async () => {
    assertEquals(await applyTo(twice as never, 21), 42);
  });
});

Deno.test("stdNameGenerator names the output files of bash apps that set none", async () => {
  const dir = await Deno.makeTempDir();
  await withKernel({
    stdNameGenerator: (app, id, stream) => `${dir}/${app}.${id}.${stream}`,
  }, async () => {
    const f = hello("named");
    await f;
    assertEquals(Deno.readTextFileSync(`${dir}/hello.${f.taskId}.stdout`), "hello named\n");
    assert(Deno.statSync(`${dir}/hello.${f.taskId}.stderr`).isFile);
  });
});

Deno.test("an app calling Deno.exit in a thread worker fails its task instead of hanging", async () => {
  await withKernel({}, async () => {
    await assertRejects(() => exits(), Error, "Deno.exit(3)");
    assertEquals(await add(1, 1), 2);
  });
});
