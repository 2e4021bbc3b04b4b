// One conformance suite for every provider that can run here for real: the same block lifecycle
// against LocalProvider, the real Slurm and the real Grid Engine (the schedulers' cases skip,
// saying so, only when that scheduler is not running).
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import type { ExecutionProvider } from "../../providers/execution_provider.ts";
import { TERMINAL_JOB_STATES } from "../../providers/execution_provider.ts";
import { LocalProvider } from "../../providers/local_provider.ts";
import { SimpleLauncher } from "../../launchers/simple_launcher.ts";
import { pollUntil, skipNote } from "../providers/_scheduler_util.ts";
import { SCHEDULERS } from "../providers/_schedulers.ts";

const launcher = new SimpleLauncher();
const workerInit = "export CONF_INIT=yes";
const cases: { name: string; make: () => ExecutionProvider; skip?: string }[] = [
  {
    name: "LocalProvider",
    make: () => new LocalProvider({ launcher, workerInit, walltime: "00:05:00" }),
  },
  ...SCHEDULERS.map((s) => ({
    name: s.name,
    make: () => s.make({ launcher, workerInit }),
    skip: s.missing(),
  })),
];
const done = (s: string) => TERMINAL_JOB_STATES.has(s as never);

for (const c of cases) {
  Deno.test({
    name:
      `${c.name} conforms: run, fail with exit code, cancel, batch status, end time, workerInit`,
    ignore: skipNote(c.skip),
    fn: async () => {
      const dir = await Deno.makeTempDir({ prefix: "tsflow-conformance-" });
      const p = c.make();
      p.scriptDir = dir;
      const ids: string[] = [];
      const submit = async (cmd: string, name: string) => {
        const id = await p.submit(cmd, 1, name);
        ids.push(id);
        return id;
      };
      try {
        assertEquals(p.options.maxBlocks, 1);
        const ok = await submit('echo "out $JOBNAME $CONF_INIT"; echo err >&2; sleep 1', "conf-ok");
        const bad = await submit("exit 5", "conf-bad");
        const long = await submit("sleep 300", "conf-long");
        const running = await pollUntil(p, long, (s) => s === "RUNNING");
        assert(
          running.endTime !== undefined && running.endTime > Date.now(),
          "running blocks know their end",
        );
        const [okSt, badSt] = await Promise.all([pollUntil(p, ok, done), pollUntil(p, bad, done)]);
        assertEquals([okSt.state, okSt.exitCode], ["COMPLETED", 0]);
        assertEquals([badSt.state, badSt.exitCode], ["FAILED", 5]);
        assertEquals((await Deno.readTextFile(okSt.stdoutPath!)).trim(), "out conf-ok yes");
        assertEquals((await Deno.readTextFile(okSt.stderrPath!)).trim(), "err");
        const batch = await p.status([ok, bad, long]);
        assertEquals(batch.map((s) => s.state), ["COMPLETED", "FAILED", "RUNNING"]);
        assertEquals(await p.cancel([long]), [true]);
        assertEquals((await p.status([long]))[0].state, "CANCELLED");
        assertEquals(await p.cancel([ok]), [false], "a finished block cannot be cancelled");
      } finally {
        await p.cancel(ids);
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
