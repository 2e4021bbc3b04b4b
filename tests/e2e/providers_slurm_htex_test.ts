// `tsflow worker` pools in real Slurm jobs, fed by a HighThroughputExecutor and scaled by
// startScaling. Skips, saying so, only when Slurm is not running (scripts/ci_schedulers.sh up).
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { SlurmProvider } from "../../providers/slurm_provider.ts";
import { skipNote, slurmMissing } from "../providers/_scheduler_util.ts";
import { jobIds, withScaledHtex } from "../providers/_htex_blocks.ts";
import { task } from "./_htex_env.ts";
import { waitFor } from "../_wait.ts";

const ignore = skipNote(slurmMissing());

function squeue(ids: string[]): Promise<Map<string, string>> {
  return new Deno.Command("squeue", {
    args: ["-h", "-t", "all", "-j", ids.join(","), "-o", "%i %t"],
  })
    .output().then((o) =>
      new Map(
        new TextDecoder().decode(o.stdout).trim().split("\n").filter((l) => l).map((l) =>
          l.split(" ") as [string, string]
        ),
      )
    );
}

Deno.test({
  name:
    "200 tasks run on Slurm blocks (maxBlocks 2) that appear in squeue and are cancelled at shutdown",
  ignore,
  fn: async () => {
    let ids: string[] = [];
    const provider = new SlurmProvider({
      initBlocks: 1,
      maxBlocks: 2,
      exclusive: false,
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
      const q = await squeue(ids);
      assert([...q.values()].some((s) => s === "R"), `squeue shows the running blocks: ${[...q]}`);
      const hosts = new Set(
        await Promise.all([1, 2, 3].map(() => htex.submit(task("env", ["SLURM_JOB_ID"])))),
      );
      assert(
        [...hosts].every((h) => ids.includes(String(h))),
        `tasks ran inside the Slurm jobs: ${[...hosts]}`,
      );
    });
    // After shutdown: every block is cancelled, none left running or pending.
    await waitFor(
      async () => [...(await squeue(ids)).values()].every((s) => !["R", "PD", "CG"].includes(s)),
      30,
      "blocks to leave the queue",
    );
    const q = await squeue(ids);
    assert([...q.values()].every((s) => s === "CA" || s === "CD"), `final states: ${[...q]}`);
  },
});
