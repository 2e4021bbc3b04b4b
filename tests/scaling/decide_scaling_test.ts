import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  type BlockView,
  decideScaling,
  type ScalingInput,
} from "../../dfk/scaling/decide_scaling.ts";
import type { ManagerSummary } from "../../dfk/scaling/scalable_executor.ts";
import { newBlockFailureState, trackBlockFailures } from "../../dfk/scaling/block_failures.ts";
import type { JobStatus } from "../../providers/execution_provider.ts";

const NOW = 1_000_000;

function input(o: Partial<ScalingInput>): ScalingInput {
  return {
    strategy: "htex_auto_scale",
    now: NOW,
    outstanding: 0,
    slotsPerBlock: 4,
    parallelism: 1,
    minBlocks: 0,
    maxBlocks: 10,
    maxIdletime: 60,
    blocks: [],
    managers: [],
    ...o,
  };
}

const running = (ids: string[], since = NOW - 1000): BlockView[] =>
  ids.map((blockId) => ({ blockId, state: "RUNNING", since }));
const manager = (blockId: string, outstanding: number, idleSeconds: number): ManagerSummary => ({
  managerId: `m${blockId}`,
  blockId,
  workerCount: 4,
  outstanding,
  idleSeconds,
  active: true,
});

Deno.test("strategy none never scales", () => {
  assertEquals(decideScaling(input({ strategy: "none", outstanding: 100 })).scaleOut, 0);
});

Deno.test("scale out adds ceil(missing slots / slots per block) blocks, capped by maxBlocks", () => {
  assertEquals(decideScaling(input({ outstanding: 10 })).scaleOut, 3);
  assertEquals(decideScaling(input({ outstanding: 10, blocks: running(["0"]) })).scaleOut, 2);
  assertEquals(
    decideScaling(input({ outstanding: 1000, maxBlocks: 2, blocks: running(["0"]) })).scaleOut,
    1,
  );
  assertEquals(
    decideScaling(input({ outstanding: 1000, maxBlocks: 2, blocks: running(["0", "1"]) })).scaleOut,
    0,
  );
});

Deno.test("pending blocks count as capacity, so no extra block is submitted while they queue", () => {
  const pending: BlockView[] = [{ blockId: "0", state: "PENDING", since: NOW }];
  assertEquals(decideScaling(input({ outstanding: 4, blocks: pending })).scaleOut, 0);
});

Deno.test("parallelism 0.5 stacks two tasks per slot; parallelism 0 still gets one block", () => {
  assertEquals(decideScaling(input({ outstanding: 16, parallelism: 0.5 })).scaleOut, 2);
  assertEquals(decideScaling(input({ outstanding: 16, parallelism: 0 })).scaleOut, 1);
  assertEquals(
    decideScaling(input({ outstanding: 16, parallelism: 0, blocks: running(["0"]) })).scaleOut,
    0,
  );
});

Deno.test("failed, cancelled and finished blocks are not capacity: they are replaced while tasks wait", () => {
  const blocks: BlockView[] = [
    { blockId: "0", state: "TIMEOUT", since: NOW },
    { blockId: "1", state: "RUNNING", since: NOW },
  ];
  assertEquals(decideScaling(input({ outstanding: 8, blocks, maxBlocks: 2 })).scaleOut, 1);
});

Deno.test("no tasks: blocks go down to minBlocks only after maxIdletime, several in one round", () => {
  const blocks = running(["0", "1", "2", "3"]);
  const managers = ["0", "1", "2", "3"].map((b) => manager(b, 0, 5));
  const first = decideScaling(input({ blocks, managers, minBlocks: 1 }));
  assertEquals([first.scaleIn, first.idleSince], [[], NOW]);
  const later = decideScaling(input({ blocks, managers, minBlocks: 1, idleSince: NOW - 61_000 }));
  assertEquals(later.scaleIn.length, 3);
});

Deno.test("the idle clock restarts when tasks arrive", () => {
  const d = decideScaling(
    input({ outstanding: 1, blocks: running(["0"]), idleSince: NOW - 500_000 }),
  );
  assertEquals(d.idleSince, undefined);
});

Deno.test("htex_auto_scale removes only whole excess blocks (floor), so the next round does not scale out again", () => {
  // 2 blocks x 4 slots, 5 tasks: 3 excess slots are less than a block - keep both (ceil would
  // remove one, leave 4 slots for 5 tasks and scale out again next round: Parsl #3696).
  const blocks = running(["0", "1"]);
  const managers = [manager("0", 4, 0), manager("1", 0, 600)];
  assertEquals(decideScaling(input({ outstanding: 5, blocks, managers })).scaleIn, []);
  const d = decideScaling(input({ outstanding: 3, blocks, managers }));
  assertEquals(d.scaleIn, ["1"]);
  // ...and the round after that removal is stable.
  const after = decideScaling(
    input({ outstanding: 3, blocks: running(["0"]), managers: [manager("0", 3, 0)] }),
  );
  assertEquals([after.scaleOut, after.scaleIn], [0, []]);
});

Deno.test("htex_auto_scale never removes a block with a busy pool or one idle less than maxIdletime", () => {
  const blocks = running(["0", "1", "2"]);
  const managers = [manager("0", 1, 0), manager("1", 0, 30), manager("2", 0, 90)];
  assertEquals(decideScaling(input({ outstanding: 1, blocks, managers })).scaleIn, ["2"]);
});

Deno.test("simple strategy does not scale in while tasks remain", () => {
  const blocks = running(["0", "1", "2"]);
  const managers = [manager("0", 1, 0), manager("1", 0, 900), manager("2", 0, 900)];
  assertEquals(
    decideScaling(input({ strategy: "simple", outstanding: 1, blocks, managers })).scaleIn,
    [],
  );
});

Deno.test("block failures: only blocks that end before any pool connects count, and a good block resets", () => {
  const s = newBlockFailureState();
  const st = (state: JobStatus["state"]) => ({ status: { state } as JobStatus });
  const blocks = new Map([["0", st("FAILED")], ["1", st("TIMEOUT")], ["2", st("CANCELLED")], [
    "3",
    st("RUNNING"),
  ]]);
  assertEquals(trackBlockFailures(s, blocks, new Set()), 2);
  assertEquals(trackBlockFailures(s, blocks, new Set()), 2, "each block is counted once");
  blocks.set("4", st("FAILED"));
  assertEquals(trackBlockFailures(s, blocks, new Set()), 3);
  blocks.set("5", st("TIMEOUT"));
  assertEquals(
    trackBlockFailures(s, blocks, new Set(["5"])),
    0,
    "a block whose pool connected resets the count",
  );
  assertEquals(s.last?.blockId, "4");
});

Deno.test("under a steady load every strategy converges without flapping between scale-in and scale-out", () => {
  for (const strategy of ["simple", "htex_auto_scale"] as const) {
    for (let tasks = 0; tasks <= 45; tasks++) {
      let blocks: BlockView[] = [];
      let next = 0;
      const directions: string[] = [];
      let idleSince: number | undefined;
      for (let round = 0; round < 12; round++) {
        // Tasks fill blocks in order; blocks without tasks have been idle a long time.
        let left = tasks;
        const managers = blocks.map((b) => {
          const here = Math.min(4, left);
          left -= here;
          return manager(b.blockId, here, here ? 0 : 1000);
        });
        const d = decideScaling(
          input({
            strategy,
            outstanding: tasks,
            blocks,
            managers,
            idleSince,
            now: NOW + round * 5000,
          }),
        );
        idleSince = d.idleSince;
        if (d.scaleOut) directions.push("out");
        if (d.scaleIn.length) directions.push("in");
        blocks = blocks.filter((b) => !d.scaleIn.includes(b.blockId));
        for (let i = 0; i < d.scaleOut; i++) {
          blocks.push({ blockId: String(next++), state: "RUNNING", since: NOW });
        }
      }
      const flips = directions.filter((d, i) => i > 0 && d !== directions[i - 1]).length;
      assertEquals(flips, 0, `${strategy}, ${tasks} tasks: ${directions.join(" ")}`);
      if (tasks > 0) {
        assertEquals(
          blocks.length,
          Math.min(10, Math.ceil(tasks / 4)),
          `${strategy}, ${tasks} tasks`,
        );
      }
    }
  }
});

Deno.test("held and unknown blocks count against maxBlocks, so a scheduler blip never adds blocks past it", () => {
  const blocks: BlockView[] = [
    { blockId: "0", state: "HELD", since: NOW },
    { blockId: "1", state: "UNKNOWN", since: NOW },
  ];
  assertEquals(decideScaling(input({ outstanding: 50, maxBlocks: 2, blocks })).scaleOut, 0);
  assertEquals(decideScaling(input({ outstanding: 50, maxBlocks: 3, blocks })).scaleOut, 1);
});
