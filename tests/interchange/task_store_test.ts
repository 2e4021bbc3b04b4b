import { assert, assertEquals } from "../_assert.ts";
import { CHUNK_BYTES, TaskStore } from "../../interchange/task_store.ts";
import { TaskQueue } from "../../interchange/task_queue.ts";

const bytesOf = (id: number, n = 3) => new Uint8Array(n).fill(id & 255);

Deno.test("TaskStore hands tasks out in Parsl's order, as TaskQueue does, through take and restore", () => {
  const store = new TaskStore();
  const queue = new TaskQueue<number>();
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let id = 0;
  for (let round = 0; round < 200; round++) {
    for (let i = 0; i < 5; i++) {
      const p = rand() < 0.5 ? undefined : Math.floor(rand() * 4) - 1;
      store.push(++id, p, id % 3, bytesOf(id));
      queue.push(id, p);
    }
    const n = Math.floor(rand() * 6);
    const taken = store.take(n);
    const expected = queue.take(n);
    assertEquals(taken.map((t) => t.id), expected.map((e) => e.item));
    for (const t of taken) {
      assertEquals(t.runningTime, t.id % 3);
      assertEquals([...store.bytes(t.ref)], [...bytesOf(t.id)]);
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
  for (let i = 0; i < n; i++) store.push(i, undefined, 0, bytesOf(i, 100));
  assert(store.arenaBytes >= 3 * CHUNK_BYTES, `${store.arenaBytes}`);
  const big = new Uint8Array(CHUNK_BYTES + 5).fill(9);
  store.push(-1, 0, 0, big);
  const [first] = store.take(1);
  assertEquals([first.id, store.bytes(first.ref).length], [-1, big.length]);
  const view = store.bytes(first.ref);
  store.release(first.ref);
  // A view handed out stays valid after release: chunks are dropped, never reused.
  assertEquals(view[CHUNK_BYTES], 9);
  for (const t of store.take(n)) store.release(t.ref);
  assertEquals(store.size, 0);
  assert(store.arenaBytes <= CHUNK_BYTES, `${store.arenaBytes} bytes still held`);
});

Deno.test("TaskStore: a task put back while most of its chunk was sent does not keep the chunk alive", () => {
  const s = new TaskStore();
  const body = (id: number) => new Uint8Array(100).fill(id % 251);
  const n = 100_000;
  for (let id = 1; id <= n; id++) s.push(id, undefined, 0, body(id));
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
  for (const t of again) assertEquals(s.bytes(t.ref), body(t.id));
});
