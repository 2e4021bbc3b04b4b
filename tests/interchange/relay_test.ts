// Relaying without re-encoding: a frame decoder gives the bytes of each message it decoded, and
// a frame of EncodedMessages carries them as they are.
import { assertEquals } from "../_assert.ts";
import { encodeFrame, FrameDecoder, FrameWriter } from "../../interchange/framing.ts";
import { EXECUTOR_BACKLOG_LIMIT, Interchange } from "../../interchange/interchange.ts";
import { randomSelector } from "../../interchange/matching.ts";
import { Logger } from "../../dfk/logger.ts";
import { decodeWire, EncodedMessage, encodeWire } from "../../interchange/wire_codec.ts";
import { makeInterchange, registeredPool, SECRET, settle, taskMsg } from "./_memory_link.ts";

Deno.test("pushEncoded gives each message's bytes, however the frames were split", () => {
  const msgs = Array.from({ length: 40 }, (_, i) => ({ ...taskMsg(i), pad: "x".repeat(i * 7) }));
  const frames = [encodeFrame(msgs.slice(0, 17)), encodeFrame(msgs.slice(17))];
  const all = new Uint8Array(frames[0].length + frames[1].length);
  all.set(frames[0]);
  all.set(frames[1], frames[0].length);
  for (const cut of [1, 5, 300, frames[0].length - 1, frames[0].length + 9, all.length - 3]) {
    const d = new FrameDecoder();
    const got: unknown[] = [];
    for (const part of [all.subarray(0, cut), all.subarray(cut)]) {
      // Relayed: every message's own bytes, in a frame of their own.
      const relayed = new FrameDecoder().push(
        encodeFrame(d.pushEncoded(part).map((b) => new EncodedMessage(b.slice()))),
      );
      got.push(...relayed);
    }
    assertEquals(got, msgs);
  }
});

Deno.test("a frame mixes encoded and plain messages in order", () => {
  const out = new FrameDecoder().push(encodeFrame([
    { k: "hb" },
    new EncodedMessage(encodeWire({ k: "stop" })),
    { k: "drain" },
  ]));
  assertEquals(out, [{ k: "hb" }, { k: "stop" }, { k: "drain" }]);
});

Deno.test("the interchange sends a task to its pool as the executor sent it; a result as the pool's bytes", async () => {
  const { ic, toExecutor } = makeInterchange();
  const pool = registeredPool(ic, { workerCount: 3 });
  const tasks = [
    taskMsg(5),
    { ...taskMsg(6), p: undefined, w: 1.5, rt: 30, n: "an app ✓", kind: "bash" },
    { ...taskMsg(2 ** 40 + 1, -3.25), b: new Uint8Array(70_000).fill(7) },
  ];
  const d = new FrameDecoder();
  ic.fromExecutor(d.push(encodeFrame([{ k: "hb" }, ...tasks])));
  await settle();
  // In Parsl's order: the lowest priority number first, tasks without one last.
  assertEquals(pool.of("task"), [2, 0, 1].map((i) => decodeWire(encodeWire(tasks[i]))));
  // The result goes back as the pool's bytes (nothing to add to it), extra fields included.
  const result = { k: "result", id: 5, b: new Uint8Array([1]), extra: 2 };
  pool.deliver([result]);
  assertEquals(toExecutor.filter((m) => m.k === "result") as unknown[], [result]);
});

Deno.test("no task is dispatched while the executor's link is backlogged; they go once it drains", async () => {
  let backlog = EXECUTOR_BACKLOG_LIMIT + 1;
  const ic = new Interchange({
    secret: SECRET,
    heartbeatPeriod: 1,
    heartbeatThreshold: 10,
    selector: randomSelector(),
    logger: new Logger("test"),
    toExecutor: () => {},
    executorBacklog: () => backlog,
  });
  const pool = registeredPool(ic);
  ic.fromExecutor([taskMsg(1)]);
  await new Promise((r) => setTimeout(r, 20));
  assertEquals([pool.of("task").length, ic.queued], [0, 1]);
  backlog = 0;
  await new Promise((r) => setTimeout(r, 20));
  assertEquals([pool.of("task").length, ic.queued], [1, 0]);
  ic.stopAll();
});

Deno.test("FrameWriter.backlog counts the batch being written until it is written", async () => {
  let release!: () => void;
  const w = new FrameWriter(() => new Promise<void>((r) => release = r));
  for (let i = 0; i < 3; i++) w.send({ k: "hb" });
  await new Promise((r) => setTimeout(r, 5));
  assertEquals([w.pending, w.backlog], [0, 3]);
  release();
  await w.flushed();
  assertEquals(w.backlog, 0);
});
