// A Slurm block killed at its time limit (whole minutes, enforced every 30 s: a 1-minute job
// dies 60-90 s in): its task is retried on a replacement block. About 2 minutes. Skips, saying
// so, only when Slurm is not running (scripts/ci_schedulers.sh up).
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { SlurmProvider } from "../../providers/slurm_provider.ts";
import { env, sleep } from "../fixtures/htex_apps.ts";
import { skipNote, slurmMissing } from "../providers/_scheduler_util.ts";
import { withRetryingRun } from "../providers/_htex_blocks.ts";
import { waitFor, within } from "../_wait.ts";

const ignore = skipNote(slurmMissing());

Deno.test({
  name: "a task on a Slurm block that reaches its time limit is retried on a replacement block",
  ignore,
  fn: async () => {
    const provider = new SlurmProvider({
      initBlocks: 1,
      maxBlocks: 1,
      exclusive: false,
      walltime: "00:01:00",
    });
    await withRetryingRun(provider, "tsflow-slurm-walltime-", async ({ htex }) => {
      const firstJob = await within(env("SLURM_JOB_ID"), 60, "first task");
      await htex.pollBlocks();
      const started = htex.blocks().get("0")?.status.startTime ?? Date.now();
      // Started 45 s into the block, a 50 s task runs past the kill (60-90 s); a fresh
      // 1-minute block fits it.
      await new Promise((r) => setTimeout(r, Math.max(0, started + 45_000 - Date.now())));
      assertEquals(await within(sleep(50), 200, "the 50 s task and its retry"), 50);
      await waitFor(
        async () => {
          await htex.pollBlocks();
          return htex.blocks().get("0")?.status.state === "TIMEOUT";
        },
        60,
        "the first block to be reported TIMEOUT",
      );
      const secondJob = await within(env("SLURM_JOB_ID"), 60, "a task after the retry");
      assert(
        secondJob !== firstJob,
        `the retry ran in replacement job ${secondJob}, not ${firstJob}`,
      );
    });
  },
});
