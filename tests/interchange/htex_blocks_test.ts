// A HighThroughputExecutor's block table on a real LocalProvider: the block events follow a
// block's life as Parsl's block rows do (PENDING, the provider's states, SCALED_IN at the end).
import { assertEquals } from "../_assert.ts";
import type { BlockEvent } from "../../dfk/monitoring_event.ts";
import { BlockTable } from "../../interchange/htex_blocks.ts";
import { SimpleLauncher } from "../../launchers/mod.ts";
import { LocalProvider } from "../../providers/local_provider.ts";

function table(dir: string, command: string) {
  const p = new LocalProvider({ launcher: new SimpleLauncher() });
  p.scriptDir = dir;
  const events: Omit<BlockEvent, "runId">[] = [];
  const errors: string[] = [];
  const blocks = new BlockTable(p, {
    label: "htex",
    commandLine: () => command,
    emit: (e) => events.push(e),
    error: (m) => errors.push(m),
  });
  const states = (id: string) => events.filter((e) => e.blockId === id).map((e) => e.status);
  return { blocks, events, errors, states };
}

/** Until the block's script runs (a cancel before its process group exists would miss it). */
async function started(dir: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    try {
      Deno.statSync(`${dir}/started`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new Error("the block's script did not start within 10 s");
}

Deno.test("a scaled-in block's rows: PENDING, RUNNING, SCALED_IN, and no CANCELLED after", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const t = table(dir, `touch ${dir}/started; sleep 300`);
    const [id] = await t.blocks.scaleOut(1);
    await started(dir);
    await t.blocks.poll();
    await t.blocks.cancel([id]);
    await t.blocks.poll(); // the provider now says CANCELLED: Parsl keeps SCALED_IN
    await t.blocks.cancelAll(); // shutdown: nothing left to scale in
    assertEquals(t.states(id), ["PENDING", "RUNNING", "SCALED_IN"]);
    assertEquals(t.events.every((e) => e.executor === "htex" && e.jobId !== undefined), true);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("at shutdown a live block is SCALED_IN, an ended one keeps its last state", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const live = table(dir, `touch ${dir}/started; sleep 300`);
    const [a] = await live.blocks.scaleOut(1);
    await started(dir);
    const ended = table(dir, "exit 3");
    const [b] = await ended.blocks.scaleOut(1);
    for (let i = 0; i < 200 && ended.blocks.blocks.get(b)!.status.state !== "FAILED"; i++) {
      await new Promise((r) => setTimeout(r, 25));
      await ended.blocks.poll();
    }
    await live.blocks.cancelAll();
    await ended.blocks.cancelAll();
    assertEquals(live.states(a), ["PENDING", "SCALED_IN"]);
    assertEquals(ended.states(b).at(-1), "FAILED");
    assertEquals(ended.states(b).includes("SCALED_IN"), false);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
