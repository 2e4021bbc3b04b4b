// Blocks that die before any pool connects: the scaling loop stops after maxBlockFailures
// blocks (no unbounded resubmission) and the executor's tasks fail with the job's stderr.
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { LocalProvider } from "../../providers/local_provider.ts";
import { ScaleOutFailed } from "../../providers/errors.ts";
import { withScaledHtex } from "../providers/_htex_blocks.ts";
import { task, waitFor } from "./_htex_env.ts";
import type { ScalableExecutor } from "../../dfk/scaling/mod.ts";

Deno.test("blocks that keep failing before a pool connects stop at 3 and fail the tasks with the job's stderr", async () => {
  const provider = new LocalProvider({
    initBlocks: 1,
    maxBlocks: 1,
    workerInit: "echo 'tsflow: cannot start: module not found' >&2; exit 7",
  });
  await withScaledHtex(provider, { maxWorkersPerNode: 1 }, async ({ htex, dir }) => {
    const pending = htex.submit(task("add", [1, 1])).then(() => undefined, (e) => e as Error);
    await waitFor(
      () => [...htex.blocks().values()].filter((b) => b.status.state === "FAILED").length >= 3,
      30,
      "3 failed blocks",
    );
    // Several more rounds: no further block may be submitted.
    await new Promise((r) => setTimeout(r, 3500));
    assertEquals(htex.blocks().size, 3, "exactly maxBlockFailures blocks were tried");
    const log = Deno.readTextFileSync(`${dir}/scaling.log`);
    assert(/3 blocks in a row ended before any worker pool connected/.test(log), log);
    assert(log.includes("module not found"), "the job's stderr is in the error");
    if ((htex as ScalableExecutor).failAll) {
      const err = await pending;
      assert(err instanceof ScaleOutFailed, String(err));
      assert(err.jobStderr.includes("module not found"));
    } else {
      assert(log.includes("cannot fail its tasks (no failAll)"), log);
    }
  });
});

Deno.test("a pool that reaches none of the interchange's addresses fails fast, and ScaleOutFailed names them and the option", async () => {
  // 192.0.2.1 is TEST-NET-1: nothing answers there.
  const provider = new LocalProvider({ initBlocks: 1, maxBlocks: 1 });
  const opts = { maxWorkersPerNode: 1, address: "192.0.2.1", addressProbeTimeout: 2 };
  await withScaledHtex(provider, opts, async ({ htex }) => {
    const err = await htex.submit(task("add", [1, 1])).then(() => undefined, (e) => e as Error);
    assert(err instanceof ScaleOutFailed, String(err));
    for (const part of ["192.0.2.1:", "within 2 s", "HighThroughputExecutor({ address"]) {
      assert(err.jobStderr.includes(part), `${part} missing in the job's stderr: ${err.jobStderr}`);
    }
  });
});
