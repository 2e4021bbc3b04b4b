// Regressions found in review of the kernel and the ThreadPoolExecutor.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { ExecutorError, JoinError, load, ThreadPoolExecutor } from "../../mod.ts";
import { idForMemo } from "../../dfk/memo_id.ts";
import { parameterNames } from "../../dfk/parameter_names.ts";
import { counted } from "./fixtures/apps.ts";
import {
  bump,
  joinWith,
  longChild,
  nap,
  partlyFailingJoin,
  sloppy,
} from "./fixtures/review_apps.ts";
import { count, withKernel } from "./_helpers.ts";

Deno.test("parameter names skip strings and comments, and refuse what they cannot read", () => {
  assertEquals(parameterNames((sep = ",", x = 1, y = 2) => sep + x + y), ["sep", "x", "y"]);
  assertEquals(
    parameterNames(function (/* a, b */ x: number, y: number) {
      return x + y;
    }),
    ["x", "y"],
  );
  assertEquals(parameterNames((label = "a)b", x = 0) => label + x), ["label", "x"]);
  assertEquals(parameterNames((p = /,/, x = 0) => String(p) + x), undefined);
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

Deno.test("a join app whose inner task fails is not retried: its inner work runs once", async () => {
  await withKernel({ retries: 2 }, async (_dfk, dir) => {
    const f = partlyFailingJoin(`${dir}/c`);
    await assertRejects(() => f, JoinError);
    assertEquals(f.task.tryId, 0);
    assertEquals(count(`${dir}/c`), 2);
  });
});

Deno.test("a stray async error in one app does not fail other tasks on the same thread", async () => {
  await withKernel({ executors: [new ThreadPoolExecutor({ maxThreads: 1 })] }, async () => {
    const fs = [sloppy(), ...Array.from({ length: 4 }, () => nap(40))];
    assertEquals(await Promise.all(fs), ["ok", 40, 40, 40, 40]);
  });
});

Deno.test("a thread-pool walltime on a bash app kills the command's children too", async () => {
  await withKernel({}, async (_dfk, dir) => {
    const pidfile = `${dir}/pid`;
    await assertRejects(() => longChild.with({ walltime: 0.5 })(pidfile));
    const pid = Deno.readTextFileSync(pidfile).trim();
    // Gone, or a zombie waiting to be reaped: either way no longer running (bounded wait).
    const alive = () => {
      try {
        return !/\) Z /.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 30 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    assert(!alive(), `sleep ${pid} outlived the walltime`);
  });
});

Deno.test("the walltime counts the app's body, not the import of its module", async () => {
  await withKernel({ retries: 0 }, async () => {
    const { quick } = await import("./fixtures/slow_import.ts");
    assertEquals(await quick.with({ walltime: 1 })(1), 2);
  });
});

Deno.test("a thread pool whose workers cannot start fails tasks instead of hanging", async () => {
  const Real = globalThis.Worker;
  (globalThis as { Worker: unknown }).Worker = class extends Real {
    constructor(_u: string | URL, o?: WorkerOptions) {
      super(new URL("file:///nonexistent/tsflow-worker.ts"), o);
    }
  };
  try {
    const dir = await Deno.makeTempDir();
    await using _dfk = await load({
      executors: [new ThreadPoolExecutor({ maxThreads: 1 })],
      runDir: `${dir}/runinfo`,
      retries: 1,
    });
    await assertRejects(() => bump(`${dir}/c`, 1), ExecutorError, "fail to start");
    await assertRejects(() => bump(`${dir}/c`, 2), ExecutorError, "fail to start");
  } finally {
    (globalThis as { Worker: unknown }).Worker = Real;
  }
});
