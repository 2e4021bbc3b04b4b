import { assert, assertEquals, assertRejects } from "../_assert.ts";
import {
  app,
  ConfigError,
  DependencyError,
  load,
  TaskCancelled,
  UnresolvableApp,
} from "../../mod.ts";
import { add, sleep } from "./fixtures/apps.ts";
import { real } from "./fixtures/misnamed.ts";
import { EventLog, withKernel } from "./_helpers.ts";
import { waitFor } from "../_wait.ts";

Deno.test("an app made at run time (not a module export) fails at submit, saying how to fix it", async () => {
  await withKernel({}, async () => {
    const local = app((x: number) => x + 1);
    const e = await assertRejects(() => local(1), UnresolvableApp);
    assert(e.message.includes("export const"), e.message);
  });
});

Deno.test("an app the worker cannot find by its name fails with an error naming module and export", async () => {
  await withKernel({}, async () => {
    const e = await assertRejects(() => real(1), UnresolvableApp);
    assert(e.message.includes("notTheExport") && e.message.includes("misnamed.ts"), e.message);
  });
});

Deno.test("a workflow run directly with deno run names its apps and runs", async () => {
  const dir = await Deno.makeTempDir();
  const flow = new URL("./fixtures/direct_flow.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", flow, `${dir}/runinfo`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  assertEquals(text.trim().split("\n"), ["16", "UnresolvableApp"]);
});

Deno.test("states follow Parsl's names and each run gets the next runinfo/NNN with its log", async () => {
  const log = new EventLog();
  const dir = await Deno.makeTempDir();
  {
    await using dfk = await load({ runDir: `${dir}/runinfo`, monitoring: log });
    const f = add(1, 2);
    assertEquals(f.taskState, "pending");
    await f;
    assertEquals(log.states(f.taskId), ["pending", "launched", "exec_done"]);
    assert(dfk.runDir.endsWith("/000"));
    assertEquals(dfk.counts().exec_done, 1);
  }
  {
    await using dfk = await load({ runDir: `${dir}/runinfo`, monitoring: log });
    assert(dfk.runDir.endsWith("/001"));
  }
  assert(Deno.readTextFileSync(`${dir}/runinfo/000/tsflow.log`).includes("Run finished"));
  assertEquals(log.events.filter((e) => e.type === "workflow_start").length, 2);
});

Deno.test("cleanup with tasks still running cancels them, reports them, and does not hang", async () => {
  const dir = await Deno.makeTempDir();
  const dfk = await load({ runDir: `${dir}/runinfo` });
  const running = [sleep(60_000), sleep(60_000), sleep(60_000)];
  const dependent = add(running[2], 1);
  await waitFor(() => running.every((f) => f.taskState !== "pending"), 20, "the tasks to launch");
  const t0 = Date.now();
  const cancelled = await dfk.cleanup();
  assert(Date.now() - t0 < 10_000);
  assertEquals(cancelled.length, 3);
  for (const f of running) assert(cancelled.includes(f.taskId));
  for (const f of running) await assertRejects(() => f, TaskCancelled);
  await assertRejects(() => dependent, DependencyError);
  await assertRejects(
    () => Promise.resolve().then(() => add(1, 1)),
    UnresolvableApp,
    "No tsflow kernel",
  );
});

Deno.test("waitForCurrentTasks resolves when every task is done", async () => {
  await withKernel({}, async (dfk) => {
    const fs = [sleep(100), sleep(150), add(1, 2)];
    await dfk.waitForCurrentTasks();
    assert(fs.every((f) => f.done()));
  });
});

Deno.test("a bad config is a ConfigError with a suggestion; so is a second load", async () => {
  await assertRejects(() => load({ retry: 2 } as never), ConfigError, 'did you mean "retries"');
  await assertRejects(
    () => load({ checkpointMode: "task-exit" as never }),
    ConfigError,
    "task_exit",
  );
  await withKernel({}, async () => {
    await assertRejects(() => load({}), ConfigError, "already loaded");
  });
});

Deno.test("an app asking for an executor the config lacks fails naming the labels", async () => {
  await withKernel({}, async () => {
    const { onGpu } = await import("./fixtures/labels.ts");
    await assertRejects(() => onGpu(), ConfigError, '"threads"');
  });
});
