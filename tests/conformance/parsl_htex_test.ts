// Parsl's parsl/tests/test_htex and test_scaling scenarios that need the HighThroughputExecutor
// itself: what workers know about themselves, lost workers and managers, blocks launched and
// scaled in (see docs/parsl-conformance.md). Parsl runs these on HTEX only.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import {
  blockIdSelector,
  type Config,
  HighThroughputExecutor,
  load,
  LocalProvider,
  type LocalProviderOptions,
  WorkerLost,
} from "../../mod.ts";
import { sleep } from "../dfk/fixtures/apps.ts";
import {
  getWorkerInfo,
  getWorkerPid,
  killManager,
  killWorker,
  myAffinity,
} from "./fixtures/parsl_python_apps.ts";
import { alive } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

/** LocalProvider that counts the blocks it submits and cancels (Parsl's test providers). */
class CountingLocalProvider extends LocalProvider {
  submitted: string[] = [];
  cancelled = new Set<string>();
  override async submit(command: string, tasksPerNode: number, jobName: string) {
    const id = await super.submit(command, tasksPerNode, jobName);
    this.submitted.push(id);
    return id;
  }
  override cancel(jobIds: string[]) {
    for (const id of jobIds) this.cancelled.add(id);
    return super.cancel(jobIds);
  }
}

/** Loads one HTEX on `provider` in a fresh run directory, runs `fn`, always cleans up. */
async function withHtex(
  provider: LocalProvider,
  fn: (htex: HighThroughputExecutor) => Promise<void>,
  opts: {
    maxWorkersPerNode?: number;
    managerSelector?: "block-id";
    cpuAffinity?: string;
    config?: Config;
  } = {},
): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "tsflow-parsl-" }));
  const htex = new HighThroughputExecutor({
    label: "htex_local",
    maxWorkersPerNode: opts.maxWorkersPerNode ?? 1,
    heartbeatPeriod: 1,
    heartbeatThreshold: 5,
    managerSelector: opts.managerSelector,
    cpuAffinity: opts.cpuAffinity,
    provider,
  });
  const dfk = await load({
    executors: [htex],
    runDir: `${dir}/runinfo`,
    strategy: "none",
    ...opts.config,
  });
  try {
    await fn(htex);
  } finally {
    await dfk.cleanup();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

const oneBlock: LocalProviderOptions = { initBlocks: 1, minBlocks: 0, maxBlocks: 1 };

Deno.test("HighThroughputExecutor: test_worker_info: rank, count, pool and block of each worker", () =>
  withHtex(new LocalProvider(oneBlock), async (htex) => {
    const info = await Promise.all(Array.from({ length: 4 }, () => getWorkerInfo()));
    const pools = htex.managers().map((m) => m.managerId);
    assertEquals(new Set(info.map((i) => i.size)), new Set([2]));
    assertEquals(new Set(info.map((i) => i.poolId)), new Set(pools));
    assertEquals(new Set(info.map((i) => i.blockId)), new Set(["0"]));
    assert(info.every((i) => i.rank === 0 || i.rank === 1), JSON.stringify(info));
  }, { maxWorkersPerNode: 2 }));

Deno.test("HighThroughputExecutor: test_worker_failure: a worker that exits is WorkerLost, 3 times", () =>
  withHtex(new LocalProvider(oneBlock), async () => {
    for (let i = 0; i < 3; i++) await assertRejects(() => killWorker(), WorkerLost);
    assertEquals(await sleep(1), 1); // the pool replaced its worker each time
  }));

for (const sig of ["SIGTERM", "SIGKILL"] as const) {
  Deno.test(`HighThroughputExecutor: test_manager_failure: workers end when their manager gets ${sig}`, () =>
    withHtex(new LocalProvider(oneBlock), async () => {
      const workerPid = await getWorkerPid();
      assert(alive(workerPid));
      await killManager(sig).exception(); // its own pool is gone: the task may fail
      await waitFor(() => !alive(workerPid), 30, `worker ${workerPid} to end with its manager`);
      assert(!alive(workerPid), `worker ${workerPid} outlived its manager`);
    }));
}

Deno.test("HighThroughputExecutor: test_regression_1621: one task launches one block", async () => {
  const provider = new CountingLocalProvider({ initBlocks: 0, minBlocks: 0, maxBlocks: 10 });
  await withHtex(provider, async () => {
    assertEquals(await sleep(1000), 1000);
  }, { config: { strategy: "simple", strategyPeriod: 0.1 } });
  assertEquals(provider.submitted.length, 1);
});

Deno.test("HighThroughputExecutor: test_shutdown_scalein: cleanup scales in every block", async () => {
  const provider = new CountingLocalProvider({ initBlocks: 3, minBlocks: 0, maxBlocks: 0 });
  await withHtex(provider, async (htex) => {
    await waitFor(() => htex.managers().length >= 3, 30, "three pools");
    assertEquals(htex.managers().length, 3);
  });
  assertEquals(provider.submitted.length, 3);
  assertEquals(provider.cancelled, new Set(provider.submitted));
});

Deno.test("test_block_manager_selector_unit: block-id orders pools newest block first", () => {
  const base = { workerCount: 1, prefetchCapacity: 0, outstanding: 0, active: true, idleSince: 0 };
  const ms = ["3", "1", "12", "2"].map((blockId, i) => ({ ...base, id: `m${i}`, blockId }));
  assertEquals(blockIdSelector.order(ms).map((m) => m.blockId), ["12", "3", "2", "1"]);
});

Deno.test("HighThroughputExecutor: test_manager_selector_by_block: tasks go to the newest block", () =>
  withHtex(new LocalProvider({ initBlocks: 2, minBlocks: 2, maxBlocks: 2 }), async (htex) => {
    await waitFor(() => htex.managers().length >= 2, 30, "two pools");
    assertEquals(htex.managers().length, 2);
    const blockIds = [];
    for (let i = 0; i < 10; i++) blockIds.push((await getWorkerInfo()).blockId);
    assertEquals(blockIds, Array(10).fill("1"));
  }, { managerSelector: "block-id" }));

Deno.test({
  name: "HighThroughputExecutor: test_cpu_affinity_explicit: list:<core> pins the worker",
  ignore: navigator.hardwareConcurrency < 2,
  fn: async () => {
    const core = String(navigator.hardwareConcurrency - 1);
    await withHtex(new LocalProvider(oneBlock), async () => {
      assertEquals(await myAffinity(), core);
    }, { cpuAffinity: `list:${core}` });
  },
});

Deno.test("HighThroughputExecutor: test_scale_down_htex_unregistered: a block whose pool never registers is scaled in when idle", () =>
  withHtex(
    new LocalProvider({ ...oneBlock, workerInit: "sleep 1000" }),
    async (htex) => {
      const state = () => [...htex.blocks().values()].map((b) => b.status.state);
      await waitFor(
        () => ["SCALED_IN", "CANCELLED", "COMPLETED", "FAILED"].includes(state()[0]),
        30,
        "the unregistered block to end",
      );
      assertEquals(htex.managers().length, 0);
      assertEquals(state().length, 1);
      assertEquals(state(), ["SCALED_IN"]); // scaled in (Parsl's JobState.SCALED_IN), not failed
    },
    { config: { strategy: "htex_auto_scale", strategyPeriod: 0.1, maxIdletime: 0.5 } },
  ));
