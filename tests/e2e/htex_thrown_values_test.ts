// Whatever an app throws reaches the caller with its message and as much of its data as can
// travel, through a real pool: plain objects and strings (JavaScript can throw anything), and
// errors whose fields or causes form cycles (cut, never a stack overflow blamed on the result).
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { RemoteError, SerializationError } from "../../dfk/errors.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { makeHost, manualPools, reap, startPool, task } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

Deno.test("thrown non-Errors and cyclic errors reach the caller with their message and data", async (t) => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-thrown-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({ maxWorkersPerNode: 1, provider: manualPools() });
  await htex.start(host);
  const pool = startPool(htex);
  try {
    await t.step("a plain object: its fields in the message and in `value`", async () => {
      const e = await assertRejects(() => htex.submit(task("throwObject")), RemoteError);
      assert(!e.message.includes("[object Object]"), e.message);
      assert(e.message.includes('"detail":"disk full"'), e.message);
      assertEquals((e as RemoteError & { value: unknown }).value, {
        code: 42,
        detail: "disk full",
        when: [1, 2],
      });
      assertEquals(e.remoteName, "Object");
    });
    await t.step("a string: the string is the message", async () => {
      const e = await assertRejects(() => htex.submit(task("throwString")), RemoteError);
      assert(e.message.includes("plain words"), e.message);
      assertEquals((e as RemoteError & { value: unknown }).value, "plain words");
    });
    await t.step("an object containing itself: the cycle is cut", async () => {
      const e = await assertRejects(() => htex.submit(task("throwCyclicObject")), RemoteError);
      assertEquals((e as RemoteError & { value: unknown }).value, { code: 7, me: "[Circular]" });
    });
    await t.step("an Error with cyclic fields and causes keeps its message and data", async () => {
      const e = await htex.submit(task("throwCyclicError")).then(
        () => assert(false, "must fail") as never,
        (x) => x as Error & Record<string, unknown>,
      );
      assert(!(e instanceof SerializationError), `misreported: ${e.message}`);
      assertEquals(e.message, "cyclic boom");
      assertEquals(e.data, { a: 1, back: "[Circular]" });
      assertEquals(e.self, "[Circular]");
      assertEquals((e.cause as Error).message, "the cause");
      assertEquals((e.cause as Error).cause, "[Circular]");
    });
  } finally {
    await htex.shutdown();
    await reap(pool);
    await host.logger.close();
    await waitFor(async () => (await processesMatching(dir)).length === 0, 10, "no leftovers");
    Deno.removeSync(dir, { recursive: true });
  }
});
