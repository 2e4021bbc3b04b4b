// `tsflow worker` pools in real Slurm and Grid Engine jobs, fed by a HighThroughputExecutor and
// scaled by startScaling. Each scheduler's case skips, saying so, only when that scheduler is not
// running (scripts/ci_schedulers.sh up).
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { skipNote } from "../providers/_scheduler_util.ts";
import { SCHEDULERS } from "../providers/_schedulers.ts";
import { jobIds, withScaledHtex } from "../providers/_htex_blocks.ts";
import { task } from "./_htex_env.ts";
import { waitFor } from "../_wait.ts";

for (const s of SCHEDULERS) {
  Deno.test({
    name:
      `200 tasks run on ${s.name} blocks (maxBlocks 2) that the queue shows and that end at shutdown`,
    ignore: skipNote(s.missing()),
    fn: async () => {
      let ids: string[] = [];
      const provider = s.make({
        initBlocks: 1,
        maxBlocks: 2,
        walltime: "00:10:00",
        cmdTimeout: 20,
      });
      await withScaledHtex(provider, { maxWorkersPerNode: 2 }, async ({ htex }) => {
        // 200 tasks of 50 ms on 2 workers per block: ~5 s on one block, so scaling adds the second.
        const results = await Promise.all(
          Array.from({ length: 200 }, () => htex.submit(task("sleep", [0.05]))),
        );
        assertEquals(results.length, 200);
        assertEquals(
          new Set(htex.managers().map((m) => m.blockId)).size,
          2,
          "pools of both blocks connected",
        );
        ids = jobIds(htex);
        assertEquals(ids.length, 2, `blocks: ${ids}`);
        const q = await s.queue(ids);
        assert(ids.every((id) => s.live(q.get(id))), `the queue lists the blocks: ${[...q]}`);
        assert([...q.values()].some((st) => st === s.running), `blocks run: ${[...q]}`);
        const jobs = new Set(
          await Promise.all([1, 2, 3].map(() => htex.submit(task("env", [s.jobIdVar])))),
        );
        assert(
          [...jobs].every((j) => ids.includes(String(j))),
          `tasks ran inside the ${s.name} jobs: ${[...jobs]}`,
        );
      });
      // After shutdown: every block is cancelled, none left running or pending.
      await waitFor(
        async () => {
          const q = await s.queue(ids);
          return ids.every((id) => !s.live(q.get(id)));
        },
        30,
        "blocks to leave the queue",
      );
      const q = await s.queue(ids);
      assert(ids.every((id) => s.ended.includes(q.get(id))), `final states: ${[...q]}`);
    },
  });
}
