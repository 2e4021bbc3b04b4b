import { assert, assertEquals } from "../_assert.ts";
import { encode } from "../../dfk/serialize/codec.ts";
import {
  encodeFrame,
  flushQuietWriters,
  FrameDecoder,
  FrameWriter,
  MAX_MESSAGES_PER_FRAME,
  readMessages,
} from "../../interchange/framing.ts";
import { ProtocolError } from "../../interchange/protocol_error.ts";
import { EncodedMessage, encodeWire } from "../../interchange/wire_codec.ts";

function throwsFault(fn: () => unknown, fault: string): void {
  try {
    fn();
  } catch (e) {
    assert(e instanceof ProtocolError, `expected ProtocolError, got ${e}`);
    assertEquals(e.fault, fault);
    return;
  }
  throw new Error(`expected a ${fault} ProtocolError`);
}

Deno.test("FrameDecoder yields every message of frames split at every byte", () => {
  const bytes = new Uint8Array([
    ...encodeFrame([{ k: "hb" }, { k: "result", id: 7, b: new Uint8Array([1, 2]) }]),
    ...encodeFrame([{ k: "hb" }]),
  ]);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const d = new FrameDecoder();
    const out = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))];
    assertEquals(out.length, 3);
    assertEquals((out[1] as { id: number }).id, 7);
    assertEquals(d.buffered, 0);
    d.finish();
  }
});

Deno.test("FrameDecoder refuses a frame over maxFrameBytes before buffering it", () => {
  const d = new FrameDecoder(100);
  const header = new Uint8Array([0, 0, 1, 0]);
  throwsFault(() => d.push(header), "oversize");
  // The decoder stays failed.
  throwsFault(() => d.push(encodeFrame([{ k: "hb" }])), "oversize");
});

Deno.test("FrameDecoder reports garbage bodies and non-array bodies", () => {
  throwsFault(() => new FrameDecoder().push(new Uint8Array([0, 0, 0, 2, 0xc1, 0xc1])), "garbage");
  throwsFault(() => new FrameDecoder().push(new Uint8Array([0, 0, 0, 1, 0x05])), "garbage");
  throwsFault(() => new FrameDecoder().push(new Uint8Array([0, 0, 0, 0])), "garbage");
});

Deno.test("FrameDecoder.finish reports a truncated frame", () => {
  const d = new FrameDecoder();
  const f = encodeFrame([{ k: "hb" }]);
  assertEquals(d.push(f.subarray(0, f.length - 1)).length, 0);
  throwsFault(() => d.finish(), "truncated");
});

Deno.test("FrameWriter coalesces messages sent in one turn into one frame", async () => {
  const frames: Uint8Array[] = [];
  const w = new FrameWriter(async (b) => {
    frames.push(b.slice());
    await new Promise((r) => setTimeout(r, 5));
  });
  for (let i = 0; i < 1000; i++) w.send({ k: "hb", i });
  await w.flushed();
  assertEquals(frames.length, 1);
  assertEquals(new FrameDecoder().push(frames[0]).length, 1000);
});

Deno.test("a quiet link's frame leaves when the read that caused it is handled, before the next read", async () => {
  const frames: Uint8Array[] = [];
  const w = new FrameWriter((b) => Promise.resolve(void frames.push(b.slice())));
  const input = encodeFrame([{ k: "hb" }, { k: "hb" }]);
  let reads = 0;
  const atSecondRead: number[] = [];
  const source = {
    read(p: Uint8Array): Promise<number | null> {
      if (reads++ === 1) atSecondRead.push(frames.length);
      if (reads > 1) return Promise.resolve(null);
      p.set(input);
      return Promise.resolve(input.length);
    },
  };
  // Each message read is answered, as a relay or a worker does.
  await readMessages(source, new FrameDecoder(), (msgs) => msgs.forEach(() => w.send({ k: "r" })));
  // Written (both replies, one frame) before the loop asked for more, not in a later microtask.
  assertEquals(atSecondRead, [1]);
  assertEquals(new FrameDecoder().push(frames[0]).length, 2);
});

Deno.test("FrameWriter batches messages sent while a write is in flight", async () => {
  const frames: Uint8Array[] = [];
  let release!: () => void;
  const w = new FrameWriter((b) => {
    frames.push(b.slice());
    return frames.length === 1 ? new Promise<void>((r) => release = r) : Promise.resolve();
  });
  w.send({ k: "hb" });
  await new Promise((r) => setTimeout(r, 1));
  for (let i = 0; i < 10; i++) {
    w.send({ k: "hb" });
    await Promise.resolve();
  }
  release();
  await w.flushed();
  assertEquals(frames.length, 2);
  assertEquals(new FrameDecoder().push(frames[1]).length, 10);
});

Deno.test("handOff() gives a busy link's messages to the sink at once, or after the write in flight", async () => {
  const frames: number[] = [];
  let release: (() => void) | undefined;
  const w = new FrameWriter((b) => {
    frames.push(new FrameDecoder().push(b.slice()).length);
    return release ? Promise.resolve() : new Promise<void>((r) => release = r);
  });
  assertEquals(w.handOff(), undefined); // nothing queued
  w.send({ k: "a" });
  assertEquals(w.handOff(), undefined); // quiet: written now
  assertEquals(frames, [1]);
  // Queued behind the write in flight: the promise says when they are with the sink.
  w.send({ k: "b" });
  w.send({ k: "c" });
  const behind = w.handOff();
  assert(behind !== undefined);
  assertEquals(frames, [1]);
  release!();
  await behind;
  assertEquals(frames, [1, 2]);
  // Busy now (it just wrote): a send would wait a macrotask for company; handOff starts it now.
  w.send({ k: "d" });
  assertEquals(w.handOff(), undefined);
  assertEquals(frames, [1, 2, 1]);
  await w.flushed();
});

Deno.test("sendNow() writes at once, on a busy link too, and behind a write in flight follows it in order", async () => {
  const frames: string[][] = [];
  let release: (() => void) | undefined;
  const w = new FrameWriter((b) => {
    frames.push((new FrameDecoder().push(b.slice()) as { k: string }[]).map((m) => m.k));
    return release ? Promise.resolve() : new Promise<void>((r) => release = r);
  });
  w.sendNow({ k: "a" });
  assertEquals(frames, [["a"]]); // before any microtask
  w.sendNow({ k: "b" });
  w.send({ k: "c" });
  const behind = w.handOff();
  assert(behind !== undefined); // b and c wait for a's write
  assertEquals(frames, [["a"]]);
  release!();
  await behind;
  assertEquals(frames, [["a"], ["b", "c"]]);
  w.sendNow({ k: "d" }); // busy (it just wrote): still at once
  assertEquals(frames, [["a"], ["b", "c"], ["d"]]);
  assertEquals(w.handOff(), undefined);
  await w.flushed();
  assertEquals(frames.length, 3); // no frame of its own later (nothing left to write)
});

Deno.test("FrameWriter splits batches over maxFrameBytes and drops a single oversized message", async () => {
  const frames: Uint8Array[] = [];
  const w = new FrameWriter((b) => Promise.resolve(void frames.push(b.slice())), 1000);
  const dropped: unknown[] = [];
  w.onOversize = (m) => {
    dropped.push(m);
    return undefined;
  };
  for (let i = 0; i < 20; i++) w.send({ k: "result", id: i, b: new Uint8Array(100) });
  w.send({ k: "result", id: 99, b: new Uint8Array(5000) });
  await w.flushed();
  assert(frames.length > 1);
  const d = new FrameDecoder(1000);
  const all = frames.flatMap((f) => d.push(f)) as { id: number }[];
  assertEquals(all.map((m) => m.id), Array.from({ length: 20 }, (_, i) => i));
  assertEquals((dropped[0] as { id: number }).id, 99);
});

Deno.test("FrameWriter puts an oversized message's stand-in in its place, keeping the order", async () => {
  // One batch mixing fitting and oversized results (as a worker's results queue while a write
  // is in flight): the peer must see every id once, in the order sent, the oversized ones as
  // their stand-ins. A pool takes a worker's results in order and ignores one out of order.
  const frames: Uint8Array[] = [];
  const w = new FrameWriter((b) => Promise.resolve(void frames.push(b.slice())), 1000);
  const big = [1, 2, 5, 6];
  w.onOversize = (m, _e, bytes, max) => {
    assert(bytes > max && max === 1000);
    return { k: "result", id: (m as { id: number }).id, failed: true };
  };
  for (let id = 0; id < 8; id++) {
    w.send({ k: "result", id, b: new Uint8Array(big.includes(id) ? 1500 : 300) });
  }
  await w.flushed();
  const d = new FrameDecoder(1000);
  const all = frames.flatMap((f) => d.push(f)) as { id: number; failed?: boolean }[];
  assertEquals(all.map((m) => m.id), [0, 1, 2, 3, 4, 5, 6, 7]);
  assertEquals(all.filter((m) => m.failed).map((m) => m.id), big);
  // The writer is not wedged: the next message goes out.
  w.send({ k: "hb" });
  await w.flushed();
  assertEquals((d.push(frames.at(-1)!) as { k: string }[])[0].k, "hb");
});

Deno.test("FrameWriter: a send from inside a write (an oversize callback) queues behind it", async () => {
  const frames: Uint8Array[] = [];
  const w = new FrameWriter((b) => Promise.resolve(void frames.push(b.slice())), 1000);
  w.onOversize = (m) => {
    // The owner reacts at once, e.g. by failing the task and sending what that causes.
    w.send({ k: "after", id: (m as { id: number }).id });
    return { k: "standin", id: (m as { id: number }).id };
  };
  w.send({ k: "big", id: 1, b: new Uint8Array(5000) });
  w.send({ k: "hb", id: 2 });
  await w.flushed();
  const d = new FrameDecoder(1000);
  const got = frames.flatMap((f) => d.push(f)) as { k: string; id: number }[];
  // Behind the batch being written, not inside it.
  assertEquals(got.map((m) => `${m.k}:${m.id}`), ["standin:1", "hb:2", "after:1"]);
  // Not wedged: the next message goes out.
  w.send({ k: "hb", id: 3 });
  await w.flushed();
  assertEquals((d.push(frames.at(-1)!) as { id: number }[])[0].id, 3);
});

Deno.test("FrameWriter: a run that writes nothing (a dropped message) leaves the writer ready", async () => {
  const frames: Uint8Array[] = [];
  const w = new FrameWriter((b) => Promise.resolve(void frames.push(b.slice())), 1000);
  w.onOversize = () => undefined;
  w.send({ k: "big", b: new Uint8Array(5000) });
  // A timer, not flushed(): a wedged writer would keep flushed() spinning on microtasks.
  await new Promise((r) => setTimeout(r, 0)); // its run dropped it and ended at once
  w.send({ k: "hb" });
  await new Promise((r) => setTimeout(r, 0));
  assertEquals(frames.length, 1);
  assertEquals(new FrameDecoder(1000).push(frames[0]), [{ k: "hb" }]);
});

Deno.test("flushQuietWriters from inside a flush (a sink that flushes) loses no writer", async () => {
  const got: string[] = [];
  const sink = (name: string) => (b: Uint8Array) => {
    got.push(`${name}:${b.length}`);
    return Promise.resolve();
  };
  const c = new FrameWriter(sink("c"));
  const a = new FrameWriter((b) => {
    flushQuietWriters(); // a nested pass
    c.send({ k: "c" }); // a writer that becomes quiet-waiting during it
    return sink("a")(b);
  });
  const b = new FrameWriter(sink("b"));
  a.send({ k: "a" });
  b.send({ k: "b" });
  flushQuietWriters();
  await new Promise((r) => setTimeout(r, 0)); // a timer: no flushed() to rescue c
  assertEquals(got.map((g) => g[0]).sort(), ["a", "b", "c"]);
  assertEquals(c.backlog, 0);
});

Deno.test("flushed() called inside a run (an oversize callback) waits for the run's frames", async () => {
  const frames: number[] = [];
  const w = new FrameWriter(
    (b) => new Promise((r) => setTimeout(() => r(void frames.push(b.length)), 5)),
    1000,
  );
  let framesWhenFlushed: number | undefined;
  w.onOversize = () => {
    w.flushed().then(() => framesWhenFlushed = frames.length);
    return { k: "standin" };
  };
  w.send({ k: "big", b: new Uint8Array(5000) });
  await w.flushed();
  await new Promise((r) => setTimeout(r, 0));
  assertEquals([framesWhenFlushed, frames.length], [1, 1]);
});

Deno.test("FrameWriter reports a failed sink once and drops later sends", async () => {
  let errors = 0;
  const w = new FrameWriter(() => Promise.reject(new Error("peer gone")));
  w.onError = () => errors++;
  w.send({ k: "hb" });
  await w.flushed();
  w.send({ k: "hb" });
  await w.flushed();
  assertEquals(errors, 1);
  assert(w.failed);
});

Deno.test("readMessages reads a stream to its end and reports truncation", async () => {
  const f = encodeFrame([{ k: "hb" }, { k: "hb" }]);
  const got: unknown[] = [];
  await readMessages(
    ReadableStream.from([f.subarray(0, 3), f.subarray(3)]),
    new FrameDecoder(),
    (m) => got.push(...m),
  );
  assertEquals(got.length, 2);
  let err: unknown;
  try {
    await readMessages(ReadableStream.from([f.subarray(0, 7)]), new FrameDecoder(), () => {});
  } catch (e) {
    err = e;
  }
  assert(err instanceof ProtocolError && err.fault === "truncated");
});

Deno.test("FrameDecoder output does not change when the caller reuses its read buffer", () => {
  const payload = encode({ ok: true, value: null });
  const frames = [1, 17, 60].map((n) =>
    encodeFrame(Array.from({ length: n }, (_, id) => ({ k: "result", id, b: payload })))
  );
  const all = new Uint8Array(frames.reduce((a, f) => a + f.length, 0));
  let o = 0;
  for (const f of frames) {
    all.set(f, o);
    o += f.length;
  }
  for (const step of [1, 7, 100, 333, all.length]) {
    const d = new FrameDecoder();
    const buf = new Uint8Array(256 * 1024);
    const got: { b: Uint8Array }[] = [];
    for (let pos = 0; pos < all.length; pos += step) {
      const n = Math.min(step, all.length - pos);
      buf.set(all.subarray(pos, pos + n));
      got.push(...d.push(buf.subarray(0, n)) as { b: Uint8Array }[]);
      buf.fill(0xee); // as the next read would
    }
    assertEquals(got.length, 78);
    for (const m of got) assertEquals([...m.b], [...payload]);
  }
});

Deno.test("FrameWriter bounds the messages per frame", async () => {
  const frames: Uint8Array[] = [];
  const w = new FrameWriter((b) => Promise.resolve(void frames.push(b.slice())));
  for (let i = 0; i < 5000; i++) w.send({ k: "hb", i });
  await w.flushed();
  const d = new FrameDecoder();
  const sizes = frames.map((f) => d.push(f).length);
  assertEquals(sizes, [MAX_MESSAGES_PER_FRAME, 1024, 1024, 1024, 5000 - 4 * 1024]);
});

Deno.test("FrameDecoder: a frame completed across reads is relayed from its buffer, not copied", () => {
  const one = encodeFrame([{ k: "hb", pad: "x".repeat(200) }]);
  const two = encodeFrame([{ k: "stop" }]);
  const d = new FrameDecoder();
  d.push(one.subarray(0, 10));
  // Completes the first frame from the decoder's buffer, and leaves half of the second there.
  const rest = new Uint8Array([...one.subarray(10), ...two.subarray(0, 3)]);
  const encoded = d.pushEncoded(rest);
  assertEquals(encoded.length, 1);
  const [bytes] = encoded;
  assertEquals(bytes, one.subarray(5));
  // A view of the buffer (valid until the next push), where a copy would own its buffer.
  assert(bytes.buffer.byteLength > one.length, "copied");
  assertEquals(d.push(two.subarray(3)), [{ k: "stop" }]);
  assertEquals(d.buffered, 0);
});

Deno.test("FrameWriter copies an encoded message as it is sent: its buffer may be reused at once", async () => {
  const frames: Uint8Array[] = [];
  const w = new FrameWriter((b) => Promise.resolve(void frames.push(b.slice())));
  const readBuffer = encodeWire({ k: "result", id: 1 });
  w.send(new EncodedMessage(readBuffer));
  readBuffer.set(encodeWire({ k: "result", id: 2 })); // the next read
  w.send(new EncodedMessage(readBuffer));
  readBuffer.fill(0);
  await w.flushed();
  assertEquals(new FrameDecoder().push(frames[0]), [{ k: "result", id: 1 }, {
    k: "result",
    id: 2,
  }]);
});

Deno.test("FrameWriter keeps the order of encoded and plain messages, and counts each message", async () => {
  const frames: Uint8Array[] = [];
  let release!: () => void;
  let gate = new Promise<void>((r) => release = r);
  const w = new FrameWriter(async (b) => {
    frames.push(b.slice());
    await gate;
  }, 20_000);
  const sent: unknown[] = [];
  for (let i = 0; i < 5000; i++) {
    const m = i % 700 === 0
      ? { k: "hb", i }
      : { k: "result", id: i, b: new Uint8Array(i % 5 === 0 ? 3000 : 10) };
    sent.push(m);
    w.send(i % 700 === 0 ? m : new EncodedMessage(encodeWire(m)));
  }
  assertEquals(w.backlog, 5000);
  await new Promise((r) => setTimeout(r, 5));
  // The first frame is being written: every message still counts until its frame is written.
  assertEquals([frames.length, w.backlog], [1, 5000]);
  release();
  gate = Promise.resolve();
  await w.flushed();
  assertEquals(w.backlog, 0);
  const d = new FrameDecoder(20_000);
  const got = frames.flatMap((f) => {
    const msgs = d.push(f);
    assert(msgs.length <= MAX_MESSAGES_PER_FRAME && f.length - 4 <= 20_000);
    return msgs;
  });
  assertEquals(got, sent);
});

Deno.test("FrameWriter encodes its frames into one buffer it reuses, the sink holding each until it settles", async () => {
  const buffers = new Set<ArrayBufferLike>();
  const got: number[] = [];
  const w = new FrameWriter(async (b) => {
    buffers.add(b.buffer);
    for (const m of new FrameDecoder().push(b)) got.push((m as { i: number }).i);
    await new Promise((r) => setTimeout(r, 0));
  });
  for (let i = 0; i < 50; i++) {
    w.send({ k: "hb", i });
    if (i % 2) w.send(new EncodedMessage(encodeWire({ k: "hb", i: 100 + i })));
    await w.flushed();
  }
  assertEquals(buffers.size, 1, "one buffer for every frame");
  assertEquals(got.length, 75);
  assertEquals(got.filter((i) => i < 100), [...Array(50).keys()]);
});

Deno.test("FrameWriter lets go of a large frame's buffer once it is written", async () => {
  const sizes: number[] = [];
  const w = new FrameWriter((b) => Promise.resolve(void sizes.push(b.buffer.byteLength)));
  w.send({ k: "hb", pad: "x".repeat(3 << 20) });
  await w.flushed();
  w.send({ k: "hb" });
  await w.flushed();
  assert(sizes[0] > 3 << 20, "the large frame had a buffer to match");
  assert(sizes[1] <= 1 << 20, `the next frame's buffer is small again (${sizes[1]} bytes)`);
});
