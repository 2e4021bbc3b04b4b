// A task whose Slurm block is killed with scancel is retried by the kernel on another block.
// Skips, saying so, only when Slurm is not running (scripts/ci_schedulers.sh up).
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { SlurmProvider } from "../../providers/slurm_provider.ts";
import { pidThenSleep } from "../fixtures/htex_apps.ts";
import { skipNote, slurmMissing } from "../providers/_scheduler_util.ts";
import { jobIds, withRetryingRun } from "../providers/_htex_blocks.ts";
import { waitFor, within } from "../_wait.ts";

const ignore = skipNote(slurmMissing());

function slurmJobOf(pid: number): string | undefined {
  try {
    const env = Deno.readTextFileSync(`/proc/${pid}/environ`).split("\0");
    return env.find((v) => v.startsWith("SLURM_JOB_ID="))?.slice("SLURM_JOB_ID=".length);
  } catch {
    return undefined;
  }
}

Deno.test({
  name: "a task on a Slurm block killed with scancel is retried on another block",
  ignore,
  fn: async () => {
    const provider = new SlurmProvider({
      initBlocks: 2,
      minBlocks: 0,
      maxBlocks: 2,
      exclusive: false,
      walltime: "00:10:00",
    });
    await withRetryingRun(provider, "tsflow-slurm-retry-", async ({ htex, dir }) => {
      await waitFor(() => htex.managers().length === 2, 60, "pools of both blocks to connect");
      const pidFile = `${dir}/pid`;
      const fut = pidThenSleep(pidFile, 4);
      await waitFor(
        () => {
          try {
            return slurmJobOf(Number(Deno.readTextFileSync(pidFile))) !== undefined;
          } catch {
            return false;
          }
        },
        30,
        "the task to start in a Slurm job",
      );
      const firstPid = Number(Deno.readTextFileSync(pidFile));
      const firstJob = slurmJobOf(firstPid)!;
      const killed = await new Deno.Command("scancel", { args: [firstJob] }).output();
      assert(killed.success);
      assertEquals(await within(fut, 60, "the retried task"), "slept");
      const secondJob = slurmJobOf(Number(Deno.readTextFileSync(pidFile)));
      assert(
        secondJob !== undefined && secondJob !== firstJob,
        `retried in job ${secondJob}, killed ${firstJob}`,
      );
    }, async ({ htex }) => {
      // Every block this run submitted has left the running/pending states.
      const ids = jobIds(htex).join(",");
      await waitFor(
        async () => {
          const out = await new Deno.Command("squeue", {
            args: ["-h", "-t", "PD,R,CG", "-j", ids, "-o", "%i"],
          }).output();
          return new TextDecoder().decode(out.stdout).trim() === "";
        },
        30,
        "no block left in the queue",
      );
    });
  },
});
