// SlurmProvider and srun / mpiexec launchers against the real one-node Slurm
// (scripts/ci_schedulers.sh up). Skips, saying so, only when Slurm is not running.
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { SlurmProvider } from "../../providers/slurm_provider.ts";
import {
  MpiExecLauncher,
  SimpleLauncher,
  SrunLauncher,
  SrunMPILauncher,
} from "../../launchers/mod.ts";
import type { JobState } from "../../providers/execution_provider.ts";
import {
  answers,
  pollUntil,
  skipNote,
  slurmMissing,
  withJobs,
} from "../providers/_scheduler_util.ts";
import { SubmitException } from "../../providers/errors.ts";

const ignore = skipNote(slurmMissing());

function withProvider(
  opts: ConstructorParameters<typeof SlurmProvider>[0],
  fn: (p: SlurmProvider, dir: string) => Promise<void>,
): Promise<void> {
  return withJobs(
    new SlurmProvider({ exclusive: false, walltime: "00:05:00", ...opts }),
    "tsflow-slurm-",
    fn,
  );
}

Deno.test({
  name: "SlurmProvider runs a block through PENDING/RUNNING to COMPLETED with its output",
  ignore,
  fn: () =>
    withProvider({ launcher: new SimpleLauncher(), workerInit: "export WHO=slurm" }, async (p) => {
      const id = await p.submit('echo "hello $WHO $SLURM_JOB_ID"; sleep 2', 1, "tsflow.block.0");
      assert(/^\d+$/.test(id));
      const seen: JobState[] = [];
      const running = await pollUntil(p, id, (s) => s === "RUNNING", 60, seen);
      assert(running.endTime! > Date.now(), "a running job knows when its walltime ends");
      const done = await pollUntil(p, id, (s) => s !== "RUNNING" && s !== "PENDING", 60, seen);
      assertEquals(done.state, "COMPLETED");
      assertEquals(done.exitCode, 0);
      assertEquals((await Deno.readTextFile(done.stdoutPath!)).trim(), `hello slurm ${id}`);
      assert(seen.includes("RUNNING") && seen.at(-1) === "COMPLETED", seen.join(","));
    }),
});

Deno.test({
  name: "SlurmProvider reports a failing block as FAILED with its exit code from sacct",
  ignore,
  fn: () =>
    withProvider({ launcher: new SimpleLauncher() }, async (p) => {
      const id = await p.submit("echo dying >&2; exit 3", 1, "fails");
      const done = await pollUntil(p, id, (s) => s !== "RUNNING" && s !== "PENDING");
      assertEquals(done.state, "FAILED");
      assertEquals(done.exitCode, 3);
      assertEquals((await Deno.readTextFile(done.stderrPath!)).trim(), "dying");
    }),
});

Deno.test({
  name: "SlurmProvider cancels a running block; Slurm then shows it CA",
  ignore,
  fn: () =>
    withProvider({ launcher: new SimpleLauncher() }, async (p) => {
      const id = await p.submit("sleep 300", 1, "cancelme");
      await pollUntil(p, id, (s) => s === "RUNNING");
      assertEquals(await p.cancel([id]), [true]);
      assertEquals((await p.status([id]))[0].state, "CANCELLED");
      let st = "";
      for (let i = 0; i < 50 && st !== "CA"; i++) {
        st = new TextDecoder().decode(
          (await new Deno.Command("squeue", { args: ["-h", "-t", "all", "-j", id, "-o", "%t"] })
            .output()).stdout,
        ).trim();
        if (st !== "CA") await new Promise((r) => setTimeout(r, 100));
      }
      assertEquals(st, "CA");
      assertEquals(await p.cancel([id]), [false], "a second cancel is a no-op");
    }),
});

Deno.test({
  name: "SlurmProvider queries many jobs in one status call, unknown ids included",
  ignore,
  fn: () =>
    withProvider({ launcher: new SimpleLauncher() }, async (p) => {
      const a = await p.submit("sleep 1", 1, "multi-a");
      const b = await p.submit("sleep 1", 1, "multi-b");
      const sts = await p.status([a, b, "999999"]);
      assert(["PENDING", "RUNNING", "COMPLETED"].includes(sts[0].state));
      assert(["PENDING", "RUNNING", "COMPLETED"].includes(sts[1].state));
      assertEquals(sts[2].state, "UNKNOWN");
    }),
});

Deno.test({
  name: "SlurmProvider raises SubmitException with sbatch's stderr for a bad partition",
  ignore,
  fn: () =>
    withProvider({ partition: "no-such-partition" }, async (p) => {
      let err: unknown;
      try {
        await p.submit("true", 1, "bad");
      } catch (e) {
        err = e;
      }
      assert(err instanceof SubmitException, String(err));
      assert(err.exitCode !== 0);
      assert(/partition/i.test(err.stderr), err.stderr);
    }),
});

Deno.test({
  name: "SrunLauncher starts tasksPerNode ranks inside a real Slurm job",
  ignore,
  fn: () =>
    withProvider({ launcher: new SrunLauncher() }, async (p) => {
      const id = await p.submit('echo "rank $SLURM_PROCID of $SLURM_NTASKS"', 2, "srun-block");
      const done = await pollUntil(p, id, (s) => s !== "RUNNING" && s !== "PENDING");
      const out = await Deno.readTextFile(done.stdoutPath!);
      assertEquals(done.state, "COMPLETED", out + (await Deno.readTextFile(done.stderrPath!)));
      const ranks = out.split("\n").filter((l) => /rank \d of 2/.test(l)).map((l) =>
        l.replace(/^\d+: /, "")
      ).sort();
      assertEquals(ranks, ["rank 0 of 2", "rank 1 of 2"]);
    }),
});

Deno.test({
  name: "MpiExecLauncher starts one copy per rank with Open MPI inside a real Slurm job",
  ignore: ignore || !answers(["bash", "-c", "command -v mpiexec"]),
  fn: () =>
    withProvider(
      { launcher: new MpiExecLauncher({ overrides: "--allow-run-as-root" }) },
      async (p, dir) => {
        const id = await p.submit(
          `echo "rank $OMPI_COMM_WORLD_RANK" >> ${dir}/ranks`,
          2,
          "mpi-block",
        );
        const done = await pollUntil(p, id, (s) => s !== "RUNNING" && s !== "PENDING");
        assertEquals(done.state, "COMPLETED", await Deno.readTextFile(done.stderrPath!));
        const ranks = (await Deno.readTextFile(`${dir}/ranks`)).trim().split("\n").sort();
        assertEquals(ranks, ["rank 0", "rank 1"]);
      },
    ),
});

Deno.test({
  name: "a block whose srun launch fails ends FAILED in Slurm with the launch's exit code",
  ignore,
  fn: () =>
    withProvider({ launcher: new SrunLauncher() }, async (p) => {
      const id = await p.submit("echo 'worker cannot start' >&2; exit 3", 1, "srun-fails");
      const done = await pollUntil(p, id, (s) => s !== "RUNNING" && s !== "PENDING");
      assertEquals(done.state, "FAILED", await Deno.readTextFile(done.stderrPath!));
      assert(done.exitCode !== 0 && done.exitCode !== undefined, String(done.exitCode));
      assert((await Deno.readTextFile(done.stderrPath!)).includes("worker cannot start"));
    }),
});

Deno.test({
  name: "a block whose mpiexec launch fails ends FAILED in Slurm",
  ignore: ignore || !answers(["bash", "-c", "command -v mpiexec"]),
  fn: () =>
    withProvider({
      launcher: new MpiExecLauncher({ overrides: "--allow-run-as-root --oversubscribe" }),
    }, async (p) => {
      const id = await p.submit("exit 3", 1, "mpiexec-fails");
      const done = await pollUntil(p, id, (s) => s !== "RUNNING" && s !== "PENDING");
      assertEquals(done.state, "FAILED", await Deno.readTextFile(done.stderrPath!));
      assertEquals(done.exitCode, 3);
    }),
});

Deno.test({
  name: "a block whose SrunMPILauncher steps fail ends FAILED in Slurm",
  ignore,
  fn: () =>
    withProvider({ launcher: new SrunMPILauncher() }, async (p) => {
      const id = await p.submit("exit 3", 1, "srunmpi-fails");
      const done = await pollUntil(p, id, (s) => s !== "RUNNING" && s !== "PENDING");
      assertEquals(done.state, "FAILED", await Deno.readTextFile(done.stderrPath!));
    }),
});
