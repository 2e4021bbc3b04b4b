// Relaying without re-encoding: a frame decoder gives the bytes of each message it decoded, and
// a frame of EncodedMessages carries them as they are.
import { assertEquals } from "../_assert.ts";
import { encodeFrame, FrameDecoder } from "../../interchange/framing.ts";
import { decodeWire, EncodedMessage, encodeWire } from "../../interchange/wire_codec.ts";
import { makeInterchange, registeredPool, settle, taskMsg } from "./_memory_link.ts";

Deno.test("encodedMessages gives each message's bytes, however the frames were split", () => {
  const msgs = Array.from({ length: 40 }, (_, i) => ({ ...taskMsg(i), pad: "x".repeat(i * 7) }));
  const frames = [encodeFrame(msgs.slice(0, 17)), encodeFrame(msgs.slice(17))];
  const all = new Uint8Array(frames[0].length + frames[1].length);
  all.set(frames[0]);
  all.set(frames[1], frames[0].length);
  for (const cut of [1, 5, 300, frames[0].length - 1, frames[0].length + 9, all.length - 3]) {
    const d = new FrameDecoder();
    const got: unknown[] = [];
    for (const part of [all.subarray(0, cut), all.subarray(cut)]) {
      const out = d.push(part);
      // Relayed: every message's own bytes, in a frame of their own.
      const relayed = new FrameDecoder().push(
        encodeFrame(d.encodedMessages().map((b) => new EncodedMessage(b.slice()))),
      );
      assertEquals(relayed, out);
      got.push(...out);
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

Deno.test("the interchange sends a task to its pool as the bytes the executor sent", async () => {
  const { ic, toExecutor } = makeInterchange();
  const pool = registeredPool(ic);
  const task = { ...taskMsg(5), extra: "kept as sent" };
  const d = new FrameDecoder();
  ic.fromExecutor(d.push(encodeFrame([{ k: "hb" }, task])), d);
  await settle();
  assertEquals(pool.of("task"), [task]);
  // The result goes back as the pool's bytes too (nothing to add to it).
  const result = { k: "result", id: 5, b: new Uint8Array([1]), extra: 2 };
  pool.deliver([result]);
  assertEquals(toExecutor.filter((m) => m.k === "result") as unknown[], [result]);
  assertEquals(decodeWire(encodeWire(result)), result);
});
