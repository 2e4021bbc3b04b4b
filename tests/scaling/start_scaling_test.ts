// The scaling loop with in-memory executors (the loop's own behaviour; real executors and
// providers are exercised in tests/e2e/providers_*_test.ts).
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { startScaling } from "../../dfk/scaling/mod.ts";
import type { ManagerSummary, ScalableExecutor } from "../../dfk/scaling/mod.ts";
import type { JobStatus } from "../../providers/execution_provider.ts";
import { LocalProvider } from "../../providers/local_provider.ts";
import { ScaleOutFailed } from "../../providers/errors.ts";
import { waitFor } from "../_wait.ts";

class FakeExecutor implements ScalableExecutor {
  readonly provider: LocalProvider;
  polls = 0;
  blocked?: Promise<void>;
  pending = 0;
  table = new Map<string, { jobId?: string; status: JobStatus }>();
  failed?: Error;
  constructor(readonly label: string, initBlocks = 1) {
    this.provider = new LocalProvider({ initBlocks, minBlocks: 0, maxBlocks: 3 });
  }
  outstanding() {
    return this.pending;
  }
  slotsPerBlock() {
    return 1;
  }
  blocks() {
    return this.table;
  }
  connected: string[] = [];
  managers(): ManagerSummary[] {
    return this.connected.map((blockId) => ({
      managerId: `m${blockId}`,
      blockId,
      workerCount: 1,
      outstanding: 0,
      idleSeconds: 0,
      active: true,
    }));
  }
  scaleOut(n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, (_, i) => String(this.table.size + i));
    for (const id of ids) this.table.set(id, { status: { state: "PENDING" } });
    return Promise.resolve(ids);
  }
  scaleIn(ids: string[]): Promise<void> {
    for (const id of ids) this.table.get(id)!.status = { state: "CANCELLED" };
    return Promise.resolve();
  }
  async pollBlocks() {
    this.polls++;
    await this.blocked;
  }
  failAllCalls = 0;
  failAll(e: Error) {
    this.failed = e;
    this.failAllCalls++;
  }
}

Deno.test("a hanging provider delays only its own executor's rounds", async () => {
  const slow = new FakeExecutor("slow");
  const fast = new FakeExecutor("fast");
  let release = () => {};
  slow.blocked = new Promise((r) => release = r);
  const s = startScaling([slow, fast], { strategy: "simple", strategyPeriod: 0.02 });
  try {
    await waitFor(() => fast.polls >= 5, 5, "the fast executor keeps being polled");
    assertEquals(slow.polls, 1, "no second round starts while one is in flight");
  } finally {
    release();
    await s.stop();
  }
});

Deno.test("blocks that fail before connecting make the loop call failAll once with the job's stderr", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/err`, "deno: command not found\n");
    const ex = new FakeExecutor("bad");
    ex.pending = 5;
    const s = startScaling([ex], { strategy: "simple", strategyPeriod: 0.02, maxBlockFailures: 2 });
    try {
      for (let round = 0; round < 4; round++) {
        await s.runOnce();
        for (const b of ex.table.values()) {
          if (b.status.state === "PENDING") {
            b.status = { state: "FAILED", exitCode: 127, stderrPath: `${dir}/err` };
          }
        }
      }
      await s.runOnce();
      assert(ex.failed instanceof ScaleOutFailed, String(ex.failed));
      assert(ex.failed.jobStderr.includes("command not found"));
      const submitted = ex.table.size;
      await s.runOnce();
      await s.runOnce();
      assertEquals(ex.table.size, submitted, "no block is submitted after giving up");
      assertEquals(ex.failAllCalls, 1);
    } finally {
      await s.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Runs a round, then fails every block still PENDING, `rounds` times. */
async function failPendingBlocks(s: ReturnType<typeof startScaling>, ex: FakeExecutor, rounds = 1) {
  for (let round = 0; round < rounds; round++) {
    await s.runOnce();
    for (const b of ex.table.values()) {
      if (b.status.state === "PENDING") b.status = { state: "FAILED", exitCode: 1 };
    }
  }
  await s.runOnce();
}

Deno.test("by default the tasks fail after max(1, initBlocks) failed blocks, also with strategy none", async () => {
  // Parsl's simple_error_handler threshold. Strategy "none" never replaces a failed block, so a
  // larger threshold would leave the tasks waiting for blocks that cannot come.
  for (const [initBlocks, threshold] of [[0, 1], [1, 1], [2, 2], [3, 3]]) {
    const ex = new FakeExecutor(`init${initBlocks}`, initBlocks);
    ex.pending = 1;
    const s = startScaling([ex], { strategy: "none", strategyPeriod: 60 });
    try {
      for (let failed = 0; failed < threshold; failed++) {
        assertEquals(ex.failAllCalls, 0, `initBlocks ${initBlocks}: ${failed} failed blocks`);
        await ex.scaleOut(1);
        await failPendingBlocks(s, ex);
      }
      assertEquals(ex.failAllCalls, 1, `initBlocks ${initBlocks}: ${threshold} failed blocks`);
      assert(ex.failed instanceof ScaleOutFailed);
      assert(ex.failed.message.includes(`${threshold} blocks in a row`), ex.failed.message);
    } finally {
      await s.stop();
    }
  }
});

Deno.test("a block whose pool connected resets the count of failed blocks", async () => {
  const ex = new FakeExecutor("reset", 2);
  ex.pending = 1;
  const s = startScaling([ex], { strategy: "none", strategyPeriod: 60 });
  try {
    await ex.scaleOut(1);
    await failPendingBlocks(s, ex);
    await ex.scaleOut(1);
    ex.connected = ["1"];
    await s.runOnce();
    ex.table.get("1")!.status = { state: "COMPLETED", exitCode: 0 };
    await ex.scaleOut(1);
    await failPendingBlocks(s, ex);
    assertEquals(ex.failAllCalls, 0, "one failure since the good block, threshold 2");
    await ex.scaleOut(1);
    await failPendingBlocks(s, ex);
    assertEquals(ex.failAllCalls, 1);
  } finally {
    await s.stop();
  }
});

Deno.test("a custom policy function replaces the built-in strategies", async () => {
  const ex = new FakeExecutor("custom");
  const s = startScaling([ex], {
    strategy: (input) => ({
      scaleOut: input.blocks.length === 0 ? 2 : 0,
      scaleIn: [],
      reason: "custom",
    }),
    strategyPeriod: 60,
  });
  try {
    await s.runOnce();
    await s.runOnce();
    assertEquals(ex.table.size, 2);
  } finally {
    await s.stop();
  }
});
