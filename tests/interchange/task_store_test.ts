import { assert, assertEquals } from "../_assert.ts";
import { CHUNK_BYTES, type StoredTask, TaskStore } from "../../interchange/task_store.ts";
import { TaskQueue } from "../../interchange/task_queue.ts";
import type { TaskEnvelope } from "../../interchange/protocol.ts";
import { decodeWire, encodeWire } from "../../interchange/wire_codec.ts";
import { encodeTask } from "../../interchange/task_codec.ts";

const bytesOf = (id: number, n = 3) => new Uint8Array(n).fill(id & 255);
const task = (id: number, p?: number, rt = 0, b: Uint8Array = bytesOf(id)): TaskEnvelope => ({
  k: "task",
  id,
  p,
  w: 0,
  rt,
  n: "f",
  kind: "function",
  b,
});
/** The body of a stored task's message. */
const bodyOf = (s: TaskStore, t: StoredTask) => (decodeWire(s.message(t).bytes) as TaskEnvelope).b;

Deno.test("TaskStore hands tasks out in Parsl's order, as TaskQueue does, through take and restore", () => {
  const store = new TaskStore();
  const queue = new TaskQueue<number>();
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let id = 0;
  for (let round = 0; round < 200; round++) {
    for (let i = 0; i < 5; i++) {
      const p = rand() < 0.5 ? undefined : Math.floor(rand() * 4) - 1;
      store.push(task(++id, p, id % 3));
      queue.push(id, p);
    }
    const n = Math.floor(rand() * 6);
    const taken = store.take(n);
    const expected = queue.take(n);
    assertEquals(taken.map((t) => t.id), expected.map((e) => e.item));
    for (const t of taken) {
      assertEquals(t.runningTime, t.id % 3);
      assertEquals(bodyOf(store, t), bytesOf(t.id));
    }
    // Some go back unsent (no pool took them), keeping their place.
    const back = taken.filter(() => rand() < 0.4);
    store.restore(back);
    queue.restore(expected.filter((e) => back.some((t) => t.id === e.item)));
    for (const t of taken) if (!back.includes(t)) store.release(t.ref);
    assertEquals(store.size, queue.size);
  }
  const rest = store.take(store.size).map((t) => t.id);
  assertEquals(rest, queue.drain());
});

Deno.test("TaskStore frees the arena as tasks leave, and holds large messages apart", () => {
  const store = new TaskStore();
  const n = Math.ceil((3 * CHUNK_BYTES) / 120);
  for (let i = 0; i < n; i++) store.push(task(i, undefined, 0, bytesOf(i, 100)));
  assert(store.arenaBytes >= 3 * CHUNK_BYTES, `${store.arenaBytes}`);
  const big = new Uint8Array(CHUNK_BYTES + 5).fill(9);
  store.push(task(-1, 0, 0, big));
  const [first] = store.take(1);
  const message = store.message(first);
  store.release(first.ref);
  // A message made before the release stays valid after it: chunks are dropped, never reused.
  const b = (decodeWire(message.bytes) as TaskEnvelope).b;
  assertEquals([first.id, b.length, b[CHUNK_BYTES]], [-1, big.length, 9]);
  for (const t of store.take(n)) store.release(t.ref);
  assertEquals(store.size, 0);
  assert(store.arenaBytes <= CHUNK_BYTES, `${store.arenaBytes} bytes still held`);
});

Deno.test("TaskStore: a task put back while most of its chunk was sent does not keep the chunk alive", () => {
  const s = new TaskStore();
  const body = (id: number) => new Uint8Array(100).fill(id % 251);
  const n = 100_000;
  for (let id = 1; id <= n; id++) s.push(task(id, undefined, 0, body(id)));
  assert(s.arenaBytes >= 10 * CHUNK_BYTES);
  // Every 10,000th task fits no pool yet (say, longer than every block's walltime): it is
  // taken and put back, the rest are sent.
  const taken = s.take(n);
  const waiting = taken.filter((t) => t.id % 10_000 === 0);
  for (const t of taken) if (t.id % 10_000 !== 0) s.release(t.ref);
  s.restore(waiting);
  assert(s.arenaBytes <= 2 * CHUNK_BYTES, `arena ${s.arenaBytes} bytes for ${s.size} tasks`);
  const again = s.take(n);
  assertEquals(again.map((t) => t.id), waiting.map((t) => t.id), "same tasks, same order");
  for (const t of again) assertEquals(bodyOf(s, t), body(t.id));
});

Deno.test("TaskStore: a task's message comes out as the executor sent it, every field kept", () => {
  const s = new TaskStore();
  const sent: TaskEnvelope[] = [
    task(1),
    { ...task(2, 0), w: 2.5, rt: 600, kind: "bash", n: "nom ✓ ".repeat(10) },
    { ...task(2 ** 33 + 0.5, -7.25), b: new Uint8Array(0) },
    { ...task(4, Infinity), b: new Uint8Array(255).fill(4) },
    { ...task(5), w: -0, rt: 1e300, b: new Uint8Array(256).fill(5) },
    { ...task(6, 1), b: new Uint8Array(65_536).fill(6) },
  ];
  for (const t of sent) s.push(t);
  // Taken, put back (as when no pool fits), taken again: nothing changes.
  s.restore(s.take(sent.length));
  const out = s.take(sent.length);
  const order = [2, 1, 5, 3, 0, 4];
  assertEquals(out.map((t) => t.runningTime), [0, 600, 0, 0, 0, 1e300]);
  assertEquals(
    out.map((t) => decodeWire(s.message(t).bytes)),
    order.map((i) => decodeWire(encodeWire(sent[i]))),
  );
  // Frames carry the message as the same bytes the shared codec makes of it.
  for (const [j, t] of out.entries()) {
    assertEquals(s.message(t).bytes, encodeWire(sent[order[j]]));
  }
});

Deno.test("TaskStore: a queued no-op costs its body and a few bytes, not its whole envelope", () => {
  const s = new TaskStore();
  const n = 200_000;
  // Bodies unlike each other (no template fits them): ~85 bytes; the MessagePack envelope (keys,
  // kind, name) would be ~48 more.
  for (let id = 100_000; id < 100_000 + n; id++) s.push(task(id, undefined, 0, bytesOf(id, 85)));
  const perTask = s.arenaBytes / n;
  // (The arena grows by 1 MiB chunks: the last one is partly empty.)
  assert(perTask < 85 + 25, `${perTask} bytes per queued task`);
});

/** A no-op's body as the executor encodes it. */
const noopBody = (id: number) =>
  encodeTask({
    id,
    tryId: 0,
    ref: { module: "file:///work/flows/apps.ts", export: "noop" },
    kind: "function",
    args: [],
    context: {
      appName: "noop",
      taskId: id - 3,
      tryId: 0,
      inputs: [],
      outputs: [],
      resourceSpecification: {},
    },
  });

Deno.test("TaskStore: tasks of one app are kept as the bytes where their bodies differ", () => {
  const s = new TaskStore();
  const n = 200_000;
  for (let id = 100_000; id < 100_000 + n; id++) s.push(task(id, undefined, 0, noopBody(id)));
  const perTask = s.arenaBytes / n;
  assert(noopBody(100_000).length > 60);
  assert(perTask < 32, `${perTask} bytes per queued task`);
  // Each comes out whole, whether sent, or put back and sent later.
  const taken = s.take(n);
  s.restore(taken.filter((t) => t.id % 1000 === 0));
  for (const t of taken) {
    if (t.id % 1000 === 0) continue;
    assertEquals(bodyOf(s, t), noopBody(t.id));
    s.release(t.ref);
  }
  const rest = s.take(n);
  assertEquals(rest.length, n / 1000);
  for (const t of rest) {
    assertEquals(bodyOf(s, t), noopBody(t.id));
    s.release(t.ref);
  }
  assertEquals([s.size, s.templates], [0, 0], "templates go with the last task using them");
});

Deno.test("TaskStore: bodies of every likeness round-trip, with a bounded number of templates", () => {
  const s = new TaskStore();
  let seed = 3;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const bodies = new Map<number, Uint8Array>();
  const base = Uint8Array.from({ length: 600 }, (_, i) => i * 7);
  for (let id = 1; id <= 20_000; id++) {
    // Some a few bytes off a common body (runs of changes, long equal stretches), some random.
    const len = [30, 100, 300, 600][rand(4)];
    const b = rand(3) === 0
      ? Uint8Array.from({ length: len }, () => rand(256))
      : base.slice(0, len);
    for (let k = rand(12); k > 0; k--) b[rand(len)] = rand(256);
    bodies.set(id, b);
    s.push(task(id, undefined, 0, b));
    assert(s.templates <= 64);
    if (id % 7 === 0) {
      for (const t of s.take(rand(10))) {
        assertEquals(bodyOf(s, t), bodies.get(t.id)!);
        s.release(t.ref);
      }
    }
  }
  for (const t of s.take(s.size)) {
    assertEquals(bodyOf(s, t), bodies.get(t.id)!);
    s.release(t.ref);
  }
  assertEquals(s.templates, 0);
});
