// In tests/cwd/: these tests change the process's working directory (Deno.chdir), which test
// files running in parallel in the same process would see; the test task runs this folder alone.
// Tasks run in the driver's working directory on every executor, as in Parsl: relative paths in a
// bash command, in std streams and in function apps mean what they mean to the driver. Local
// blocks inherit the driver's directory; batch jobs are submitted from it (and start there).
import { assertEquals } from "../_assert.ts";
import {
  type Executor,
  GridEngineProvider,
  HighThroughputExecutor,
  load,
  SlurmProvider,
} from "../../mod.ts";
import { gridEngineMissing, skipNote, slurmMissing } from "../providers/_scheduler_util.ts";
import { cwdOf, writeRelative } from "../conformance/fixtures/parsl_apps.ts";
import { SUITE_EXECUTORS } from "../conformance/_parsl_suite.ts";
import { inTmpCwd } from "../_cwd.ts";

/** Runs a driver whose working directory is a fresh folder, and checks where tasks write. */
async function checkRunsInDriverDir(make: () => Executor): Promise<void> {
  await inTmpCwd("tsflow-cwd-", async (dir) => {
    const dfk = await load({ executors: [make()], runDir: "runinfo", strategy: "none" });
    try {
      await writeRelative.with({ stdout: "logs/pwd.out" })("sub/rel.txt", "here");
      assertEquals(Deno.readTextFileSync(`${dir}/sub/rel.txt`), "here\n");
      assertEquals(Deno.readTextFileSync(`${dir}/logs/pwd.out`), `${dir}\n`);
      assertEquals(await cwdOf(), dir);
    } finally {
      await dfk.cleanup();
    }
  });
}

for (const [name, make] of SUITE_EXECUTORS) {
  Deno.test(`${name}: a task runs in the driver's working directory`, () =>
    checkRunsInDriverDir(make));
}

const blockOpts = { initBlocks: 1, minBlocks: 0, maxBlocks: 1, walltime: "00:05:00" };
const htexOn = (provider: SlurmProvider | GridEngineProvider) => () =>
  new HighThroughputExecutor({
    label: "conf",
    maxWorkersPerNode: 1,
    heartbeatPeriod: 1,
    heartbeatThreshold: 10,
    provider,
  });

Deno.test({
  name: "HighThroughputExecutor on Slurm: a task runs in the driver's working directory",
  ignore: skipNote(slurmMissing()),
  fn: () => checkRunsInDriverDir(htexOn(new SlurmProvider({ ...blockOpts, exclusive: false }))),
});

Deno.test({
  name: "HighThroughputExecutor on Grid Engine: a task runs in the driver's working directory",
  ignore: skipNote(gridEngineMissing()),
  fn: () => checkRunsInDriverDir(htexOn(new GridEngineProvider(blockOpts))),
});
