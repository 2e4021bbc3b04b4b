// The executor's outbox: a burst of tasks waits as numbers, the writer never holds more than
// WRITER_BACKLOG messages, and every message goes out once, in order.
import assert from "node:assert/strict";
import { BodyChunks, TaskOutbox, WRITER_BACKLOG } from "../../interchange/_task_outbox.ts";
import { decodeTask, encodeTask } from "../../interchange/task_codec.ts";
import { FrameWriter } from "../../interchange/framing.ts";
import { within } from "../_wait.ts";

/** A real FrameWriter whose sink counts messages and notes the most the writer ever held. */
function countingWriter() {
  const state = { frames: 0, most: 0 };
  const w = new FrameWriter(async () => {
    state.frames++;
    await new Promise((r) => setTimeout(r, 0));
  });
  const writer = {
    send(m: object) {
      w.send(m);
      // What the writer holds: queued plus the batch being written (pending alone reads 0
      // while a full batch is in flight).
      state.most = Math.max(state.most, w.backlog);
    },
    get backlog() {
      return w.backlog;
    },
    flushed: () => w.flushed(),
  };
  return { writer, state, w };
}

Deno.test("a burst waits in the outbox: the writer holds at most WRITER_BACKLOG messages and each goes out once, in order", async () => {
  const { writer, state, w } = countingWriter();
  const sent: number[] = [];
  const made: number[] = [];
  const outbox = new TaskOutbox({
    send(m) {
      sent.push((m as { id: number }).id);
      writer.send(m);
    },
    get backlog() {
      return writer.backlog;
    },
    flushed: writer.flushed,
  }, (id) => {
    made.push(id);
    return { k: "task", id };
  });
  const n = WRITER_BACKLOG * 3 + 17;
  for (let id = 1; id <= n; id++) {
    if (outbox.hasRoom()) outbox.send({ k: "task", id });
    else outbox.hold(id);
  }
  // Nothing made yet for the tasks that wait: they are numbers until their turn.
  assert.equal(made.length, 0);
  assert.equal(outbox.waiting, n - WRITER_BACKLOG);
  outbox.send({ k: "hb", id: -1 }); // behind every waiting task
  await within(
    (async () => {
      while (outbox.waiting > 0) await new Promise((r) => setTimeout(r, 5));
      await w.flushed();
    })(),
    60,
    "the outbox to drain",
  );
  assert.equal(sent.length, n + 1);
  assert.deepEqual(sent, [...Array.from({ length: n }, (_, i) => i + 1), -1]);
  assert.equal(made.length, n - WRITER_BACKLOG);
  assert(state.most <= WRITER_BACKLOG, `writer held ${state.most} messages`);
});

Deno.test("a waiting task whose message is no longer wanted is skipped; close drops what waits", async () => {
  const sent: unknown[] = [];
  let backlog = WRITER_BACKLOG; // full: everything waits
  const outbox = new TaskOutbox({
    send: (m) => sent.push(m),
    get backlog() {
      return backlog;
    },
    flushed: () => Promise.resolve(),
  }, (id) => id % 2 ? { id } : undefined);
  assert(!outbox.hasRoom());
  for (let id = 1; id <= 6; id++) outbox.hold(id);
  backlog = 0;
  await within(
    (async () => {
      while (outbox.waiting > 0) await new Promise((r) => setTimeout(r, 1));
    })(),
    20,
    "the outbox to drain",
  );
  assert.deepEqual(sent, [{ id: 1 }, { id: 3 }, { id: 5 }]);
  backlog = WRITER_BACKLOG;
  outbox.hold(7);
  outbox.close();
  outbox.hold(8);
  outbox.send({ k: "hb" });
  assert.equal(outbox.waiting, 0);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(sent.length, 3);
});

Deno.test("task bodies copied into shared chunks stay intact and equal encodeTask's own", () => {
  const chunks = new BodyChunks();
  const ref = { module: "file:///flow.ts", export: "add" };
  const task = (i: number) => ({
    id: i,
    tryId: 0,
    ref,
    kind: "function" as const,
    args: [i, "x".repeat(i % 40)],
    context: {
      appName: "add",
      taskId: i,
      tryId: 0,
      inputs: [],
      outputs: [],
      resourceSpecification: {},
    },
  });
  // Enough to fill several chunks, and one body larger than a chunk's share.
  const views = Array.from({ length: 5000 }, (_, i) => chunks.copy(encodeTask(task(i), true)));
  views.push(chunks.copy(encodeTask({ ...task(1), args: ["y".repeat(40_000)] }, true)));
  views.forEach((v, i) => {
    const own = encodeTask(i < 5000 ? task(i) : { ...task(1), args: ["y".repeat(40_000)] });
    assert.deepEqual(v, own);
  });
  assert.equal(decodeTask(views[123]).id, 123);
});

Deno.test("a batch the writer is still writing counts against WRITER_BACKLOG", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const w = new FrameWriter(async () => await gate);
  const outbox = new TaskOutbox({
    send: (m) => w.send(m),
    get backlog() {
      return w.backlog; // what InterchangeHandle.backlog reports
    },
    flushed: () => w.flushed(),
  }, (id) => ({ k: "task", id }));
  for (let id = 1; id <= WRITER_BACKLOG; id++) outbox.send({ k: "task", id });
  await new Promise((r) => setTimeout(r, 0)); // the writer has taken the batch and is writing it
  assert.equal(w.pending, 0);
  assert(!outbox.hasRoom(), "the batch in flight still fills the writer");
  release();
  await w.flushed();
  assert(outbox.hasRoom());
});
