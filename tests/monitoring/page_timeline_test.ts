// The visualize page's "Tasks running" series (monitoring/page/timeline.ts): never below zero,
// never above the tasks that really overlap, at the database's millisecond resolution.
import { assertEquals } from "../_assert.ts";
import { type Lane, runningSeries } from "../../monitoring/page/timeline.ts";

const series = (lanes: [number, Lane][], t0 = 0, t1 = 10_000) =>
  runningSeries(new Map(lanes), t0, t1)[1];

Deno.test("a try shorter than a millisecond (running and running_ended at one time) counts zero, not minus one", () => {
  const ys = series([
    [1, [[1000, "running"], [1000, "running_ended"], [1002, "exec_done"]]],
    [2, [[2000, "running"], [3000, "running_ended"]]],
  ]);
  assertEquals(Math.min(...ys), 0);
  assertEquals(Math.max(...ys), 1);
});

Deno.test("one worker ending a task and starting the next at one time runs one task, not two", () => {
  const ys = series([
    [1, [[1000, "running"], [2000, "running_ended"]]],
    [2, [[2000, "running"], [3000, "running_ended"]]],
  ]);
  assertEquals(Math.max(...ys), 1);
  assertEquals(ys.at(-1), 0);
});

Deno.test("two tasks overlapping in time run two; a task still running runs to the chart's end", () => {
  const ys = series([
    [1, [[1000, "running"], [3000, "running_ended"]]],
    [2, [[2000, "running"]]],
  ]);
  // Points: start, +1 at 1000, +1 at 2000, -1 at 3000, task 2 cut at the end (10000), end.
  assertEquals(ys, [0, 1, 2, 1, 0, 0]);
});
