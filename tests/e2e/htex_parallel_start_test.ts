// A cold start does not wait for one process after another: the first blocks are submitted
// before the interchange is even spawned (their pools retry until it listens), and a pool's
// workers start before the pool has reached the interchange.
import { assert, assertEquals } from "../_assert.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { LocalProvider } from "../../providers/local_provider.ts";
import { modeCommand } from "../../cli/self_command.ts";
import { makeHost, task } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

/** A LocalProvider that notes, at each submission, which interchanges of `dir` are running. */
class WatchingProvider extends LocalProvider {
  seen: number[][] = [];
  constructor(readonly dir: string) {
    super({ initBlocks: 1, maxBlocks: 1 });
  }
  override submit(command: string, tasksPerNode: number, jobName: string): Promise<string> {
    const out = new Deno.Command("pgrep", { args: ["-f", `${this.dir}/.*interchange.log`] })
      .outputSync();
    this.seen.push(new TextDecoder().decode(out.stdout).split("\n").filter((s) => s).map(Number));
    return super.submit(command, tasksPerNode, jobName);
  }
}

async function run(opts: { workerPort?: number }): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "htex-parallel-" });
  const host = makeHost(dir);
  const provider = new WatchingProvider(dir);
  const htex = new HighThroughputExecutor({ provider, maxWorkersPerNode: 1, ...opts });
  try {
    await htex.start(host);
    assertEquals(provider.seen, [[]], "the block was submitted before the interchange started");
    assertEquals(await htex.submit(task("add", [2, 3])), 5);
    assert(htex.workerPort > 0);
    if (opts.workerPort) assertEquals(htex.workerPort, opts.workerPort);
  } finally {
    await htex.shutdown();
    await host.logger.close();
    await waitFor(async () => (await processesMatching(dir)).length === 0, 10, "no leftovers");
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("htex submits its initial blocks while its interchange starts (picked port)", () =>
  run({}));

Deno.test("htex submits its initial blocks while its interchange starts (given workerPort)", () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return run({ workerPort: port });
});

Deno.test("a pool starts its workers while it waits for the interchange, and reaps them if none answers", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-parallel-pool-" });
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close(); // nobody listens there: the pool keeps probing
  Deno.writeTextFileSync(`${dir}/secret`, "s");
  const argv = modeCommand("worker", [
    "--interchange",
    `127.0.0.1:${port}`,
    "--secret-file",
    `${dir}/secret`,
    "--max-workers-per-node",
    "2",
    "--address-probe-timeout",
    "4",
    "--log-dir",
    dir,
  ]);
  const pool = new Deno.Command(argv[0], { args: argv.slice(1), stderr: "piped" }).spawn();
  const stderr = new Response(pool.stderr).text();
  try {
    const workers = async () => {
      const o = await new Deno.Command("pgrep", {
        args: ["-P", String(pool.pid), "-f", "worker-process"],
      }).output();
      return new TextDecoder().decode(o.stdout).split("\n").filter((s) => s).map(Number);
    };
    await waitFor(async () => (await workers()).length === 2, 20, "two workers before connecting");
    const seen = await workers();
    const st = await pool.status;
    assertEquals(st.code, 1);
    const err = await stderr;
    assert(err.includes("cannot reach the interchange"), err);
    for (const p of seen) {
      await waitFor(
        () => {
          try {
            Deno.kill(p, "SIGCONT");
            return false;
          } catch {
            return true;
          }
        },
        10,
        `worker ${p} reaped`,
      );
    }
  } finally {
    try {
      pool.kill("SIGKILL");
    } catch { /* exited */ }
    await pool.status;
    await stderr.catch(() => {});
    Deno.removeSync(dir, { recursive: true });
  }
});
