// The ThreadPoolExecutor: isolation between tasks on one thread, walltimes, workers that cannot start.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { ExecutorError, load, ThreadPoolExecutor } from "../../mod.ts";
import { bump } from "./fixtures/apps.ts";
import { longChild, nap, sloppy } from "./fixtures/thread_pool_apps.ts";
import { withKernel } from "./_helpers.ts";
import { alive } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

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
    const pid = Number(Deno.readTextFileSync(pidfile).trim());
    // Gone, or a zombie waiting to be reaped: either way no longer running (bounded wait).
    await waitFor(() => !alive(pid), 3, `sleep ${pid} to end with its walltime`);
    assert(!alive(pid), `sleep ${pid} outlived the walltime`);
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
