// SlurmProvider and the srun launchers against the real one-node Slurm
// (scripts/ci_schedulers.sh up): what only Slurm has. The lifecycle and mpiexec checks shared
// with Grid Engine are in providers_scheduler_test.ts. Skips, saying so, only when Slurm is not
// running.
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { SlurmProvider } from "../../providers/slurm_provider.ts";
import { SimpleLauncher, SrunLauncher, SrunMPILauncher } from "../../launchers/mod.ts";
import { pollUntil, skipNote, slurmMissing, withJobs } from "../providers/_scheduler_util.ts";
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
  name: "a block whose SrunMPILauncher steps fail ends FAILED in Slurm",
  ignore,
  fn: () =>
    withProvider({ launcher: new SrunMPILauncher() }, async (p) => {
      const id = await p.submit("exit 3", 1, "srunmpi-fails");
      const done = await pollUntil(p, id, (s) => s !== "RUNNING" && s !== "PENDING");
      assertEquals(done.state, "FAILED", await Deno.readTextFile(done.stderrPath!));
    }),
});
