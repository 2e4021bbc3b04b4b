/**
 * The interchange's queued tasks, held compactly: each task is a record in a chunked byte arena
 * (its body, the bytes the executor encoded, behind a few bytes of what its envelope said:
 * `_task_record.ts`), and its `task` message is written from the record into the pool's frame
 * at dispatch; the queues hold numbers in typed arrays. No JavaScript object lives per queued
 * task, so a million queued no-ops cost their bytes and little more (one object and one
 * `Uint8Array` per task cost ~1 KB each).
 *
 * The order is Parsl's interchange order, as {@linkcode TaskQueue} keeps it: the lowest
 * `priority` number first, tasks without a priority after every prioritised one, arrival order
 * within a priority. Prioritised tasks sit in a binary heap; the rest in a first-in-first-out
 * ring, which is the same order for them at less cost.
 *
 * @module
 */

import type { TaskEnvelope } from "./protocol.ts";
import type { EncodedMessage } from "./wire_codec.ts";
import {
  readRecord,
  type RecordHead,
  recordSize,
  TaskNames,
  TaskRecordMessage,
  writeRecord,
} from "./_task_record.ts";
import { scanTask } from "./_message_scan.ts";
import { BodyTemplates } from "./_body_templates.ts";

/** Bytes of one arena chunk (a larger message gets a chunk of its own). */
export const CHUNK_BYTES = 1 << 20;
/** A reference: chunk slot × 2^32 + offset of the record in it. */
const SLOT = 2 ** 32;

interface Chunk {
  bytes: Uint8Array;
  view: DataView;
  /** Bytes written. */
  used: number;
  /** Records not yet released. */
  live: number;
  /** Records written. */
  records: number;
  /** Takes no more records: dropped once its last record is released. */
  sealed: boolean;
}

/** A task taken out of the store (to match, then send or put back). */
export interface StoredTask {
  /** Task sequence number. */
  id: number;
  /** Lower first; `Infinity` when the task has none. */
  priority: number;
  /** Expected running time in seconds: the larger of its `rt` and walltime (0: unknown). */
  runningTime: number;
  /** Arrival order among prioritised tasks (-1 for a task without a priority). */
  seq: number;
  /** Where its record is. */
  ref: number;
}

/**
 * Queued tasks as encoded bytes.
 *
 * @example
 * ```ts
 * import { TaskStore } from "./task_store.ts";
 * import { decodeWire } from "./wire_codec.ts";
 * import assert from "node:assert/strict";
 * const s = new TaskStore();
 * const task = (id: number, p?: number) =>
 *   ({ k: "task", id, p, w: 0, rt: 0, n: "f", kind: "function", b: Uint8Array.of(id) } as const);
 * s.push(task(1));
 * s.push(task(2, 5));
 * const [first, second] = s.take(2);
 * assert(first.id === 2 && second.id === 1);
 * assert.deepEqual((decodeWire(s.message(second).bytes) as { b: Uint8Array }).b, Uint8Array.of(1));
 * s.release(first.ref);
 * s.restore([second]);
 * assert(s.size === 1);
 * ```
 */
export class TaskStore {
  #chunks: (Chunk | undefined)[] = [];
  #freeSlots: number[] = [];
  #tail = -1;
  #seq = 0;
  #names = new TaskNames();
  #templates = new BodyTemplates();
  // The ring of tasks without a priority: their refs (their order is their arrival order).
  #ring = new Float64Array(1024);
  #head = 0;
  #ringSize = 0;
  // The heap of prioritised tasks: parallel arrays.
  #hPrio = new Float64Array(64);
  #hSeq = new Float64Array(64);
  #hRef = new Float64Array(64);
  #heapSize = 0;

  /** Queued tasks. */
  get size(): number {
    return this.#ringSize + this.#heapSize;
  }

  /** Body templates alive (`_body_templates.ts`), for tests. */
  get templates(): number {
    return this.#templates.size;
  }

  /** Bytes the arena holds now (chunks alive), for tests and benchmarks. */
  get arenaBytes(): number {
    let n = 0;
    for (const c of this.#chunks) n += c?.bytes.length ?? 0;
    return n;
  }

  /**
   * Queues a task; its body is copied (`p`: lower first; none: after every prioritised task).
   * @param task The (validated) task message.
   */
  push(task: TaskEnvelope): void {
    const h = this.#next;
    h.id = task.id;
    h.name = this.#names.index(task.n);
    h.bash = task.kind === "bash";
    h.w = task.w;
    h.rt = task.rt;
    this.#queue(task.b, task.p);
  }

  /**
   * Queues a task from its encoded message, without decoding it, when the message is in the
   * plain form the executor writes (`_message_scan.ts`).
   * @param message One encoded message (a view of a read buffer: its body is copied).
   * @returns Whether it was queued; if not, decode and validate it (it may not be a task).
   */
  pushEncoded(message: Uint8Array): boolean {
    const t = scanTask(message);
    if (t === undefined) return false;
    const h = this.#next;
    h.id = t.id;
    h.name = this.#names.indexOf(message, t.nameStart, t.nameEnd);
    h.bash = t.bash;
    h.w = t.w;
    h.rt = t.rt;
    this.#queue(message.subarray(t.bodyStart, t.bodyEnd), t.hasP ? t.p : undefined);
    return true;
  }

  // The task being queued (one object, reused).
  #next: RecordHead = { id: 0, name: 0, bash: false, w: 0, rt: 0, length: 0, template: -1 };

  #queue(body: Uint8Array, priority: number | undefined): void {
    const h = this.#next;
    h.length = body.length;
    // Most queued bodies are a template's bytes but for a few (`_body_templates.ts`).
    const slot = h.template = this.#templates.match(body);
    const stored = slot < 0 ? body : this.#templates.patch;
    const storedLength = slot < 0 ? body.length : this.#templates.patchLength;
    if (slot >= 0) this.#templates.retain(slot);
    const [c, ref] = this.#alloc(recordSize(h, storedLength));
    writeRecord(c.bytes, c.view, ref % SLOT, h, stored, storedLength);
    const seq = this.#seq++;
    if (priority === undefined) this.#ringPushBack(ref);
    else this.#heapPush(priority, seq, ref);
  }

  /**
   * Removes up to `n` first tasks, in order.
   * @param n Most tasks.
   * @returns The tasks; each must be released (sent) or restored.
   */
  take(n: number): StoredTask[] {
    const out: StoredTask[] = [];
    while (out.length < n && this.#heapSize > 0) {
      const priority = this.#hPrio[0], seq = this.#hSeq[0], ref = this.#hRef[0];
      this.#heapPop();
      out.push(this.#task(ref, priority, seq));
    }
    while (out.length < n && this.#ringSize > 0) {
      const i = this.#head;
      out.push(this.#task(this.#ring[i], Infinity, -1));
      this.#head = (i + 1) % this.#ring.length;
      this.#ringSize--;
    }
    return out;
  }

  /**
   * Puts back tasks taken with {@linkcode TaskStore.take} that were not sent; they keep their
   * place in the order.
   * @param tasks The tasks, in the order taken.
   */
  restore(tasks: readonly StoredTask[]): void {
    for (let i = tasks.length - 1; i >= 0; i--) {
      const t = tasks[i];
      const ref = this.#compacted(t);
      if (t.seq < 0) this.#ringPushFront(ref);
      else this.#heapPush(t.priority, t.seq, ref);
    }
  }

  /**
   * A put-back task's ref, its record first copied to the tail when it is one of the few still
   * alive in a full chunk: a task no pool can take yet would otherwise keep a whole chunk of
   * sent tasks' bytes alive for as long as it waits.
   */
  #compacted(t: StoredTask): number {
    const c = this.#chunks[Math.floor(t.ref / SLOT)]!;
    if (!c.sealed || c.live * 8 > c.records) return t.ref;
    const at = t.ref % SLOT;
    const r = readRecord(c.bytes, c.view, at);
    const end = r.body + r.stored;
    // The copy refers to the same template: one more reference, and the original's released.
    if (r.template >= 0) this.#templates.retain(r.template);
    const [to, ref] = this.#alloc(end - at);
    to.bytes.set(c.bytes.subarray(at, end), ref % SLOT);
    this.release(t.ref);
    return ref;
  }

  /**
   * The `task` message of a taken task, to send before the task is released.
   * @param t The task.
   * @returns The message: it writes itself into a frame from the arena (a chunk is never
   *   reused, only dropped, so it stays valid after the release).
   */
  message(t: StoredTask): EncodedMessage {
    const c = this.#chunks[Math.floor(t.ref / SLOT)]!;
    const r = readRecord(c.bytes, c.view, t.ref % SLOT);
    const p = t.seq < 0 ? undefined : t.priority;
    const template = r.template < 0 ? undefined : this.#templates.template(r.template);
    return new TaskRecordMessage(c.bytes, r, p, this.#names.bytes(r.name), template);
  }

  /**
   * Frees a taken task's record (it was sent).
   * @param ref The task's `ref`.
   */
  release(ref: number): void {
    const slot = Math.floor(ref / SLOT);
    const c = this.#chunks[slot]!;
    const template = readRecord(c.bytes, c.view, ref % SLOT).template;
    if (template >= 0) this.#templates.release(template);
    if (--c.live === 0 && c.sealed) this.#drop(slot);
  }

  #task(ref: number, priority: number, seq: number): StoredTask {
    const c = this.#chunks[Math.floor(ref / SLOT)]!;
    const r = readRecord(c.bytes, c.view, ref % SLOT);
    return { id: r.id, priority, runningTime: Math.max(r.rt, r.w), seq, ref };
  }

  /** Room for a record of `need` bytes: its chunk and ref. */
  #alloc(need: number): [Chunk, number] {
    let slot = this.#tail;
    let c = slot >= 0 ? this.#chunks[slot] : undefined;
    if (need > CHUNK_BYTES >> 2) {
      // A large message gets a chunk of its own, dropped when it is sent.
      slot = this.#newChunk(need);
      c = this.#chunks[slot]!;
      c.sealed = true;
    } else if (!c || c.used + need > c.bytes.length) {
      if (c) {
        c.sealed = true;
        if (c.live === 0) this.#drop(slot);
      }
      slot = this.#tail = this.#newChunk(CHUNK_BYTES);
      c = this.#chunks[slot]!;
    }
    const at = c.used;
    c.used += need;
    c.live++;
    c.records++;
    return [c, slot * SLOT + at];
  }

  #newChunk(size: number): number {
    const bytes = new Uint8Array(size);
    const view = new DataView(bytes.buffer);
    const chunk = { bytes, view, used: 0, live: 0, records: 0, sealed: false };
    const slot = this.#freeSlots.pop() ?? this.#chunks.length;
    this.#chunks[slot] = chunk;
    return slot;
  }

  #drop(slot: number): void {
    this.#chunks[slot] = undefined;
    this.#freeSlots.push(slot);
    if (slot === this.#tail) this.#tail = -1;
  }

  #ringGrow(): void {
    const n = this.#ring.length;
    const ring = new Float64Array(n * 2);
    for (let i = 0; i < this.#ringSize; i++) ring[i] = this.#ring[(this.#head + i) % n];
    this.#ring = ring;
    this.#head = 0;
  }

  #ringPushBack(ref: number): void {
    if (this.#ringSize === this.#ring.length) this.#ringGrow();
    this.#ring[(this.#head + this.#ringSize) % this.#ring.length] = ref;
    this.#ringSize++;
  }

  #ringPushFront(ref: number): void {
    if (this.#ringSize === this.#ring.length) this.#ringGrow();
    this.#head = (this.#head - 1 + this.#ring.length) % this.#ring.length;
    this.#ring[this.#head] = ref;
    this.#ringSize++;
  }

  #before(i: number, j: number): boolean {
    const p = this.#hPrio, q = this.#hSeq;
    return p[i] < p[j] || (p[i] === p[j] && q[i] < q[j]);
  }

  #swap(i: number, j: number): void {
    for (const a of [this.#hPrio, this.#hSeq, this.#hRef]) [a[i], a[j]] = [a[j], a[i]];
  }

  #heapPush(priority: number, seq: number, ref: number): void {
    if (this.#heapSize === this.#hPrio.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.#hPrio = grow(this.#hPrio);
      this.#hSeq = grow(this.#hSeq);
      this.#hRef = grow(this.#hRef);
    }
    let i = this.#heapSize++;
    this.#hPrio[i] = priority;
    this.#hSeq[i] = seq;
    this.#hRef[i] = ref;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#before(i, p)) break;
      this.#swap(i, p);
      i = p;
    }
  }

  #heapPop(): void {
    const last = --this.#heapSize;
    if (last === 0) return;
    this.#hPrio[0] = this.#hPrio[last];
    this.#hSeq[0] = this.#hSeq[last];
    this.#hRef[0] = this.#hRef[last];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < last && this.#before(l, m)) m = l;
      if (r < last && this.#before(r, m)) m = r;
      if (m === i) break;
      this.#swap(i, m);
      i = m;
    }
  }
}
