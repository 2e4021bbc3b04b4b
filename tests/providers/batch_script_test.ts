import { deepStrictEqual as assertEquals, ok as assert, throws } from "node:assert/strict";
import { blockScript } from "../../providers/batch_script.ts";
import { shellQuote } from "../../providers/shell_quote.ts";
import { formatWalltime, walltimeMinutes, walltimeSeconds } from "../../providers/_walltime.ts";
import { ConfigError } from "../../dfk/errors.ts";
import { SlurmProvider } from "../../providers/slurm_provider.ts";
import { GridEngineProvider } from "../../providers/grid_engine_provider.ts";
import { SrunLauncher } from "../../launchers/srun_launcher.ts";
import { withFakeBin } from "./_fake_bin.ts";
import { outputOf } from "./_fixtures.ts";

Deno.test("walltimes parse in the schedulers' forms and reject anything else with a ConfigError", () => {
  assertEquals(["00:10:00", "10:00", "45", "1-02:00:00", "36:00:00"].map(walltimeSeconds), [
    600,
    600,
    45,
    93600,
    129600,
  ]);
  assertEquals(formatWalltime(93600), "26:00:00");
  assertEquals(walltimeMinutes("00:00:01"), 1);
  throws(() => walltimeSeconds("ten minutes"), ConfigError);
});

Deno.test("blockScript puts directives first, then the block's environment, workerInit and the command", () => {
  const s = blockScript({
    header: "#SBATCH --nodes=1",
    jobName: "it's",
    scriptDir: "/tmp/s",
    walltimeSeconds: 90,
    workerInit: "module load deno",
    command: "tsflow worker",
  });
  const lines = s.trimEnd().split("\n");
  assertEquals(lines[0], "#!/bin/bash");
  assertEquals(lines[1], "#SBATCH --nodes=1");
  assert(lines.includes(`export JOBNAME=${shellQuote("it's")}`));
  assert(lines.includes("export TSFLOW_BLOCK_END_TIME=$(( $(date +%s) + 90 ))"));
  assert(lines.indexOf("module load deno") < lines.indexOf("tsflow worker"));
  assertEquals(lines.at(-1), "tsflow worker");
});

Deno.test("SlurmProvider writes every requested #SBATCH option and the launched command", async () => {
  await withFakeBin(
    { sbatch: { command: "sbatch", output: "77\n", exitCode: 0 } },
    async (dir, calls) => {
      const p = new SlurmProvider({
        commandDir: dir,
        partition: "gpu",
        account: "abc",
        qos: "high",
        constraint: "haswell",
        memPerNode: 64,
        coresPerNode: 8,
        nodesPerBlock: 2,
        walltime: "02:00:00",
        schedulerOptions: "#SBATCH --gres=gpu:1",
        workerInit: "module load x",
        launcher: new SrunLauncher(),
      });
      p.scriptDir = dir;
      assertEquals(await p.submit("tsflow worker", 4, "tsflow.block.0"), "77");
      const s = await Deno.readTextFile(`${dir}/tsflow.block.0.submit`);
      for (
        const l of [
          "#SBATCH --job-name=tsflow.block.0",
          `#SBATCH --output=${dir}/tsflow.block.0.submit.stdout`,
          "#SBATCH --nodes=2",
          "#SBATCH --time=02:00:00",
          "#SBATCH --ntasks-per-node=4",
          "#SBATCH --cpus-per-task=8",
          "#SBATCH --mem=64g",
          "#SBATCH --exclusive",
          "#SBATCH --partition=gpu",
          "#SBATCH --account=abc",
          "#SBATCH --qos=high",
          "#SBATCH --constraint=haswell",
          "#SBATCH --gres=gpu:1",
          "srun --ntasks 8 -l bash",
        ]
      ) assert(s.includes(l), l);
      assert(
        s.indexOf("#SBATCH --gres") < s.indexOf("# tsflow block"),
        "scheduler options stay in the header",
      );
      assertEquals(await calls(), [`sbatch --parsable ${dir}/tsflow.block.0.submit`]);
    },
  );
});

Deno.test("GridEngineProvider writes h_rt, queue and a parallel environment sized tasksPerNode x nodes", async () => {
  await withFakeBin(
    { qsub: outputOf("qsub.txt", "qsub -terse -cwd -j y -b y -N cancelme") },
    async (dir) => {
      const p = new GridEngineProvider({
        commandDir: dir,
        queue: "all.q",
        parallelEnvironment: "smp",
        walltime: "00:30:00",
      });
      p.scriptDir = dir;
      assertEquals(await p.submit("tsflow worker", 2, "0block"), "3");
      const s = await Deno.readTextFile(`${dir}/j0block.submit`);
      for (
        const l of [
          "#$ -N j0block",
          "#$ -l h_rt=00:30:00",
          "#$ -q all.q",
          "#$ -pe smp 2",
          "#$ -S /bin/bash",
        ]
      ) {
        assert(s.includes(l), l);
      }
    },
  );
});
