import {
  deepStrictEqual as assertEquals,
  match as assertMatch,
  ok as assert,
} from "node:assert/strict";
import { LocalProvider } from "../../providers/local_provider.ts";
import { SimpleLauncher } from "../../launchers/simple_launcher.ts";
import { alive } from "../_processes.ts";
import { waitFor } from "../_wait.ts";
import { pollUntil } from "./_scheduler_util.ts";

/** Polls the job until it is no longer RUNNING (bounded). */
const ended = (p: LocalProvider, id: string) => pollUntil(p, id, (s) => s !== "RUNNING");

Deno.test("LocalProvider runs a block to COMPLETED with its stdout and stderr in the script dir", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const p = new LocalProvider({
      launcher: new SimpleLauncher(),
      workerInit: "export GREETING=hi",
    });
    p.scriptDir = dir;
    const id = await p.submit('echo "$GREETING $JOBNAME"; echo oops >&2', 1, "block-0");
    const s = await ended(p, id);
    assertEquals(s.state, "COMPLETED");
    assertEquals(s.exitCode, 0);
    assertEquals(s.stdoutPath, `${dir}/block-0.stdout`);
    assertEquals((await Deno.readTextFile(s.stdoutPath!)).trim(), "hi block-0");
    assertEquals((await Deno.readTextFile(s.stderrPath!)).trim(), "oops");
    // No walltime enforced: the block never ends by itself, so pools are not told an end time.
    assert(!(await Deno.readTextFile(`${dir}/block-0.sh`)).includes("TSFLOW_BLOCK_END_TIME"));
    const timed = new LocalProvider({ walltime: "00:05:00" });
    timed.scriptDir = dir;
    const id2 = await timed.submit("true", 1, "block-1");
    await ended(timed, id2);
    assert((await Deno.readTextFile(`${dir}/block-1.sh`)).includes("TSFLOW_BLOCK_END_TIME"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LocalProvider reports FAILED with the command's exit code", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const p = new LocalProvider({ launcher: new SimpleLauncher() });
    p.scriptDir = dir;
    const id = await p.submit("exit 3", 1, "fail");
    const s = await ended(p, id);
    assertEquals(s.state, "FAILED");
    assertEquals(s.exitCode, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LocalProvider cancel kills the whole process group, grandchildren included", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const p = new LocalProvider({ launcher: new SimpleLauncher() });
    p.scriptDir = dir;
    const id = await p.submit(`sleep 300 & echo $! > ${dir}/child.pid; wait`, 1, "cancel-me");
    let child = 0;
    await waitFor(
      async () =>
        (child = Number(await Deno.readTextFile(`${dir}/child.pid`).catch(() => "0"))) > 0,
      10,
      "the grandchild's pid",
    );
    assert(child > 0 && alive(child), "grandchild started");
    assertEquals((await p.status([id]))[0].state, "RUNNING");
    assertEquals(await p.cancel([id]), [true]);
    assertEquals((await p.status([id]))[0].state, "CANCELLED");
    // SIGKILL is sent; the grandchild may take a moment to be gone or become a zombie.
    await waitFor(() => !alive(child), 10, "the grandchild to die");
    assert(!alive(child), "grandchild killed");
    assertEquals(await p.cancel([id]), [false]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LocalProvider cancel lets a child that handles SIGTERM finish after the script's shell died", async () => {
  // A pool does so: on SIGTERM it stops its workers, removes its socket directory and writes its
  // log. The script's shell dies of SIGTERM at once; the child must not get SIGKILL with it.
  const dir = await Deno.makeTempDir();
  try {
    const p = new LocalProvider({ launcher: new SimpleLauncher(), killGrace: 20 });
    p.scriptDir = dir;
    const child = `trap 'sleep 0.3; echo cleaned > ${dir}/done; exit 0' TERM; ` +
      `echo up > ${dir}/up; while :; do sleep 0.05; done`;
    const id = await p.submit(`bash -c "${child}" & wait`, 1, "graceful");
    await waitFor(async () => (await Deno.readTextFile(`${dir}/up`).catch(() => "")) !== "", 10);
    assertEquals(await p.cancel([id]), [true]);
    assertEquals(await Deno.readTextFile(`${dir}/done`).catch(() => "killed"), "cleaned\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LocalProvider's default launcher starts tasksPerNode x nodesPerBlock copies", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const p = new LocalProvider({ nodesPerBlock: 2 });
    p.scriptDir = dir;
    const id = await p.submit(`echo copy >> ${dir}/copies`, 3, "copies");
    const s = await ended(p, id);
    assertEquals(s.state, "COMPLETED");
    assertEquals((await Deno.readTextFile(`${dir}/copies`)).trim().split("\n").length, 6);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LocalProvider kills a block at its walltime and reports TIMEOUT with its end time", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const p = new LocalProvider({
      launcher: new SimpleLauncher(),
      walltime: "00:00:01",
      killGrace: 1,
    });
    p.scriptDir = dir;
    const id = await p.submit("sleep 60", 1, "slow");
    const [running] = await p.status([id]);
    assert(running.endTime! - running.startTime! === 1000);
    const s = await ended(p, id);
    assertEquals(s.state, "TIMEOUT");
    assertMatch(s.message!, /SIGTERM/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LocalProvider reports ids it never started as MISSING", async () => {
  const p = new LocalProvider();
  assertEquals((await p.status(["424242"]))[0].state, "MISSING");
  assertEquals(await p.cancel(["424242"]), [false]);
});

Deno.test("LocalProvider has started the block when submit() returns, before its promise settles", async () => {
  // An executor starts its interchange right after submitting its first blocks: the pool, the
  // longer chain of a cold start, must already be on its way by then (issue 14).
  const dir = await Deno.makeTempDir();
  const p = new LocalProvider();
  p.scriptDir = dir;
  try {
    const submitted = p.submit("sleep 30", 1, "block-early");
    // Nothing awaited yet: the block's process (setsid, execing bash) exists already. Found as
    // this process's child by its stat (its cmdline is unreadable while it execs).
    let pid = 0;
    for (const e of Deno.readDirSync("/proc")) {
      if (!/^\d+$/.test(e.name)) continue;
      try {
        const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (ppid === Deno.pid && /\((setsid|bash)\)/.test(stat)) pid = Number(e.name);
      } catch { /* gone */ }
    }
    assert(pid > 0, "the block runs before submit()'s promise is awaited");
    assertEquals(await submitted, String(pid));
    await p.cancel([String(pid)]);
    assert(!alive(pid));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LocalProvider.submit rejects, not throws, when the script cannot be written", async () => {
  const p = new LocalProvider();
  p.scriptDir = "/proc/tsflow-no-such-dir";
  const submitted = p.submit("true", 1, "block-x");
  assert(submitted instanceof Promise);
  await submitted.then(() => assert(false, "submitted"), (e) => assertMatch(String(e), /proc/));
});
