import { deepStrictEqual as assertEquals, ok as assert, rejects } from "node:assert/strict";
import { runChecked, runCommand } from "../../providers/command_runner.ts";
import { SchedulerCommandError } from "../../providers/errors.ts";
import { SlurmProvider } from "../../providers/slurm_provider.ts";
import { alive } from "../_processes.ts";

class MemLog {
  lines: string[] = [];
  debug(m: string) {
    this.lines.push(`debug ${m}`);
  }
  info(m: string) {
    this.lines.push(`info ${m}`);
  }
  warn(m: string) {
    this.lines.push(`warn ${m}`);
  }
  error(m: string) {
    this.lines.push(`error ${m}`);
  }
}

Deno.test("runCommand kills a command that outlives its timeout, children included", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCommand(["bash", "-c", `sleep 300 & echo $! > ${dir}/pid; wait`], {
      timeout: 0.5,
    });
    assertEquals(r.timedOut, true);
    assertEquals(r.exitCode, -1);
    const pid = Number(await Deno.readTextFile(`${dir}/pid`));
    assert(!alive(pid), "the command's child was killed too");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runCommand passes stdin and reports stdout, stderr and exit code", async () => {
  const r = await runCommand(["bash", "-c", "cat; echo err >&2; exit 4"], { stdin: "in\n" });
  assertEquals([r.stdout, r.stderr, r.exitCode, r.timedOut], ["in\n", "err\n", 4, false]);
});

Deno.test("runChecked logs each failure, retries with back-off, then throws SchedulerCommandError", async () => {
  const log = new MemLog();
  await rejects(
    runChecked(["bash", "-c", "echo nope >&2; exit 2"], {
      retries: 2,
      retryDelay: 0.01,
      logger: log,
    }),
    (e: unknown) =>
      e instanceof SchedulerCommandError && e.exitCode === 2 && /nope/.test(e.message),
  );
  assertEquals(log.lines.filter((l) => l.startsWith("warn")).length, 2);
  assertEquals(log.lines.filter((l) => l.startsWith("error")).length, 1);
});

Deno.test("a hanging squeue never stalls status(): the last known state comes back, the error is logged", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/sbatch`, "#!/bin/sh\necho 77\n", { mode: 0o755 });
    await Deno.writeTextFile(`${dir}/squeue`, "#!/bin/sh\nsleep 300\n", { mode: 0o755 });
    const log = new MemLog();
    const p = new SlurmProvider({ commandDir: dir, cmdTimeout: 0.3, commandRetries: 1 });
    p.scriptDir = dir;
    p.logger = log;
    const id = await p.submit("true", 1, "b0");
    assertEquals(id, "77");
    const [st] = await p.status([id]);
    assertEquals(st.state, "PENDING");
    assert(
      log.lines.some((l) => l.startsWith("warn Command failed, retrying")),
      log.lines.join("\n"),
    );
    assert(log.lines.some((l) => l.startsWith("error Status query failed")), log.lines.join("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
