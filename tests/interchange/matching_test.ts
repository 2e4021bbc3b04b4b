import { assertEquals } from "../_assert.ts";
import {
  freeSlots,
  type ManagerSelector,
  type ManagerView,
  matchTasks,
  mostIdleSelector,
  randomSelector,
} from "../../interchange/matching.ts";
import { TaskQueue } from "../../interchange/task_queue.ts";

const m = (id: string, extra: Partial<ManagerView> = {}): ManagerView => ({
  id,
  blockId: "0",
  workerCount: 2,
  prefetchCapacity: 0,
  outstanding: 0,
  active: true,
  idleSince: 0,
  ...extra,
});
const t = (id: number, priority = 0, runningTime = 0) => ({ id, priority, runningTime });
const inOrder: ManagerSelector = { name: "in-order", order: (ms) => [...ms] };

Deno.test("matchTasks fills each pool up to workers plus prefetch capacity", () => {
  const tasks = Array.from({ length: 10 }, (_, i) => t(i));
  const out = matchTasks(
    tasks,
    [m("a", { prefetchCapacity: 1 }), m("b", { outstanding: 1 })],
    inOrder,
  );
  assertEquals(out.map((a) => a.managerId), ["a", "a", "a", "b"]);
  assertEquals(out.map((a) => a.taskId), [0, 1, 2, 3]);
});

Deno.test("matchTasks gives nothing to held or full pools", () => {
  const out = matchTasks(
    [t(1)],
    [m("held", { active: false }), m("full", { outstanding: 2 })],
    inOrder,
  );
  assertEquals(out, []);
  assertEquals(freeSlots(m("x", { outstanding: 5 })), 0);
});

Deno.test("matchTasks keeps the given (priority) order of tasks", () => {
  const q = new TaskQueue<number>();
  q.push(1, 10);
  q.push(2, 0);
  q.push(3, 5);
  q.push(4, 0);
  const taken = q.take(4);
  assertEquals(taken.map((e) => e.item), [2, 4, 3, 1]);
  const out = matchTasks(taken.map((e) => t(e.item, e.priority)), [m("a")], inOrder);
  assertEquals(out.map((a) => a.taskId), [2, 4]);
});

Deno.test("TaskQueue gives the lowest priority number first, unprioritised last, ties in arrival order", () => {
  // Parsl's interchange: (priority, task id) ascending; a task without priority counts as infinite.
  const q = new TaskQueue<string>();
  const pushed: [string, number | undefined][] = [
    ["a", 10],
    ["b", undefined],
    ["c", 2],
    ["d", -1],
    ["e", 2],
    ["f", undefined],
    ["g", 10],
    ["h", 0],
  ];
  for (const [item, p] of pushed) q.push(item, p);
  assertEquals(q.drain(), ["d", "h", "c", "e", "a", "g", "b", "f"]);
});

Deno.test("TaskQueue puts restored entries back in their original place", () => {
  const q = new TaskQueue<string>();
  q.push("x", 1);
  q.push("y", 1);
  q.push("z");
  const taken = q.take(2);
  q.push("w", 1);
  q.restore(taken);
  assertEquals(q.drain(), ["x", "y", "w", "z"]);
});

Deno.test("matchTasks skips tasks that do not fit a pool's remaining walltime", () => {
  const out = matchTasks([t(1, 0, 600), t(2, 0, 10)], [
    m("short", { walltimeRemaining: 60 }),
    m("long"),
  ], inOrder);
  assertEquals(out, [{ taskId: 2, managerId: "short" }, { taskId: 1, managerId: "long" }]);
});

Deno.test("mostIdleSelector offers tasks to the pool with the most free slots first", () => {
  const out = matchTasks([t(1)], [m("busy", { outstanding: 1 }), m("idle")], mostIdleSelector);
  assertEquals(out[0].managerId, "idle");
});

Deno.test("randomSelector spreads first picks over pools", () => {
  let seed = 1;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const sel = randomSelector(rnd);
  const firsts = new Set<string>();
  for (let i = 0; i < 50; i++) {
    firsts.add(matchTasks([t(1)], [m("a"), m("b"), m("c")], sel)[0].managerId);
  }
  assertEquals(firsts.size, 3);
});

Deno.test("TaskQueue.restore puts untaken items back in their original order", () => {
  const q = new TaskQueue<string>();
  for (const s of ["a", "b", "c"]) q.push(s, 1);
  const taken = q.take(3);
  q.push("d", 1);
  q.restore(taken.slice(1).reverse());
  assertEquals(q.drain(), ["b", "c", "d"]);
});
