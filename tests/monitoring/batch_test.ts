import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { batchSize, emptyBatch, packTasks, unpackTasks } from "../../monitoring/_batch.ts";
import type { TaskEvent } from "../../dfk/monitoring_event.ts";

Deno.test("task events and try places cross threads in columns and come back field for field", () => {
  const full: TaskEvent = {
    type: "task",
    runId: "run-1",
    taskId: 7,
    tryId: 2,
    state: "exec_done",
    time: 1_780_000_000_123.5,
    appName: "simulate",
    executor: "htex",
    memoize: true,
    hashsum: "abc123",
    dependsOn: [3, 4],
    inputs: "[<File url=file:///in.txt>]",
    outputs: "[<File url=file:///out.txt>]",
    stdout: "/tmp/o",
    stderr: "/tmp/e",
    timeInvoked: 1_780_000_000_000,
    timeReturned: 1_780_000_000_200,
    failCount: 2,
    failCost: 2,
    failHistory: ["Error: one", "Error: two"],
    joins: [9],
  };
  const bare: TaskEvent = {
    ...full,
    runId: "run-2",
    taskId: 8,
    tryId: 0,
    state: "pending",
    memoize: false,
    hashsum: undefined,
    dependsOn: [],
    inputs: "None",
    outputs: "None",
    stdout: undefined,
    stderr: undefined,
    timeReturned: undefined,
    failCount: 0,
    failCost: 0,
    failHistory: [],
    joins: [],
  };
  const b = emptyBatch();
  b.tasks = [full, bare, { ...full, taskId: 10 }];
  const places = [
    {
      runId: "run-1",
      taskId: 7,
      tryId: 2,
      executor: "htex",
      hostname: "n1",
      blockId: "0",
      workerId: "3",
    },
    {
      runId: "run-3",
      taskId: 8,
      tryId: 0,
      executor: "threads",
      hostname: undefined,
      blockId: undefined,
      workerId: undefined,
    },
  ];
  b.places = places;
  const size = batchSize(b);
  packTasks(b);
  // A writer counts what waits in its queue packed (batches are unpacked only when written).
  assertEquals(batchSize(b), size);
  assertEquals([b.tasks, b.places], [[], []]);
  const crossed = structuredClone(b);
  unpackTasks(crossed);
  assertEquals(crossed.tasks, [full, bare, { ...full, taskId: 10 }]);
  assertEquals(crossed.places, places);
  assertEquals(crossed.packedTasks, undefined);
});
