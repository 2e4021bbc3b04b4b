import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { emptyBatch, STATE_INDEX } from "../../monitoring/_batch.ts";
import { DEFER_MS, HeldTasks } from "../../monitoring/_held_tasks.ts";
import { taskEv } from "./_events.ts";

function batch(events: [number, string, number][], withEvent: number[] = []) {
  const b = emptyBatch();
  b.runs = ["r"];
  for (const [task, state, ms] of events) {
    (b.status as number[]).push(0, task, 0, STATE_INDEX.get(state)!, ms);
  }
  b.tasks = withEvent.map((id) => taskEv("r", id, "pending", 0));
  return b;
}

Deno.test("held tasks: unfinished tasks wait, finished ones are due, a final state wins", () => {
  const held = new HeldTasks();
  const statuses: string[] = [];
  held.merge(batch([[1, "pending", 1], [2, "exec_done", 2]], [1, 2]), (_r, t, _y, s) => {
    statuses.push(`${t}:${s}`);
  });
  assertEquals(statuses, ["1:pending", "2:exec_done"]);
  const due: number[] = [];
  held.takeDue(1000, (_run, task) => due.push(task));
  held.committed();
  assertEquals([due, held.size], [[2], 1]);
  // A late non-final report does not replace a final state; the task is due at once.
  held.merge(batch([[1, "exec_done", 3], [1, "running_ended", 4]]), () => {});
  const states: string[] = [];
  held.takeDue(1001, (_run, _task, a) => states.push(a.state!));
  assertEquals(states, ["exec_done"]);
  held.rolledBack(true); // a lock: still held
  assertEquals(held.size, 1);
  held.takeDue(1002, () => {});
  held.committed();
  assertEquals(held.size, 0);
});

Deno.test("held tasks: an unfinished task is due after DEFER_MS, and dropped on a hard failure", () => {
  const held = new HeldTasks();
  held.merge(batch([[1, "launched", 1]], [1]), () => {});
  const due: number[] = [];
  held.takeDue(0, (_r, t) => due.push(t));
  held.takeDue(DEFER_MS - 1, (_r, t) => due.push(t));
  assertEquals(due.length, 0);
  held.takeDue(DEFER_MS, (_r, t) => due.push(t));
  assertEquals(due, [1]);
  held.rolledBack(false);
  assertEquals(held.size, 0);
});
