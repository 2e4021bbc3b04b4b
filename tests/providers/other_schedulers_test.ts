// PBS Pro, Torque, LSF and HTCondor: not installable on Debian 12, so their parsers run on
// documented output samples (tests/fixtures/schedulers/README.md) and their submit/status/cancel
// paths run against stand-in commands that replay those samples.
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import {
  parsePbsQstatJson,
  parsePbsQsub,
  PBSProProvider,
} from "../../providers/pbspro_provider.ts";
import { parseTorqueQstat, TorqueProvider } from "../../providers/torque_provider.ts";
import { LSFProvider, parseBjobs, parseBsub } from "../../providers/lsf_provider.ts";
import {
  CondorProvider,
  parseCondorAf,
  parseCondorSubmit,
} from "../../providers/condor_provider.ts";
import { outputOf } from "./_fixtures.ts";
import { withFakeBin } from "./_fake_bin.ts";

const states = (m: Map<string, { state: string }>) =>
  Object.fromEntries([...m].map(([k, v]) => [k, v.state]));

Deno.test("PBS Pro parsers read qsub ids and qstat -F json states, exit status included", () => {
  assertEquals(parsePbsQsub(outputOf("pbspro_qstat_json.txt", "qsub").output), "1234.pbs-server");
  const m = parsePbsQstatJson(outputOf("pbspro_qstat_json.txt", "qstat -f -F json").output);
  assertEquals(states(m), {
    "1234.pbs-server": "RUNNING",
    "1235.pbs-server": "PENDING",
    "1236.pbs-server": "FAILED",
    "1237.pbs-server": "HELD",
  });
  assertEquals(m.get("1236.pbs-server")?.exitCode, 3);
});

Deno.test("Torque parser reads the qstat table", () => {
  const m = parseTorqueQstat(outputOf("torque_qstat.txt", "qstat 4807").output);
  assertEquals(states(m), {
    "4807.torque-server": "RUNNING",
    "4808.torque-server": "PENDING",
    "4809.torque-server": "COMPLETED",
  });
});

Deno.test("LSF parsers read bsub ids and bjobs states, skipping 'not found' lines", () => {
  assertEquals(parseBsub(outputOf("lsf_bsub_bjobs.txt", "bsub").output), "5521");
  const m = parseBjobs(outputOf("lsf_bsub_bjobs.txt", "bjobs").output);
  assertEquals(states(m), { 5521: "RUNNING", 5522: "PENDING", 5523: "COMPLETED", 5524: "FAILED" });
  assertEquals(m.get("5524")?.exitCode, 3);
});

Deno.test("HTCondor parsers read cluster ids, queue and history states", () => {
  assertEquals(parseCondorSubmit(outputOf("condor.txt", "condor_submit").output), "42");
  assertEquals(states(parseCondorAf(outputOf("condor.txt", "condor_q").output)), {
    42: "RUNNING",
    43: "PENDING",
    44: "HELD",
  });
  assertEquals(states(parseCondorAf(outputOf("condor.txt", "condor_history").output)), {
    45: "COMPLETED",
    46: "FAILED",
    47: "CANCELLED",
  });
});

Deno.test("PBSProProvider writes #PBS directives, submits, polls with qstat -x and cancels with qdel", async () => {
  await withFakeBin({
    qsub: outputOf("pbspro_qstat_json.txt", "qsub"),
    qstat: outputOf("pbspro_qstat_json.txt", "qstat -f -F json"),
    qdel: { command: "qdel", output: "", exitCode: 0 },
  }, async (dir, calls) => {
    const p = new PBSProProvider({
      commandDir: dir,
      queue: "workq",
      account: "proj",
      cpusPerNode: 8,
      walltime: "01:00:00",
      nodesPerBlock: 2,
    });
    p.scriptDir = dir;
    const id = await p.submit("tsflow worker", 1, "tsflow.block.0");
    assertEquals(id, "1234.pbs-server");
    const script = await Deno.readTextFile(`${dir}/tsflow.block.0.submit`);
    for (
      const l of [
        "#PBS -l walltime=01:00:00",
        "#PBS -l select=2:ncpus=8",
        "#PBS -q workq",
        "#PBS -A proj",
      ]
    ) {
      assert(script.includes(l), l);
    }
    assertEquals((await p.status([id]))[0].state, "RUNNING");
    assertEquals(await p.cancel([id]), [true]);
    assertEquals((await calls()).map((c) => c.split(" ")[0]), ["qsub", "qstat", "qdel"]);
    assert((await calls())[1].includes("-x 1234.pbs-server"));
  });
});

Deno.test("TorqueProvider asks for nodes=N:ppn=tasksPerNode", async () => {
  await withFakeBin({
    qsub: outputOf("torque_qstat.txt", "qsub"),
    qstat: outputOf("torque_qstat.txt", "qstat 4807"),
  }, async (dir) => {
    const p = new TorqueProvider({ commandDir: dir, nodesPerBlock: 3, queue: "batch" });
    p.scriptDir = dir;
    const id = await p.submit("tsflow worker", 4, "b0");
    assertEquals(id, "4807.torque-server");
    assert((await Deno.readTextFile(`${dir}/b0.submit`)).includes("#PBS -l nodes=3:ppn=4"));
    assertEquals((await p.status([id]))[0].state, "RUNNING");
  });
});

Deno.test("PBS Pro and Torque blocks start in the folder qsub ran in ($PBS_O_WORKDIR), as tasks expect", async () => {
  for (const [name, make] of [["pbspro", PBSProProvider], ["torque", TorqueProvider]] as const) {
    await withFakeBin({
      qsub: outputOf(name === "pbspro" ? "pbspro_qstat_json.txt" : "torque_qstat.txt", "qsub"),
    }, async (dir) => {
      const p = new make({ commandDir: dir });
      p.scriptDir = dir;
      await p.submit("pwd", 1, "b0");
      const script = await Deno.readTextFile(`${dir}/b0.submit`);
      const lines = script.split("\n");
      const cd = lines.findIndex((l) => l.startsWith('cd "$PBS_O_WORKDIR"'));
      assert(cd > lines.findLastIndex((l) => l.startsWith("#PBS")), script);
      // PBS starts the job in the home folder; the script moves to where qsub ran.
      const workdir = await Deno.makeTempDir();
      const out = await new Deno.Command("/bin/bash", {
        args: [`${dir}/b0.submit`],
        cwd: "/",
        env: { PBS_O_WORKDIR: workdir },
        stdout: "piped",
      }).output();
      assertEquals(new TextDecoder().decode(out.stdout).trim(), workdir, name);
      await Deno.remove(workdir);
    });
  }
});

Deno.test("LSFProvider feeds the script to bsub on stdin with walltime in minutes", async () => {
  await withFakeBin({
    bsub: outputOf("lsf_bsub_bjobs.txt", "bsub"),
    bjobs: outputOf("lsf_bsub_bjobs.txt", "bjobs"),
  }, async (dir) => {
    const p = new LSFProvider({ commandDir: dir, walltime: "00:30:30", project: "ABC" });
    p.scriptDir = dir;
    const id = await p.submit("tsflow worker", 2, "b0");
    assertEquals(id, "5521");
    const stdin = await Deno.readTextFile(`${dir}/bsub.stdin`);
    for (
      const l of [
        "#BSUB -W 31",
        "#BSUB -n 2",
        '#BSUB -R "span[ptile=2]"',
        "#BSUB -P ABC",
        "tsflow worker",
      ]
    ) {
      assert(stdin.includes(l), l);
    }
    // bjobs exits 255 because one id is unknown; the known ones still count.
    assertEquals((await p.status([id]))[0].state, "RUNNING");
  });
});

Deno.test("CondorProvider writes a submit description with a walltime periodic_remove", async () => {
  await withFakeBin({
    condor_submit: outputOf("condor.txt", "condor_submit"),
    condor_q: { command: "condor_q", output: "", exitCode: 0 },
    condor_history: outputOf("condor.txt", "condor_history"),
  }, async (dir) => {
    const p = new CondorProvider({ commandDir: dir, walltime: "00:10:00", memoryMb: 2000 });
    p.scriptDir = dir;
    const id = await p.submit("tsflow worker", 2, "b0");
    assertEquals(id, "42");
    const sub = await Deno.readTextFile(`${dir}/b0.submit.condor`);
    for (
      const l of [
        "executable = /bin/bash",
        `arguments = ${dir}/b0.submit`,
        "request_cpus = 2",
        "request_memory = 2000",
      ]
    ) {
      assert(sub.includes(l), l);
    }
    assert(sub.includes("(time() - EnteredCurrentStatus) > 600"));
    assert(sub.trimEnd().endsWith("queue"));
    // Gone from condor_q and not in this history sample: still the last known state (grace).
    assertEquals((await p.status([id]))[0].state, "PENDING");
  });
});
