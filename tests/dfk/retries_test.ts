import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { type AppFuture, JoinError } from "../../mod.ts";
import { flaky } from "./fixtures/flaky.ts";
import { partlyFailingJoin } from "./fixtures/join_apps.ts";
import { count, EventLog, withKernel } from "./_helpers.ts";

Deno.test("a task is retried up to Config.retries and succeeds; tries count from 0", async () => {
  const log = new EventLog();
  await withKernel({ retries: 2, monitoring: log }, async (_dfk, dir) => {
    const f = flaky(`${dir}/c`, 2) as AppFuture<number>;
    assertEquals(await f, 3);
    assertEquals(f.task.tryId, 2);
    assertEquals(f.task.failHistory, ["Error: failure 1", "Error: failure 2"]);
    assertEquals(log.states(f.taskId), [
      "pending",
      "launched",
      "fail_retryable",
      "pending", // Parsl records each new try as pending first
      "launched",
      "fail_retryable",
      "pending",
      "launched",
      "exec_done",
    ]);
  });
});

Deno.test("a task fails once its failures cost more than the retry budget", async () => {
  await withKernel({ retries: 1 }, async (_dfk, dir) => {
    await assertRejects(() => flaky(`${dir}/c`, 5), Error, "failure 2");
    assertEquals(count(`${dir}/c`), 2);
  });
});

Deno.test("a retry handler sets the cost of each failure", async () => {
  await withKernel(
    { retries: 3, retryHandler: (e) => e.message.includes("1") ? 3 : 1 },
    async (_dfk, dir) => {
      await assertRejects(() => flaky(`${dir}/c`, 5), Error, "failure 2");
      assertEquals(count(`${dir}/c`), 2); // 3 (first) + 1 (second) > 3
    },
  );
  await withKernel({ retries: 1, retryHandler: () => 0 }, async (_dfk, dir) => {
    assertEquals(await flaky(`${dir}/c`, 3), 4); // free retries
  });
});

Deno.test("a retry handler that throws fails the task with its own error", async () => {
  await withKernel({
    retries: 5,
    retryHandler: () => {
      throw new TypeError("handler says no");
    },
  }, async (_dfk, dir) => {
    const e = await assertRejects(() => flaky(`${dir}/c`, 5), TypeError);
    assertEquals(e.message, "handler says no");
    assert(count(`${dir}/c`) === 1);
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
