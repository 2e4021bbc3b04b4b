// Blocks on the real one-node Slurm and Grid Engine (scripts/ci_schedulers.sh up): the same
// lifecycle and MPI launch checks on each scheduler (tests/providers/_schedulers.ts describes
// them). Each scheduler's cases skip, saying so, only when that scheduler is not running.
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { MpiExecLauncher, SimpleLauncher } from "../../launchers/mod.ts";
import type { JobState } from "../../providers/execution_provider.ts";
import { answers, pollUntil, skipNote, withJobs } from "../providers/_scheduler_util.ts";
import { SCHEDULERS } from "../providers/_schedulers.ts";
import { waitFor } from "../_wait.ts";

const ended = (s: JobState) => s !== "RUNNING" && s !== "PENDING";
const noMpi = !answers(["bash", "-c", "command -v mpiexec"]);

for (const s of SCHEDULERS) {
  const ignore = skipNote(s.missing());

  Deno.test({
    name: `${s.name} runs a block through PENDING/RUNNING to COMPLETED with its output`,
    ignore,
    fn: () =>
      withJobs(
        s.make({ launcher: new SimpleLauncher(), workerInit: `export WHO=${s.short}` }),
        `tsflow-${s.short}-`,
        async (p) => {
          const id = await p.submit(
            `echo "hello $WHO $${s.jobIdVar}"; sleep 2`,
            1,
            "tsflow.block.0",
          );
          assert(/^\d+$/.test(id));
          const seen: JobState[] = [];
          const running = await pollUntil(p, id, (st) => st === "RUNNING", 60, seen);
          assert(running.endTime! > Date.now(), "a running job knows when its walltime ends");
          const done = await pollUntil(p, id, ended, 60, seen);
          assertEquals(done.state, "COMPLETED", seen.join(","));
          assertEquals(done.exitCode, 0);
          assertEquals(
            (await Deno.readTextFile(done.stdoutPath!)).trim(),
            `hello ${s.short} ${id}`,
          );
          assert(seen.includes("RUNNING") && seen.at(-1) === "COMPLETED", seen.join(","));
        },
      ),
  });

  Deno.test({
    name: `${s.name} reports a failing block as FAILED with its exit code from ${s.accounting}`,
    ignore,
    fn: () =>
      withJobs(s.make({ launcher: new SimpleLauncher() }), `tsflow-${s.short}-`, async (p) => {
        const id = await p.submit("echo dying >&2; exit 3", 1, "fails");
        const done = await pollUntil(p, id, ended);
        assertEquals(done.state, "FAILED");
        assertEquals(done.exitCode, 3);
        assertEquals((await Deno.readTextFile(done.stderrPath!)).trim(), "dying");
      }),
  });

  Deno.test({
    name: `${s.name} cancels a running block and the queue shows it ${s.cancelled ?? "gone"}`,
    ignore,
    fn: () =>
      withJobs(s.make({ launcher: new SimpleLauncher() }), `tsflow-${s.short}-`, async (p) => {
        const id = await p.submit("sleep 300", 1, "cancelme");
        await pollUntil(p, id, (st) => st === "RUNNING");
        assertEquals(await p.cancel([id]), [true]);
        assertEquals((await p.status([id]))[0].state, "CANCELLED");
        await waitFor(
          async () => (await s.queue([id])).get(id) === s.cancelled,
          // Grid Engine drops a deleted job once its execd reports the kill: seconds on a busy node.
          30,
          `the queue to show job ${id} ${s.cancelled ?? "gone"}`,
        );
        assertEquals((await s.queue([id])).get(id), s.cancelled);
        assertEquals(await p.cancel([id]), [false], "a second cancel is a no-op");
      }),
  });

  Deno.test({
    name: `MpiExecLauncher starts one copy per rank with Open MPI inside a ${s.name} block`,
    ignore: ignore || noMpi,
    fn: () =>
      withJobs(
        s.make({
          ...s.mpi.opts,
          launcher: new MpiExecLauncher({ overrides: "--allow-run-as-root" }),
        }),
        `tsflow-${s.short}-`,
        async (p, dir) => {
          const id = await p.submit(
            `echo "rank $OMPI_COMM_WORLD_RANK" >> ${dir}/ranks`,
            2,
            "mpi-block",
          );
          const done = await pollUntil(p, id, ended);
          assertEquals(done.state, "COMPLETED", await Deno.readTextFile(done.stderrPath!));
          const ranks = (await Deno.readTextFile(`${dir}/ranks`)).trim().split("\n").sort();
          assertEquals(ranks, ["rank 0", "rank 1"]);
        },
      ),
  });

  Deno.test({
    name: `a ${s.name} block whose mpiexec launch fails ends FAILED with the exit code`,
    ignore: ignore || noMpi,
    fn: () =>
      withJobs(
        s.make({ ...s.mpi.opts, launcher: new MpiExecLauncher({ overrides: s.mpi.overrides }) }),
        `tsflow-${s.short}-`,
        async (p) => {
          const id = await p.submit("exit 3", s.mpi.failRanks, "mpiexec-fails");
          const done = await pollUntil(p, id, ended);
          assertEquals(done.state, "FAILED", await Deno.readTextFile(done.stderrPath!));
          assertEquals(done.exitCode, 3);
        },
      ),
  });
}
