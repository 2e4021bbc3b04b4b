// `tsflow worker` pools in real Grid Engine jobs, fed by a HighThroughputExecutor and scaled by
// startScaling. Skips, saying so, only when Grid Engine is not running (scripts/ci_schedulers.sh up).
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { GridEngineProvider } from "../../providers/grid_engine_provider.ts";
import { gridEngineMissing, skipNote } from "../providers/_scheduler_util.ts";
import { jobIds, withScaledHtex } from "../providers/_htex_blocks.ts";
import { task } from "./_htex_env.ts";
import { waitFor } from "../_wait.ts";

const ignore = skipNote(gridEngineMissing());

async function queued(): Promise<string[]> {
  const o = await new Deno.Command("qstat").output();
  return new TextDecoder().decode(o.stdout).split("\n").slice(2).map((l) =>
    l.trim().split(/\s+/)[0]
  ).filter((x) => x);
}

Deno.test({
  name:
    "200 tasks run on Grid Engine blocks (maxBlocks 2) that appear in qstat and are deleted at shutdown",
  ignore,
  fn: async () => {
    let ids: string[] = [];
    const provider = new GridEngineProvider({
      initBlocks: 1,
      maxBlocks: 2,
      walltime: "00:10:00",
      cmdTimeout: 20,
    });
    await withScaledHtex(provider, { maxWorkersPerNode: 2 }, async ({ htex }) => {
      const results = await Promise.all(
        Array.from({ length: 200 }, () => htex.submit(task("sleep", [0.05]))),
      );
      assertEquals(results.length, 200);
      ids = jobIds(htex);
      assertEquals(ids.length, 2, `blocks: ${ids}`);
      assertEquals(
        new Set(htex.managers().map((m) => m.blockId)).size,
        2,
        "pools of both blocks connected",
      );
      const q = await queued();
      assert(ids.every((id) => q.includes(id)), `qstat lists the blocks: ${q}`);
      const jobs = new Set(
        await Promise.all([1, 2, 3].map(() => htex.submit(task("env", ["JOB_ID"])))),
      );
      assert(
        [...jobs].every((j) => ids.includes(String(j))),
        `tasks ran inside the Grid Engine jobs: ${[...jobs]}`,
      );
    });
    await waitFor(
      async () => !(await queued()).some((id) => ids.includes(id)),
      30,
      "blocks to leave qstat",
    );
  },
});
