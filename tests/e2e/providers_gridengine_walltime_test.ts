// A Grid Engine block killed at its walltime (h_rt, enforced to the second): its task is retried
// on a replacement block that the scaling loop submits. Skips, saying so, only when Grid Engine
// is not running (scripts/ci_schedulers.sh up).
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { GridEngineProvider } from "../../providers/grid_engine_provider.ts";
import { env, sleep } from "../fixtures/htex_apps.ts";
import { gridEngineMissing, skipNote } from "../providers/_scheduler_util.ts";
import { jobIds, withRetryingRun } from "../providers/_htex_blocks.ts";
import { waitFor, within } from "../_wait.ts";

const ignore = skipNote(gridEngineMissing());

Deno.test({
  name: "a task on a Grid Engine block that reaches its walltime is retried on a replacement block",
  ignore,
  fn: async () => {
    const provider = new GridEngineProvider({ initBlocks: 1, maxBlocks: 1, walltime: "00:00:20" });
    await withRetryingRun(provider, "tsflow-sge-walltime-", async ({ htex }) => {
      const firstJob = await within(env("JOB_ID"), 60, "first task");
      const [first] = jobIds(htex);
      assertEquals(firstJob, first);
      // A 14 s task started 10 s into a 20 s block is still running when h_rt kills the block;
      // on a fresh 20 s block it fits.
      await htex.pollBlocks();
      const started = htex.blocks().get("0")?.status.startTime ?? Date.now();
      await new Promise((r) => setTimeout(r, Math.max(0, started + 10_000 - Date.now())));
      assertEquals(await within(sleep(14), 90, "the 14 s task and its retry"), 14);
      const states = [...htex.blocks().values()].map((b) => b.status.state);
      await waitFor(
        async () => {
          await htex.pollBlocks();
          return htex.blocks().get("0")?.status.state === "TIMEOUT";
        },
        30,
        "the first block to be reported TIMEOUT",
      );
      assert(htex.blocks().size >= 2, `a replacement block ran the retry: ${states}`);
      const secondJob = await within(env("JOB_ID"), 60, "a task after the retry");
      assert(secondJob !== firstJob, `later tasks run in the replacement job ${secondJob}`);
    });
  },
});
