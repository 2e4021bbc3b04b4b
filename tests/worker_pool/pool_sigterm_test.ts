// A pool that gets SIGTERM (how LocalProvider.cancel and batch systems end a block) stops as when
// asked: its workers are killed, its socket directory is removed and its log is written. Before,
// it died at once: the log lines of its last 100 ms were lost and /tmp/tsflow-pool-* was left.
import assert from "node:assert/strict";
import { modeCommand } from "../../cli/self_command.ts";
import { alive } from "../_processes.ts";
import { waitFor, within } from "../_wait.ts";

/** Children of `pid` (from /proc), e.g. a pool's worker processes. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) {
        out.push(Number(e.name));
      }
    } catch { /* gone */ }
  }
  return out;
}

async function sigtermPool(interchange: string, connected: boolean): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "tsflow-sigterm-" });
  const tmp = `${dir}/tmp`;
  Deno.mkdirSync(tmp);
  const secret = `${dir}/secret`;
  Deno.writeTextFileSync(secret, "s".repeat(32), { mode: 0o600 });
  const argv = modeCommand("worker", [
    "--interchange",
    interchange,
    "--secret-file",
    secret,
    "--address-probe-timeout",
    "60",
    "--max-workers-per-node",
    "2",
    "--log-dir",
    dir,
    "--block-id",
    "0",
  ]);
  const pool = new Deno.Command(argv[0], {
    args: argv.slice(1),
    env: { TMPDIR: tmp },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let workers: number[] = [];
  try {
    // Up: both workers started, the socket directory made, the log started.
    await waitFor(() => (workers = childrenOf(pool.pid)).length === 2, 30, "the pool's workers");
    await waitFor(() => Deno.readDirSync(tmp).some((e) => e.name.startsWith("tsflow-pool-")));
    if (connected) {
      const log = () => [...Deno.readDirSync(`${dir}/block-0`)];
      await waitFor(() => log().length > 0, 30, "the pool's log");
    }
    pool.kill("SIGTERM");
    const status = await within(pool.status, 20, "the pool to exit after SIGTERM");
    assert.equal(status.code, 143);
    assert.match(await new Response(pool.stderr).text(), /terminated by SIGTERM/);
    assert.deepEqual([...Deno.readDirSync(tmp)].map((e) => e.name), [], "socket dir removed");
    const [logFile] = [...Deno.readDirSync(`${dir}/block-0`)];
    const log = Deno.readTextFileSync(`${dir}/block-0/${logFile.name}`);
    assert.match(log, /Pool exiting with code 143: terminated by SIGTERM/);
    await waitFor(() => workers.every((w) => !alive(w)), 20, "the workers to exit");
  } finally {
    try {
      pool.kill("SIGKILL");
    } catch { /* exited */ }
    for (const w of workers) {
      try {
        Deno.kill(w, "SIGKILL");
      } catch { /* exited */ }
    }
    await pool.status;
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("a pool still looking for its interchange stops cleanly on SIGTERM", async () => {
  // A port nothing listens on: the pool keeps probing (up to 60 s) until the signal.
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  await sigtermPool(`127.0.0.1:${port}`, false);
});

Deno.test("a pool connected to its interchange stops cleanly on SIGTERM", async () => {
  // A peer that accepts and says nothing: the pool is connected, waiting for its challenge.
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const c of l) conns.push(c);
  })().catch(() => {});
  try {
    await sigtermPool(`127.0.0.1:${(l.addr as Deno.NetAddr).port}`, true);
  } finally {
    l.close();
    for (const c of conns) c.close();
    await accepting;
  }
});
