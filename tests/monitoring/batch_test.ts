import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { batchSize, unpackTasks } from "../../monitoring/_batch.ts";
import { BatchBuilder } from "../../monitoring/_batch_builder.ts";
import type { TaskEvent, TryRunningEvent } from "../../dfk/monitoring_event.ts";

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
  const builder = new BatchBuilder();
  for (const e of [full, bare, { ...full, taskId: 10 }]) builder.record(e);
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
  for (const p of places) {
    builder.record({ type: "try_running", state: "running", time: 5, ...p } as TryRunningEvent);
    builder.record(
      { type: "try_running", state: "running_ended", time: 6, ...p } as TryRunningEvent,
    );
  }
  const b = builder.take();
  assertEquals([b.tasks, b.places, b.status.length], [[], [], 5 * 7]);
  // A writer counts what waits in its queue packed (batches are unpacked only when written):
  // 7 status rows, 3 tasks, 2 places.
  assertEquals(batchSize(b), 12);
  const crossed = structuredClone(b);
  unpackTasks(crossed);
  assertEquals(crossed.tasks, [full, bare, { ...full, taskId: 10 }]);
  assertEquals(crossed.places, places);
  assertEquals(crossed.packedTasks, undefined);
});

Deno.test("a task's later event replaces its earlier one in the batch, extra fields included", () => {
  const builder = new BatchBuilder();
  const first: TaskEvent = {
    type: "task",
    runId: "r",
    taskId: 1,
    tryId: 0,
    state: "failed",
    time: 10,
    appName: "a",
    executor: "threads",
    memoize: false,
    hashsum: "h",
    dependsOn: [0],
    inputs: "None",
    outputs: "None",
    stdout: "/tmp/o",
    timeInvoked: 1,
    failCount: 1,
    failCost: 1,
    failHistory: ["Error: x"],
    joins: [],
  };
  const later: TaskEvent = { ...first, state: "pending", time: 11, stdout: undefined };
  const other: TaskEvent = { ...first, taskId: 2 };
  for (const e of [first, other, later]) builder.record(e);
  assertEquals(builder.size, 3);
  const b = builder.take();
  assertEquals(builder.size, 0);
  unpackTasks(b);
  const absent = { stderr: undefined, timeReturned: undefined };
  assertEquals(b.tasks, [{ ...later, ...absent }, { ...other, ...absent }]);
  assertEquals(b.status.length, 15, "every state change keeps its status row");
});
