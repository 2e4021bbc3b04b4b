// GridEngineProvider against the real one-node Grid Engine 8.1.9 (scripts/ci_schedulers.sh up).
// Skips, saying so, only when Grid Engine is not running.
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { GridEngineProvider } from "../../providers/grid_engine_provider.ts";
import { MpiExecLauncher, SimpleLauncher } from "../../launchers/mod.ts";
import type { JobState } from "../../providers/execution_provider.ts";
import {
  answers,
  gridEngineMissing,
  pollUntil,
  skipNote,
  withJobs,
} from "../providers/_scheduler_util.ts";

const ignore = skipNote(gridEngineMissing());

function withProvider(
  opts: ConstructorParameters<typeof GridEngineProvider>[0],
  fn: (p: GridEngineProvider, dir: string) => Promise<void>,
): Promise<void> {
  return withJobs(new GridEngineProvider({ walltime: "00:05:00", ...opts }), "tsflow-sge-", fn);
}

Deno.test({
  name: "GridEngineProvider runs a block through RUNNING to COMPLETED with its output",
  ignore,
  fn: () =>
    withProvider({ launcher: new SimpleLauncher(), workerInit: "export WHO=sge" }, async (p) => {
      const id = await p.submit('echo "hello $WHO $JOB_ID"; sleep 2', 1, "tsflow.block.0");
      assert(/^\d+$/.test(id));
      const seen: JobState[] = [];
      const running = await pollUntil(p, id, (s) => s === "RUNNING", 60, seen);
      assert(running.endTime! > Date.now());
      const done = await pollUntil(p, id, (s) => s !== "RUNNING" && s !== "PENDING", 60, seen);
      assertEquals(done.state, "COMPLETED", seen.join(","));
      assertEquals(done.exitCode, 0);
      assertEquals((await Deno.readTextFile(done.stdoutPath!)).trim(), `hello sge ${id}`);
    }),
});

Deno.test({
  name: "GridEngineProvider reports a failing block as FAILED with its exit code from qacct",
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
  name: "GridEngineProvider reports a block killed at h_rt as TIMEOUT",
  ignore,
  fn: () =>
    withProvider({ launcher: new SimpleLauncher(), walltime: "00:00:02" }, async (p) => {
      const id = await p.submit("sleep 120", 1, "tlimit");
      const done = await pollUntil(p, id, (s) => s !== "RUNNING" && s !== "PENDING", 60);
      assertEquals(done.state, "TIMEOUT", done.message);
    }),
});

Deno.test({
  name: "GridEngineProvider cancels a running block and qstat no longer lists it",
  ignore,
  fn: () =>
    withProvider({ launcher: new SimpleLauncher() }, async (p) => {
      const id = await p.submit("sleep 300", 1, "cancelme");
      await pollUntil(p, id, (s) => s === "RUNNING");
      assertEquals(await p.cancel([id]), [true]);
      assertEquals((await p.status([id]))[0].state, "CANCELLED");
      let listed = true;
      for (let i = 0; i < 50 && listed; i++) {
        const out = new TextDecoder().decode((await new Deno.Command("qstat").output()).stdout);
        listed = out.split("\n").some((l) => l.trim().split(/\s+/)[0] === id);
        if (listed) await new Promise((r) => setTimeout(r, 200));
      }
      assert(!listed, `job ${id} still in qstat`);
    }),
});

Deno.test({
  name: "MpiExecLauncher starts one copy per rank inside a Grid Engine parallel environment",
  ignore: ignore || !answers(["bash", "-c", "command -v mpiexec"]),
  fn: () =>
    withProvider(
      {
        parallelEnvironment: "smp",
        launcher: new MpiExecLauncher({ overrides: "--allow-run-as-root" }),
      },
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
  name: "a block whose mpiexec launch fails ends with a failed exit status in Grid Engine",
  ignore: ignore || !answers(["bash", "-c", "command -v mpiexec"]),
  fn: () =>
    withProvider(
      {
        parallelEnvironment: "smp",
        launcher: new MpiExecLauncher({ overrides: "--allow-run-as-root" }),
      },
      async (p) => {
        const id = await p.submit("exit 3", 2, "mpi-fails");
        const done = await pollUntil(p, id, (s) => s !== "RUNNING" && s !== "PENDING");
        assertEquals(done.state, "FAILED", await Deno.readTextFile(done.stderrPath!));
        assertEquals(done.exitCode, 3);
      },
    ),
});
