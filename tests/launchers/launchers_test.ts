import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import {
  AprunLauncher,
  GnuParallelLauncher,
  JsrunLauncher,
  MpiExecLauncher,
  MpiRunLauncher,
  SimpleLauncher,
  SingleNodeLauncher,
  SrunLauncher,
  SrunMPILauncher,
  WrappedLauncher,
} from "../../launchers/mod.ts";

const CMD = 'tsflow worker --interchange "h:9000" --block $BLOCK';

Deno.test("SimpleLauncher returns the command unchanged", () => {
  assertEquals(new SimpleLauncher().launch(CMD, 4, 3), CMD);
});

Deno.test("WrappedLauncher puts its prefix before the command", () => {
  assertEquals(new WrappedLauncher("time").launch(CMD, 2, 2), `time ${CMD}`);
});

Deno.test("SingleNodeLauncher runs tasksPerNode x nodesPerBlock copies in a function", () => {
  const s = new SingleNodeLauncher({ debug: false, failOnAny: true }).launch(CMD, 2, 3);
  assert(s.includes("WORKERCOUNT=6\n"));
  assert(s.includes("FAILONANY=1\n"));
  assert(s.includes(`CMD() {\n${CMD}\n}`));
  assert(!s.includes("echo"), "debug off prints nothing");
});

Deno.test("launchers that use a command file store the command verbatim in a quoted here-document", () => {
  for (
    const l of [
      new SrunLauncher(),
      new MpiExecLauncher(),
      new MpiRunLauncher(),
      new GnuParallelLauncher(),
    ]
  ) {
    const s = l.launch(CMD, 1, 1);
    assert(/cat << '(\w+)' > "\$CMD_FILE"\n/.test(s), l.name);
    assert(s.includes(`\n${CMD}\n`), l.name);
  }
});

Deno.test("SrunLauncher runs one srun step over all task slots with overrides", () => {
  const s = new SrunLauncher({ overrides: "--mpi=none" }).launch(CMD, 2, 4);
  assert(s.includes('srun --ntasks 8 -l --mpi=none bash "$CMD_FILE"'));
  assert(s.includes("export CORES=$SLURM_CPUS_ON_NODE"));
});

Deno.test("SrunMPILauncher starts one srun per pool and waits", () => {
  const s = new SrunMPILauncher({ overrides: "-K" }).launch(CMD, 1, 4);
  assert(s.includes("TASKBLOCKS=4"));
  assert(s.includes('srun --ntasks $CORES_PER_BLOCK -l -K bash "$CMD_FILE" &'));
  assert(s.includes('srun --exclusive --nodes $NODES_PER_BLOCK -l -K bash "$CMD_FILE" &'));
  assert(s.includes('for PID in $PIDS; do wait "$PID" || FAILED=1; done'), "waits for each srun");
  assert(s.trimEnd().endsWith('exit "$TSFLOW_LAUNCH_STATUS"'));
});

Deno.test("launchers that run a parallel runner end with its exit status, not with an echo", () => {
  for (
    const l of [
      new SrunLauncher(),
      new SrunMPILauncher(),
      new MpiExecLauncher(),
      new MpiRunLauncher(),
      new GnuParallelLauncher(),
      new AprunLauncher(),
      new JsrunLauncher(),
    ]
  ) {
    const lines = l.launch(CMD, 1, 2).trimEnd().split("\n");
    assertEquals(lines.at(-1), 'exit "$TSFLOW_LAUNCH_STATUS"', l.name);
    assert(lines.at(-3) === "TSFLOW_LAUNCH_STATUS=$?", l.name);
  }
});

Deno.test("MpiExecLauncher unbinds ranks and uses a deduplicated host file", () => {
  const s = new MpiExecLauncher({ overrides: "--allow-run-as-root" }).launch(CMD, 3, 2);
  assert(s.includes("WORKERCOUNT=6"));
  assert(
    s.includes('mpiexec --bind-to none --allow-run-as-root -n $WORKERCOUNT --hostfile "$HOSTFILE"'),
  );
  assert(s.includes('sort -u "$PBS_NODEFILE"'));
});

Deno.test("MpiRunLauncher runs the command file through the configured shell", () => {
  const s = new MpiRunLauncher({ bashLocation: "/usr/bin/bash", overrides: "-x A" }).launch(
    CMD,
    2,
    1,
  );
  assert(s.includes('mpirun -np $WORKERCOUNT -x A /usr/bin/bash "$CMD_FILE"'));
});

Deno.test("AprunLauncher and JsrunLauncher pass total and per-node counts", () => {
  assert(
    new AprunLauncher({ overrides: "-cc none" }).launch(CMD, 4, 2).includes(
      "aprun -n 8 -N 4 -cc none /bin/bash",
    ),
  );
  assert(new JsrunLauncher().launch(CMD, 2, 3).includes("jsrun -n 6 -r 2 /bin/bash"));
});

Deno.test("GnuParallelLauncher runs tasksPerNode jobs at a time per host", () => {
  const s = new GnuParallelLauncher().launch(CMD, 2, 2);
  assert(s.includes("WORKERCOUNT=4"));
  assert(s.includes("--jobs 2 <"));
});
