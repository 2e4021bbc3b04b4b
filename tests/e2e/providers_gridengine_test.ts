// GridEngineProvider against the real one-node Grid Engine 8.1.9 (scripts/ci_schedulers.sh up):
// what only Grid Engine has. The lifecycle and mpiexec checks shared with Slurm are in
// providers_scheduler_test.ts. Skips, saying so, only when Grid Engine is not running.
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { SimpleLauncher } from "../../launchers/mod.ts";
import { pollUntil, skipNote, withJobs } from "../providers/_scheduler_util.ts";
import { GRID_ENGINE } from "../providers/_schedulers.ts";

const ignore = skipNote(GRID_ENGINE.missing());

Deno.test({
  name: "GridEngineProvider reports a block killed at h_rt as TIMEOUT",
  ignore,
  fn: () =>
    withJobs(
      GRID_ENGINE.make({ launcher: new SimpleLauncher(), walltime: "00:00:02" }),
      "tsflow-sge-",
      async (p) => {
        const id = await p.submit("sleep 120", 1, "tlimit");
        const done = await pollUntil(p, id, (s) => s !== "RUNNING" && s !== "PENDING", 60);
        assertEquals(done.state, "TIMEOUT", done.message);
      },
    ),
});
