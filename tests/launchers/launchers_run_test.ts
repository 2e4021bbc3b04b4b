// Runs launcher scripts for real through LocalProvider: the copies must actually start.
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { LocalProvider } from "../../providers/local_provider.ts";
import type { Launcher } from "../../launchers/launcher.ts";
import { GnuParallelLauncher, MpiExecLauncher, SingleNodeLauncher } from "../../launchers/mod.ts";

function has(cmd: string): boolean {
  return new Deno.Command("bash", { args: ["-c", `command -v ${cmd}`], stdout: "null" })
    .outputSync().success;
}

async function runBlock(
  launcher: Launcher,
  tasksPerNode: number,
  command = 'echo "rank-$(cut -d" " -f4 /proc/self/stat)" >> $TSFLOW_SCRIPT_DIR/ranks',
  workerInit?: string,
): Promise<{ state: string; lines: string[]; err: string }> {
  const dir = await Deno.makeTempDir();
  const p = new LocalProvider({ launcher, workerInit });
  p.scriptDir = dir;
  try {
    const id = await p.submit(command, tasksPerNode, "launch");
    for (let i = 0; i < 600; i++) {
      const [s] = await p.status([id]);
      if (s.state !== "RUNNING") {
        const lines = (await Deno.readTextFile(`${dir}/ranks`).catch(() => "")).trim().split("\n")
          .filter((l) => l);
        return { state: s.state, lines, err: await Deno.readTextFile(s.stderrPath!) };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await p.cancel([id]);
    throw new Error("block did not finish in 30 s");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("SingleNodeLauncher starts every copy for real", async () => {
  const r = await runBlock(new SingleNodeLauncher(), 3);
  assertEquals(r.state, "COMPLETED");
  assertEquals(new Set(r.lines).size, 3);
});

Deno.test("a block's copies see CORES as getconf counts it, and the user's own variables unchanged", async () => {
  const getconf = new TextDecoder().decode(
    new Deno.Command("getconf", { args: ["_NPROCESSORS_ONLN"] }).outputSync().stdout,
  ).trim();
  const r = await runBlock(
    new SingleNodeLauncher(),
    1,
    'echo "$CORES $R" >> $TSFLOW_SCRIPT_DIR/ranks',
    "export R=/opt/R-4.3",
  );
  assertEquals(r.state, "COMPLETED");
  assertEquals(r.lines, [`${getconf} /opt/R-4.3`]);
});

Deno.test({
  name: "GnuParallelLauncher starts every copy with Debian's GNU parallel",
  ignore: !has("parallel"),
  fn: async () => {
    const r = await runBlock(new GnuParallelLauncher(), 2);
    assertEquals(r.state, "COMPLETED", r.err);
    assertEquals(new Set(r.lines).size, 2, r.err);
  },
});

Deno.test({
  name: "MpiExecLauncher starts one copy per rank with Debian's Open MPI (as root)",
  ignore: !has("mpiexec"),
  fn: async () => {
    const r = await runBlock(
      new MpiExecLauncher({ overrides: "--allow-run-as-root --oversubscribe" }),
      2,
    );
    assertEquals(r.state, "COMPLETED", r.err);
    assertEquals(new Set(r.lines).size, 2, r.err);
  },
});

Deno.test({
  name:
    "a launch that fails under mpiexec or GNU parallel fails the block instead of ending it COMPLETED",
  ignore: !has("mpiexec") || !has("parallel"),
  fn: async () => {
    for (
      const l of [
        new MpiExecLauncher({ overrides: "--allow-run-as-root --oversubscribe" }),
        new GnuParallelLauncher(),
      ]
    ) {
      const r = await runBlock(l, 2, "echo 'worker cannot start' >&2; exit 3");
      assertEquals(r.state, "FAILED", `${l.name}: ${r.err}`);
    }
  },
});
