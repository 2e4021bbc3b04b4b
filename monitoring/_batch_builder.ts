/**
 * Builds one flush window's {@linkcode Batch} as events are recorded, packing task, place and
 * resource events into number columns at once (the layout of {@linkcode PackedTasks}), so the
 * event objects die young where the kernel made them instead of being held for a whole flush
 * window, long enough for V8's young generation to copy them and then promote them.
 *
 * @module
 */
import type {
  MonitoringEvent,
  ResourceEvent,
  TaskEvent,
  TryRunningEvent,
} from "../dfk/monitoring_event.ts";
import { type Batch, EXTRA_FIELDS, type PackedTasks, STATE_INDEX, TASK_STRIDE } from "./_batch.ts";

/**
 * One flush window's events, packed as they come.
 *
 * @example
 * ```ts
 * import { BatchBuilder } from "./_batch_builder.ts";
 * import { unpackTasks } from "./_batch.ts";
 * import assert from "node:assert/strict";
 * const b = new BatchBuilder();
 * b.record({ type: "block", runId: "r", executor: "htex", blockId: "0", status: "PENDING", time: 1 });
 * assert.equal(b.size, 1);
 * const batch = b.take();
 * unpackTasks(batch);
 * assert.equal(batch.blocks.length, 1);
 * assert.equal(b.size, 0);
 * ```
 */
export class BatchBuilder {
  #runs: string[] = [];
  #runIndex = new Map<string, number>();
  #status: number[] = [];
  #nums: number[] = [];
  #extras: unknown[] = [];
  #places: number[] = [];
  #resources: number[] = [];
  #strings: string[] = [];
  #stringIndex = new Map<string, number>();
  /** Per run index: task id -> its slot in `#nums` (only a task's latest event is kept). */
  #latest: Map<number, number>[] = [];
  #rest: Pick<Batch, "workflows" | "nodes" | "blocks"> = { workflows: [], nodes: [], blocks: [] };
  #size = 0;

  /** Events recorded since the last {@linkcode BatchBuilder.take}. */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds one event.
   * @param e The event.
   */
  record(e: MonitoringEvent): void {
    this.#size++;
    switch (e.type) {
      case "task":
        return this.#task(e);
      case "try_running":
        return this.#tryRunning(e);
      case "resource":
        return this.#resource(e);
      case "workflow_start":
      case "workflow_end":
        this.#rest.workflows.push(e);
        return;
      case "node":
        this.#rest.nodes.push(e);
        return;
      case "block":
        this.#rest.blocks.push(e);
        return;
    }
  }

  /**
   * The batch so far, packed (`packedTasks` set, `status` a typed array); the builder starts
   * empty again.
   * @returns The batch.
   */
  take(): Batch {
    const packed: PackedTasks = {
      nums: Float64Array.from(this.#nums),
      strings: this.#strings,
      extras: this.#extras,
      places: Float64Array.from(this.#places),
      resources: Float64Array.from(this.#resources),
    };
    const b: Batch = {
      runs: this.#runs,
      status: Float64Array.from(this.#status),
      tasks: [],
      places: [],
      resources: [],
      ...this.#rest,
      packedTasks: packed,
    };
    this.#runs = [];
    this.#runIndex.clear();
    this.#status = [];
    this.#nums = [];
    this.#extras = [];
    this.#places = [];
    this.#resources = [];
    this.#strings = [];
    this.#stringIndex.clear();
    this.#latest = [];
    this.#rest = { workflows: [], nodes: [], blocks: [] };
    this.#size = 0;
    return b;
  }

  #run(runId: string): number {
    let i = this.#runIndex.get(runId);
    if (i === undefined) {
      i = this.#runs.push(runId) - 1;
      this.#runIndex.set(runId, i);
    }
    return i;
  }

  #str(v: string): number {
    let i = this.#stringIndex.get(v);
    if (i === undefined) this.#stringIndex.set(v, i = this.#strings.push(v) - 1);
    return i;
  }

  #opt(v: string | undefined): number {
    return v === undefined ? -1 : this.#str(v);
  }

  #task(e: TaskEvent): void {
    const ri = this.#run(e.runId);
    this.#status.push(ri, e.taskId, e.tryId, STATE_INDEX.get(e.state)!, e.time);
    const latest = this.#latest[ri] ??= new Map();
    const slot = latest.get(e.taskId);
    const n = this.#nums;
    let at: number;
    if (slot === undefined) {
      at = n.length / TASK_STRIDE;
      latest.set(e.taskId, at);
    } else {
      at = slot;
      this.#extras.push(slot, -1, undefined); // the earlier event's extra fields no longer hold
    }
    const i = at * TASK_STRIDE;
    n[i] = this.#str(e.runId);
    n[i + 1] = e.taskId;
    n[i + 2] = e.tryId;
    n[i + 3] = STATE_INDEX.get(e.state)!;
    n[i + 4] = e.time;
    n[i + 5] = this.#str(e.appName);
    n[i + 6] = this.#str(e.executor);
    n[i + 7] = e.memoize ? 1 : 0;
    n[i + 8] = e.timeInvoked;
    n[i + 9] = e.timeReturned ?? NaN;
    n[i + 10] = e.failCount;
    n[i + 11] = e.failCost;
    for (let f = 0; f < EXTRA_FIELDS.length; f++) {
      const v = e[EXTRA_FIELDS[f]];
      if (v !== undefined && v !== "None" && !(Array.isArray(v) && v.length === 0)) {
        this.#extras.push(at, f, v);
      }
    }
  }

  #tryRunning(e: TryRunningEvent): void {
    const ri = this.#run(e.runId);
    this.#status.push(ri, e.taskId, e.tryId, STATE_INDEX.get(e.state)!, e.time);
    if (e.state !== "running") return;
    this.#places.push(
      this.#str(e.runId),
      e.taskId,
      e.tryId,
      this.#str(e.executor),
      this.#opt(e.hostname),
      this.#opt(e.blockId),
      this.#opt(e.workerId),
    );
  }

  #resource(r: ResourceEvent): void {
    this.#resources.push(
      this.#str(r.runId),
      r.taskId,
      r.tryId,
      r.time,
      r.pid,
      r.cpuPercent,
      r.cpuUser,
      r.cpuSystem,
      r.memoryRss,
      r.memoryVms,
      r.memoryPercent ?? NaN,
      r.readBytes,
      r.writeBytes,
      r.childrenCount ?? NaN,
      r.cpuNum ?? NaN,
      r.ctxSwitchesVoluntary ?? NaN,
      r.ctxSwitchesInvoluntary ?? NaN,
      this.#opt(r.processStatus),
      this.#opt(r.hostname),
    );
  }
}
