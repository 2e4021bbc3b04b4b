/**
 * The run's table of live tasks: every task not yet in a final state, the count of tasks in each
 * state, and who waits for the table to empty. The kernel moves tasks between states
 * (`DataFlowKernel.setState`); this keeps the books of it.
 *
 * @module
 */
import { emptyCounts, type TaskCounts, type TaskState } from "./states.ts";
import type { TaskRecord } from "./task_record.ts";
import { SeqTable } from "./_seq_table.ts";

/**
 * Live tasks by id, and tasks by state. Internal, not public API.
 *
 * @example
 * ```ts
 * import { TaskTable } from "./_task_table.ts";
 * import { TaskRecord } from "./task_record.ts";
 * import type { AppDefinition } from "./app.ts";
 * import assert from "node:assert/strict";
 * const def = { name: "f", kind: "function", options: {} } as unknown as AppDefinition;
 * const tasks = new TaskTable();
 * const task = new TaskRecord(0, def, [], {});
 * tasks.add(task);
 * const idle = tasks.whenEmpty();
 * tasks.count("unsched", "exec_done");
 * task.state = "exec_done";
 * tasks.remove(task.id);
 * await idle;
 * assert.equal(tasks.size, 0);
 * assert.equal(tasks.counts().exec_done, 1);
 * ```
 */
export class TaskTable {
  #live = new SeqTable<TaskRecord>();
  #counts = emptyCounts();
  #idleWaiters: (() => void)[] = [];

  /** Tasks not yet in a final state. */
  get size(): number {
    return this.#live.size;
  }

  /** Tasks by state; `running` counts tasks workers reported running. */
  counts(): TaskCounts {
    return { ...this.#counts };
  }

  /**
   * Takes in a new task, in its first state (`unsched`); its id is larger than every id before.
   * @param task The task.
   */
  add(task: TaskRecord): void {
    this.#counts.unsched++;
    this.#live.set(task.id, task);
  }

  /**
   * Counts a task moving from one state to another.
   * @param old The state it leaves.
   * @param state The state it enters.
   */
  count(old: TaskState, state: TaskState): void {
    this.#counts[old]--;
    this.#counts[state]++;
  }

  /**
   * Lets go of a task that reached a final state; wakes the waiters once none is left.
   * @param taskId The task's id.
   */
  remove(taskId: number): void {
    this.#live.delete(taskId);
    if (this.#live.size === 0 && this.#idleWaiters.length) {
      const ws = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const w of ws) w();
    }
  }

  /**
   * Counts a worker-side `running` / `running_ended` of a live task.
   * @param taskId The task's id.
   * @param running Whether it started (true) or ended (false).
   */
  noteRunning(taskId: number, running: boolean): void {
    if (!this.#live.has(taskId)) return;
    this.#counts.running += running ? 1 : -1;
  }

  /**
   * Tasks submitted to one executor and not yet returned.
   * @param label The executor's label.
   * @returns How many.
   */
  outstandingOn(label: string): number {
    let n = 0;
    for (const t of this.#live.values()) {
      if (t.executor === label && (t.state === "launched" || t.state === "pending")) n++;
    }
    return n;
  }

  /**
   * The live tasks, oldest first.
   * @returns Their records.
   */
  values(): IterableIterator<TaskRecord> {
    return this.#live.values();
  }

  /**
   * Resolves when no task is live.
   * @returns A promise of that.
   */
  whenEmpty(): Promise<void> {
    if (this.#live.size === 0) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.push(r));
  }
}
