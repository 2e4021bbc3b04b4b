/**
 * The executor's queue of task messages its frame writer has not taken yet. A loop submitting a
 * million tasks in one turn of the event loop would otherwise leave every task message in the
 * writer as objects until the turn ends: about 500 bytes each (the message, its body's byte
 * array and that array's own buffer). Here a task waiting its turn is its encoded body copied
 * into a shared chunk of bytes plus a small record; the writer gets at most
 * {@linkcode WRITER_BACKLOG} messages at a time, and more each time it has written them.
 * Messages keep their order: while tasks wait, every other message waits behind them.
 *
 * @module
 */
import type { TaskKind } from "../dfk/executor.ts";

/** Messages the writer may hold before tasks wait here instead. */
export const WRITER_BACKLOG = 8192;
/** Size of a chunk of queued bodies. */
const CHUNK_BYTES = 1 << 20;
/** A body this large is kept as it is rather than copied into a chunk. */
const OWN_CHUNK_BYTES = 64 * 1024;

/** The fields of a `task` message besides its body (see `protocol.ts`). */
export interface TaskHead {
  /** The executor's id of the try. */
  id: number;
  /** Priority, when the task has one. */
  p?: number;
  /** Walltime, seconds (0: none). */
  w: number;
  /** Expected running time, seconds (0: unknown). */
  rt: number;
  /** The app's name. */
  n: string;
  /** Body kind. */
  kind: TaskKind;
}

/** A task waiting its turn: its head's fields, and where its body is. */
class Queued implements TaskHead {
  readonly id: number;
  readonly p?: number;
  readonly w: number;
  readonly rt: number;
  readonly n: string;
  readonly kind: TaskKind;
  constructor(
    head: TaskHead,
    readonly chunk: Uint8Array,
    readonly off: number,
    readonly len: number,
  ) {
    this.id = head.id;
    this.p = head.p;
    this.w = head.w;
    this.rt = head.rt;
    this.n = head.n;
    this.kind = head.kind;
  }
}

/** What the outbox hands messages to: a frame writer, through the interchange's handle. */
export interface OutboxWriter {
  /** Queues a message on the writer. */
  send(message: object): void;
  /** Messages the writer holds, not yet written. */
  readonly backlog: number;
  /** Resolves when the writer has written what it holds (or its sink failed). */
  flushed(): Promise<void>;
}

/**
 * Hands task messages to a writer a bounded number at a time.
 *
 * @example
 * ```ts
 * import { TaskOutbox } from "./_task_outbox.ts";
 * import assert from "node:assert/strict";
 * const sent: object[] = [];
 * const outbox = new TaskOutbox({ send: (m) => sent.push(m), backlog: 0, flushed: async () => {} });
 * outbox.sendTask({ id: 1, w: 0, rt: 0, n: "add", kind: "function" }, new Uint8Array([0x90]));
 * assert.equal(sent.length, 1);
 * ```
 */
export class TaskOutbox {
  #writer: OutboxWriter;
  #queue: (Queued | object)[] = [];
  #head = 0;
  #chunk = new Uint8Array(0);
  #used = 0;
  #pumping?: Promise<void>;
  #closed = false;

  /**
   * Creates an empty outbox.
   * @param writer Where messages go.
   */
  constructor(writer: OutboxWriter) {
    this.#writer = writer;
  }

  /** Task messages (and messages behind them) waiting here. */
  get waiting(): number {
    return this.#queue.length - this.#head;
  }

  /**
   * Sends a task message now, or queues it compactly when the writer holds enough already.
   * @param head The message's fields besides its body.
   * @param b Its body (only read during the call: it is copied when it waits).
   */
  sendTask(head: TaskHead, b: Uint8Array): void {
    if (this.#closed) return;
    if (this.waiting === 0 && this.#writer.backlog < WRITER_BACKLOG) {
      this.#writer.send(taskMessage(head, b));
      return;
    }
    let chunk = b;
    let off = 0;
    if (b.length < OWN_CHUNK_BYTES) {
      if (this.#used + b.length > this.#chunk.length) {
        this.#chunk = new Uint8Array(CHUNK_BYTES);
        this.#used = 0;
      }
      chunk = this.#chunk;
      off = this.#used;
      chunk.set(b, off);
      this.#used += b.length;
    } else chunk = b.slice();
    this.#queue.push(new Queued(head, chunk, off, b.length));
    this.#pumping ??= this.#pump();
  }

  /**
   * Sends any other message, behind the tasks waiting here.
   * @param message The message.
   */
  send(message: object): void {
    if (this.#closed) return;
    if (this.waiting === 0) this.#writer.send(message);
    else this.#queue.push(message);
  }

  /** Drops what waits and refuses more (the interchange is gone or stopping). */
  close(): void {
    this.#closed = true;
    this.#queue = [];
    this.#head = 0;
    this.#chunk = new Uint8Array(0);
  }

  async #pump(): Promise<void> {
    try {
      while (this.waiting > 0 && !this.#closed) {
        await this.#writer.flushed();
        // flushed() may return without a turn of the loop: let submitters add to the batch.
        await Promise.resolve();
        const q = this.#queue;
        let room = WRITER_BACKLOG - this.#writer.backlog;
        while (room-- > 0 && this.#head < q.length) {
          const item = q[this.#head];
          q[this.#head++] = undefined as unknown as object;
          this.#writer.send(
            item instanceof Queued
              ? taskMessage(item, item.chunk.subarray(item.off, item.off + item.len))
              : item,
          );
        }
        if (this.#head === q.length) {
          this.#queue = [];
          this.#head = 0;
        } else if (this.#head > 65536 && this.#head * 2 > q.length) {
          this.#queue = q.slice(this.#head);
          this.#head = 0;
        }
      }
    } finally {
      this.#pumping = undefined;
    }
  }
}

/** A `task` message, with its fields in the order `protocol.ts` lists them. */
function taskMessage(h: TaskHead, b: Uint8Array): object {
  return h.p === undefined
    ? { k: "task", id: h.id, w: h.w, rt: h.rt, n: h.n, kind: h.kind, b }
    : { k: "task", id: h.id, p: h.p, w: h.w, rt: h.rt, n: h.n, kind: h.kind, b };
}
