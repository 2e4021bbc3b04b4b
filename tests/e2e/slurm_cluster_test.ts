// Blocks that span several nodes, on the real 3-node Slurm cluster (scripts/slurm-cluster-up.sh:
// nodes node1..3 are network namespaces behind the bridge 10.201.0.1). Skips, saying so, when
// the cluster is not up, unless TSFLOW_REQUIRE_SCHEDULERS=1.
import { assert, assertEquals } from "../_assert.ts";
import { SlurmProvider } from "../../providers/slurm_provider.ts";
import { MpiExecLauncher, SrunLauncher } from "../../launchers/mod.ts";
import type { Launcher } from "../../launchers/launcher.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { load } from "../../dfk/load.ts";
import type { MonitoringEvent, MonitoringSink } from "../../dfk/monitoring_event.ts";
import type { AppFuture } from "../../dfk/future.ts";
import { hostAfter } from "../fixtures/htex_apps.ts";
import { answers, pollUntil, withJobs } from "../providers/_scheduler_util.ts";
import {
  cluster,
  CLUSTER_ENV,
  clusterCommandDir,
  clusterIgnore,
  liveJobs,
  NODES,
  nodeState,
  restoreNode,
  setLink,
} from "../providers/_slurm_cluster.ts";
import { MOD_URL, tempDirWith, tsflow } from "../cli/_cli.ts";
import { waitFor, within } from "../_wait.ts";

const ignore = clusterIgnore();

/** The README's Slurm example, exactly as the README shows it. */
function readmeSlurmExample(): string {
  const readme = Deno.readTextFileSync(new URL("../../README.md", import.meta.url));
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const example = blocks.find((b) =>
    b.includes("new SlurmProvider(") && b.includes("SrunLauncher")
  );
  assert(example, "the README has a Slurm example");
  return example;
}

Deno.test({
  name:
    "the README's Slurm example runs unchanged on 3 nodes: one pool per node of a 2-node block, tasks on both, no job left",
  ignore,
  fn: async () => {
    const example = readmeSlurmExample();
    assert(example.includes('partition: "debug"') && example.includes("nodesPerBlock: 2"));
    assert(!example.includes("address"), "the example sets no address");
    const dir = await tempDirWith({
      "deno.json": JSON.stringify({ imports: { tsflow: MOD_URL } }),
      "flow.ts": example + `
import { app } from "tsflow";
export const where = app(async (s: number) => {
  await new Promise((r) => setTimeout(r, s * 1000));
  return Deno.hostname();
});
export default async function main() {
  const counts: Record<string, number> = {};
  const until = Date.now() + 120_000;
  while (Object.keys(counts).length < 2 && Date.now() < until) {
    for (const h of await Promise.all(Array.from({ length: 8 }, () => where(0.5)))) {
      counts[h] = (counts[h] ?? 0) + 1;
    }
  }
  console.log("hosts=" + JSON.stringify(counts));
}
`,
    });
    const r = await tsflow(["run", "flow.ts"], { cwd: dir, env: CLUSTER_ENV, timeoutMs: 240_000 });
    const ended = Date.now();
    assertEquals(r.code, 0, r.stderr + r.stdout);
    const counts = JSON.parse(/^hosts=(.*)$/m.exec(r.stdout)![1]) as Record<string, number>;
    const hosts = Object.keys(counts);
    assertEquals(hosts.length, 2, r.stdout);
    assert(hosts.every((h) => NODES.includes(h)), `tasks ran on the compute nodes: ${hosts}`);
    // One pool per node of block 0, each from its node's own address.
    const log = Deno.readTextFileSync(`${dir}/runinfo/000/cluster/interchange.log`);
    const regs = log.split("\n").filter((l) =>
      l.includes("Registered pool") && l.includes('"blockId":"0"')
    );
    const regHosts = regs.map((l) => /node\d/.exec(l)?.[0]).sort();
    assertEquals(regHosts, [...hosts].sort(), regs.join("\n"));
    // Each pool connected from its node's address, over the bridge, not over loopback.
    for (const l of regs) assert(/"peer":"10\.201\.0\.1[1-3]:/.test(l), l);
    // This run's jobs, not the cluster's: other runs (other test files, other checkouts) share
    // the cluster, and a requeued block of theirs can sit in the queue for a minute.
    const runLog = Deno.readTextFileSync(`${dir}/runinfo/000/tsflow.log`);
    const jobs = [...runLog.matchAll(/Submitted \S+ as job (\d+)/g)].map((m) => m[1]);
    assert(jobs.length > 0, "the run log names its jobs");
    await waitFor(async () => (await liveJobs(jobs)).length === 0, 30, "no job left in the queue");
    console.log(
      `jobs ${jobs} out of the queue ${((Date.now() - ended) / 1000).toFixed(1)} s after the run`,
    );
  },
});

async function ranksAcrossNodes(launcher: Launcher): Promise<string[]> {
  const bin = clusterCommandDir();
  try {
    let ranks: string[] = [];
    await withJobs(
      new SlurmProvider({ nodesPerBlock: 2, launcher, commandDir: bin, walltime: "00:05:00" }),
      "tsflow-cluster-launch-",
      async (p, dir) => {
        const id = await p.submit(`echo "$(hostname)" >> ${dir}/ranks`, 1, "ranks");
        const done = await pollUntil(p, id, (s) => s !== "RUNNING" && s !== "PENDING", 120);
        assertEquals(done.state, "COMPLETED", await Deno.readTextFile(done.stderrPath!));
        ranks = (await Deno.readTextFile(`${dir}/ranks`)).trim().split("\n").sort();
      },
    );
    return ranks;
  } finally {
    Deno.removeSync(bin, { recursive: true });
  }
}

Deno.test({
  name: "SrunLauncher starts one rank on each node of a 2-node block",
  ignore,
  fn: async () => {
    const ranks = await ranksAcrossNodes(new SrunLauncher());
    assertEquals(ranks.length, 2, ranks.join(","));
    assertEquals(new Set(ranks).size, 2, ranks.join(","));
    assert(ranks.every((h) => NODES.includes(h)), ranks.join(","));
  },
});

Deno.test({
  name: "MpiExecLauncher starts one rank on each node of a 2-node block",
  ignore: ignore || !answers(["bash", "-c", "command -v mpiexec"]),
  fn: async () => {
    const ranks = await ranksAcrossNodes(new MpiExecLauncher({ overrides: "--allow-run-as-root" }));
    assertEquals(ranks.length, 2, ranks.join(","));
    assertEquals(new Set(ranks).size, 2, ranks.join(","));
    assert(ranks.every((h) => NODES.includes(h)), ranks.join(","));
  },
});

/** A monitoring sink that keeps the events in memory. */
class Recorder implements MonitoringSink {
  events: MonitoringEvent[] = [];
  start(): void {}
  record(e: MonitoringEvent): void {
    this.events.push(e);
  }
  async close(): Promise<void> {}
  nodes(active: boolean): Extract<MonitoringEvent, { type: "node" }>[] {
    return this.events.filter((e): e is Extract<MonitoringEvent, { type: "node" }> =>
      e.type === "node" && e.active === active
    );
  }
}

Deno.test({
  name:
    "a node that goes silent: its pool is lost, its tasks retried on another node; Slurm requeues the block and the run completes",
  ignore,
  fn: async () => {
    const bin = clusterCommandDir();
    const runDir = Deno.makeTempDirSync({ prefix: "tsflow-cluster-fault-" });
    const sink = new Recorder();
    const heartbeatThreshold = 10;
    const htex = new HighThroughputExecutor({
      label: "multi",
      maxWorkersPerNode: 2,
      heartbeatPeriod: 2,
      heartbeatThreshold,
      provider: new SlurmProvider({
        partition: "debug",
        nodesPerBlock: 2,
        initBlocks: 1,
        minBlocks: 0,
        maxBlocks: 1,
        walltime: "00:15:00",
        launcher: new SrunLauncher(),
        commandDir: bin,
      }),
    });
    const dfk = await load({
      executors: [htex],
      retries: 3,
      runDir,
      strategy: "simple",
      strategyPeriod: 1,
      monitoring: sink,
    });
    let victim: string | undefined;
    let jobs: string[] = [];
    try {
      await waitFor(() => sink.nodes(true).length >= 2, 90, "pools on both nodes");
      const pools = sink.nodes(true);
      assertEquals(new Set(pools.map((p) => p.hostname)).size, 2, "one pool per node");
      jobs = [...htex.blocks().values()].map((b) => b.jobId!).filter((j) => j);

      const wave1: AppFuture<string>[] = Array.from({ length: 24 }, () => hostAfter(2));
      await waitFor(
        () => htex.managers().length === 2 && htex.managers().every((m) => m.outstanding > 0),
        60,
        "tasks on both pools",
      );
      victim = pools[0].hostname;
      const cut = Date.now();
      await setLink(victim, false);
      await waitFor(
        () => sink.nodes(false).some((e) => e.hostname === victim),
        heartbeatThreshold * 6,
        `the pool on ${victim} to be declared lost`,
      );
      console.log(
        `pool on ${victim} lost ${((Date.now() - cut) / 1000).toFixed(1)} s after the cut`,
      );
      const hosts1 = await within(Promise.all(wave1), 300, "the first wave");
      assertEquals(hosts1.length, 24);
      const lost = wave1.filter((f) => f.task.failHistory.some((e) => e.includes("ManagerLost")));
      assert(lost.length > 0, "some tasks failed with ManagerLost and were retried");

      // Slurm notices the silent node, marks it DOWN and requeues the block (same job id).
      await waitFor(
        async () => (await nodeState(victim!)).startsWith("down"),
        150,
        `${victim} DOWN`,
      );
      console.log(`${victim} DOWN ${((Date.now() - cut) / 1000).toFixed(1)} s after the cut`);
      await waitFor(
        async () => /Restarts=[1-9]/.test(await cluster(["scontrol", "show", "job", jobs[0]])),
        60,
        "the block to be requeued",
      );
      const wave2 = await within(
        Promise.all(Array.from({ length: 8 }, () => hostAfter(0.2))),
        300,
        "the second wave, after the requeue",
      );
      assertEquals(wave2.length, 8);
      assert(!wave2.includes(victim), `nothing ran on the dead node: ${wave2}`);
      console.log(`run complete ${((Date.now() - cut) / 1000).toFixed(1)} s after the cut`);
    } finally {
      if (victim) await restoreNode(victim);
      await dfk.cleanup();
      Deno.removeSync(bin, { recursive: true });
      Deno.removeSync(runDir, { recursive: true });
    }
    await waitFor(async () => (await liveJobs(jobs)).length === 0, 30, "no job left in the queue");
  },
});
