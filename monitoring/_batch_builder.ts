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
  #status = new Column();
  #nums = new Column();
  #extras: unknown[] = [];
  #places = new Column();
  #resources = new Column();
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
      nums: this.#nums.take(),
      strings: this.#strings,
      extras: this.#extras,
      places: this.#places.take(),
      resources: this.#resources.take(),
    };
    const b: Batch = {
      runs: this.#runs,
      status: this.#status.take(),
      tasks: [],
      places: [],
      resources: [],
      ...this.#rest,
      packedTasks: packed,
    };
    this.#runs = [];
    this.#runIndex.clear();
    this.#extras = [];
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
    this.#statusRow(ri, e.taskId, e.tryId, STATE_INDEX.get(e.state)!, e.time);
    const latest = this.#latest[ri] ??= new Map();
    const slot = latest.get(e.taskId);
    const col = this.#nums;
    let at: number;
    if (slot === undefined) {
      at = col.length / TASK_STRIDE;
      col.grow(TASK_STRIDE);
      latest.set(e.taskId, at);
    } else {
      at = slot;
      this.#extras.push(slot, -1, undefined); // the earlier event's extra fields no longer hold
    }
    const i = at * TASK_STRIDE;
    const n = col.values;
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
    this.#statusRow(ri, e.taskId, e.tryId, STATE_INDEX.get(e.state)!, e.time);
    if (e.state !== "running") return;
    const at = this.#places.grow(7);
    const p = this.#places.values;
    p[at] = this.#str(e.runId);
    p[at + 1] = e.taskId;
    p[at + 2] = e.tryId;
    p[at + 3] = this.#str(e.executor);
    p[at + 4] = this.#opt(e.hostname);
    p[at + 5] = this.#opt(e.blockId);
    p[at + 6] = this.#opt(e.workerId);
  }

  #statusRow(run: number, taskId: number, tryId: number, state: number, time: number): void {
    const at = this.#status.grow(5);
    const v = this.#status.values;
    v[at] = run;
    v[at + 1] = taskId;
    v[at + 2] = tryId;
    v[at + 3] = state;
    v[at + 4] = time;
  }

  #resource(r: ResourceEvent): void {
    const at = this.#resources.grow(19);
    const v = this.#resources.values;
    v[at] = this.#str(r.runId);
    v[at + 1] = r.taskId;
    v[at + 2] = r.tryId;
    v[at + 3] = r.time;
    v[at + 4] = r.pid;
    v[at + 5] = r.cpuPercent;
    v[at + 6] = r.cpuUser;
    v[at + 7] = r.cpuSystem;
    v[at + 8] = r.memoryRss;
    v[at + 9] = r.memoryVms;
    v[at + 10] = r.memoryPercent ?? NaN;
    v[at + 11] = r.readBytes;
    v[at + 12] = r.writeBytes;
    v[at + 13] = r.childrenCount ?? NaN;
    v[at + 14] = r.cpuNum ?? NaN;
    v[at + 15] = r.ctxSwitchesVoluntary ?? NaN;
    v[at + 16] = r.ctxSwitchesInvoluntary ?? NaN;
    v[at + 17] = this.#opt(r.processStatus);
    v[at + 18] = this.#opt(r.hostname);
  }
}

/**
 * A growing column of numbers kept in a Float64Array: no JS array that reallocates as it grows
 * (a batch's columns reach hundreds of KB: large objects the collector must sweep), and a
 * buffer that crosses to the writer thread as it is (transferred).
 */
class Column {
  values = new Float64Array(1024);
  length = 0;

  /** Makes room for `n` more values and returns where they start (written into `values`). */
  grow(n: number): number {
    const at = this.length;
    if (at + n > this.values.length) {
      const next = new Float64Array(Math.max(this.values.length * 2, at + n));
      next.set(this.values.subarray(0, at));
      this.values = next;
    }
    this.length = at + n;
    return at;
  }

  /** The values so far (a view of a buffer of their own); the column starts empty again. */
  take(): Float64Array<ArrayBuffer> {
    const out = this.values.subarray(0, this.length);
    // The next batch likely needs as much: start there.
    this.values = new Float64Array(Math.max(1024, this.values.length));
    this.length = 0;
    return out;
  }
}
