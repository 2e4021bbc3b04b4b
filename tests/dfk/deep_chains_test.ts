// Long dependency chains settle without growing the stack (Parsl's test_dependencies_deep), and a
// DependencyError at the end of a long chain stays small while still naming its root.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { DependencyError } from "../../mod.ts";
import { add, echo, fail, twice } from "./fixtures/apps.ts";
import { withKernel } from "./_helpers.ts";

const N = 20_000;

Deno.test("a failure passes down a chain of 20,000 dependents without overflowing the stack", async () => {
  await withKernel({ initializeLogging: false }, async () => {
    const root = fail("root failure");
    let here: PromiseLike<unknown> = root;
    for (let i = 0; i < N; i++) here = twice(here as never);
    const e = await assertRejects(() => here, DependencyError);
    assertEquals((e.cause as Error).message, "root failure");
    assert(e.cause === await root.exception(), "the root failure itself");
    assert(e.message.length < 500, `a bounded message, got ${e.message.length} characters`);
    assert(
      e.message.includes(`(${N - 6} more) <- task ${root.taskId}: Error: root failure`),
      e.message,
    );
  });
});

Deno.test("a chain of tasks on a promise resolved after submission runs to the end", async () => {
  await withKernel({ initializeLogging: false }, async () => {
    let resolve!: (v: number) => void;
    let here: PromiseLike<unknown> = new Promise<number>((r) => resolve = r);
    for (let i = 0; i < 1000; i++) here = echo(here);
    resolve(7);
    assertEquals(await here, 7);
  });
});

Deno.test("a diamond of dependencies gives each task its inputs' values (Parsl's test_dependencies)", async () => {
  await withKernel({ initializeLogging: false }, async () => {
    const a = echo(2);
    const b = twice(a as never);
    const c = add(a as never, 3);
    const e = echo(add(b, c));
    assertEquals(await e, 2 * 2 + (2 + 3));
  });
});
