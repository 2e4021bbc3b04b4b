// The scaling loop with in-memory executors (the loop's own behaviour; real executors and
// providers are exercised in tests/e2e/providers_*_test.ts).
import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { startScaling } from "../../dfk/scaling/mod.ts";
import type { ManagerSummary, ScalableExecutor } from "../../dfk/scaling/mod.ts";
import type { JobStatus } from "../../providers/execution_provider.ts";
import { LocalProvider } from "../../providers/local_provider.ts";
import { ScaleOutFailed } from "../../providers/errors.ts";

class FakeExecutor implements ScalableExecutor {
  readonly provider = new LocalProvider({ minBlocks: 0, maxBlocks: 3 });
  polls = 0;
  blocked?: Promise<void>;
  pending = 0;
  table = new Map<string, { jobId?: string; status: JobStatus }>();
  failed?: Error;
  constructor(readonly label: string) {}
  outstanding() {
    return this.pending;
  }
  slotsPerBlock() {
    return 1;
  }
  blocks() {
    return this.table;
  }
  managers(): ManagerSummary[] {
    return [];
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

async function waitFor(cond: () => boolean, what: string) {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert(cond(), what);
}

Deno.test("a hanging provider delays only its own executor's rounds", async () => {
  const slow = new FakeExecutor("slow");
  const fast = new FakeExecutor("fast");
  let release = () => {};
  slow.blocked = new Promise((r) => release = r);
  const s = startScaling([slow, fast], { strategy: "simple", strategyPeriod: 0.02 });
  try {
    await waitFor(() => fast.polls >= 5, "the fast executor keeps being polled");
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
