// The interchange's own work per task, in one process, without sockets: the real Interchange
// state machine, frame decoder and writers (their sinks drop the frames), fed the frames an
// executor and a pool write. Per no-op task: the executor's `task` message read and queued,
// matched and written into the pool's frame, the worker's `result` read and written into the
// executor's frame. Also what a queued no-op costs the interchange's arena. Prints name=value.
//   deno run -A scripts/bench_interchange.ts [--quick]
import { Interchange } from "../interchange/interchange.ts";
import { encodeFrame, FrameDecoder, FrameWriter } from "../interchange/framing.ts";
import { randomSelector } from "../interchange/matching.ts";
import { Logger } from "../dfk/logger.ts";
import { registerMessage } from "../worker_pool/connect.ts";
import { encodeOutcome, encodeTask } from "../interchange/task_codec.ts";
import { TaskStore } from "../interchange/task_store.ts";
import { encodeWire } from "../interchange/wire_codec.ts";
import { noopTask } from "./_noop_task.ts";

const quick = Deno.args.includes("--quick");
const out = (name: string, value: number) =>
  console.log(`${name}=${Math.round(value * 1000) / 1000}`);

const APPS = new URL("./htex_bench_apps.ts", import.meta.url).href;
const noop = (id: number) => ({
  k: "task",
  id,
  w: 0,
  rt: 0,
  n: "noop",
  kind: "function",
  b: encodeTask(noopTask(APPS, id)),
});

/** µs of the interchange's work per task relayed, best of a few rounds. */
async function relay(n: number, perFrame: number): Promise<number> {
  const drop = () => Promise.resolve();
  const toExecutor = new FrameWriter(drop);
  const toPool = new FrameWriter(drop);
  const ic = new Interchange({
    secret: "s",
    heartbeatPeriod: 1000,
    heartbeatThreshold: 10_000,
    selector: randomSelector(),
    logger: new Logger("bench", undefined, "error"),
    toExecutor: (m) => toExecutor.send(m),
    executorBacklog: () => toExecutor.backlog,
  });
  let nonce: Uint8Array = new Uint8Array();
  const pool = ic.accept({
    peer: "bench",
    send: (m) => {
      if ((m as { k?: string }).k === "challenge") nonce = (m as { nonce: Uint8Array }).nonce;
      else toPool.send(m);
    },
    close: () => {},
  });
  // The pool's own registration message (worker_pool/connect.ts).
  const register = registerMessage(
    { secret: "s", blockId: "0", managerId: "bench", workers: perFrame, prefetchCapacity: 0 },
    nonce,
  );
  const fromPool = new FrameDecoder(), fromExecutor = new FrameDecoder();
  pool.receiveEncoded(fromPool.pushEncoded(encodeFrame([register])));
  const outcome = encodeOutcome({ id: 0, tryId: 0, ok: true, value: null });
  const tasks: Uint8Array[] = [], results: Uint8Array[] = [];
  for (let i = 0; i < n; i += perFrame) {
    const ids = Array.from({ length: perFrame }, (_, j) => i + j + 1);
    tasks.push(encodeFrame(ids.map(noop)));
    results.push(encodeFrame(ids.map((id) => ({ k: "result", id, b: outcome }))));
  }
  let best = Infinity;
  for (let round = 0; round < 4; round++) {
    const t0 = performance.now();
    for (let f = 0; f < tasks.length; f++) {
      ic.fromExecutorEncoded(fromExecutor.pushEncoded(tasks[f]));
      pool.receiveEncoded(fromPool.pushEncoded(results[f]));
      await Promise.all([toExecutor.flushed(), toPool.flushed()]);
    }
    best = Math.min(best, (performance.now() - t0) * 1000 / n);
  }
  ic.stopAll();
  return best;
}

/** Arena bytes per queued no-op (no pool to take them). */
function queued(n: number): number {
  const store = new TaskStore();
  for (let id = 100_000; id < 100_000 + n; id++) store.pushEncoded(encodeWire(noop(id)));
  return store.arenaBytes / n;
}

const n = quick ? 50_000 : 200_000;
out("interchange_relay_us_per_task_frames_of_64", await relay(n, 64));
out("interchange_arena_bytes_per_queued_noop", queued(n));
