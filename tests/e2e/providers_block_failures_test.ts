// Blocks that die before any pool connects: after max(1, initBlocks) of them in a row (Parsl's
// simple_error_handler threshold) the executor's tasks fail with the job's stderr, with every
// strategy, and no further block is submitted.
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { load } from "../../dfk/load.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { LocalProvider } from "../../providers/local_provider.ts";
import { WrappedLauncher } from "../../launchers/wrapped_launcher.ts";
import { SlurmProvider } from "../../providers/slurm_provider.ts";
import { skipNote, slurmMissing } from "../providers/_scheduler_util.ts";
import { ScaleOutFailed } from "../../providers/errors.ts";
import { withScaledHtex } from "../providers/_htex_blocks.ts";
import { add } from "../fixtures/htex_flow.ts";
import { task } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";
import { failureOf, waitFor } from "../_wait.ts";

const FAILING = "echo 'tsflow: cannot start: module not found' >&2; exit 7";

Deno.test("one failed block (initBlocks 1) fails the tasks with the job's stderr and is the only block", async () => {
  const provider = new LocalProvider({ initBlocks: 1, maxBlocks: 1, workerInit: FAILING });
  await withScaledHtex(provider, { maxWorkersPerNode: 1 }, async ({ htex, dir }) => {
    const err = await failureOf(htex.submit(task("add", [1, 1])), 60, "the task");
    assert(err instanceof ScaleOutFailed, String(err));
    assert(err.jobStderr.includes("module not found"), "the job's stderr is in the error");
    assert(err.message.includes("exit code 7"), err.message);
    const log = Deno.readTextFileSync(`${dir}/scaling.log`);
    assert(/1 blocks in a row ended before any worker pool connected/.test(log), log);
    assertEquals(htex.blocks().size, 1, "exactly max(1, initBlocks) blocks were tried");
  });
});

Deno.test("a worker command that cannot run fails the tasks with the job's stderr", async () => {
  // The worker command itself fails (its program is missing), not a setup line before it.
  const provider = new LocalProvider({
    initBlocks: 1,
    maxBlocks: 1,
    launcher: new WrappedLauncher("/nonexistent/tsflow-wrapper"),
  });
  await withScaledHtex(provider, { maxWorkersPerNode: 1 }, async ({ htex }) => {
    const err = await failureOf(htex.submit(task("add", [1, 1])), 60, "the task");
    assert(err instanceof ScaleOutFailed, String(err));
    assert(err.jobStderr.includes("/nonexistent/tsflow-wrapper"), err.jobStderr);
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

/** A provider whose `submit` always throws (Parsl's FailingProvider). */
class FailingProvider extends LocalProvider {
  override submit(): Promise<string> {
    return Promise.reject(new Error("Deliberate failure of provider.submit"));
  }
}

Deno.test("a provider whose submit throws fails the tasks with that error (no wait forever)", async () => {
  const provider = new FailingProvider({ initBlocks: 0, minBlocks: 0, maxBlocks: 2 });
  await withScaledHtex(
    provider,
    { maxWorkersPerNode: 1, strategy: "htex_auto_scale" },
    async ({ htex }) => {
      const err = await failureOf(htex.submit(task("add", [1, 1])), 60, "the task");
      assert(err instanceof ScaleOutFailed, String(err));
      assert(err.message.includes("Deliberate failure of provider.submit"), err.message);
      assertEquals(htex.blocks().size, 1, "max(1, initBlocks 0) = 1 failed block");
    },
  );
});

Deno.test("with strategy none, the kernel's task fails when its only block fails (no wait forever)", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "tsflow-blockfail-" });
  try {
    const htex = new HighThroughputExecutor({
      maxWorkersPerNode: 1,
      provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1, workerInit: FAILING }),
    });
    {
      await using _dfk = await load({
        executors: [htex],
        runDir: `${dir}/runinfo`,
        strategy: "none",
        strategyPeriod: 0.2,
      });
      const err = await failureOf(add(1, 2), 60, "the task");
      assert(err instanceof ScaleOutFailed, String(err));
      assert(err.message.includes("module not found"), err.message);
      assertEquals(htex.blocks().size, 1);
    }
    await waitFor(async () => (await processesMatching(dir)).length === 0, 15, "blocks to stop");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test({
  name: "a Slurm block that fails before its pool connects fails the kernel's task with its stderr",
  ignore: skipNote(slurmMissing()),
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "tsflow-blockfail-slurm-" });
    try {
      const provider = new SlurmProvider({
        initBlocks: 1,
        maxBlocks: 1,
        exclusive: false,
        walltime: "00:05:00",
        cmdTimeout: 20,
        workerInit: FAILING,
      });
      const htex = new HighThroughputExecutor({ maxWorkersPerNode: 1, provider });
      {
        await using _dfk = await load({
          executors: [htex],
          runDir: `${dir}/runinfo`,
          strategy: "none",
          strategyPeriod: 0.5,
        });
        const err = await failureOf(add(1, 2), 120, "the task");
        assert(err instanceof ScaleOutFailed, String(err));
        assert(err.message.includes("module not found"), err.message);
        assertEquals(htex.blocks().size, 1);
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
