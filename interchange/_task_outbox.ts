/**
 * The executor's queue of messages its frame writer has not taken yet. A loop submitting a
 * million tasks in one turn of the event loop would otherwise leave every task message in the
 * writer, as objects with their encoded bodies, until the turn ends: about 500 bytes each. Here
 * a task waiting its turn is its number only; its message is made (and its body encoded) when
 * the writer has room, at most {@linkcode WRITER_BACKLOG} messages at a time. Messages keep
 * their order: while tasks wait, every other message waits behind them.
 *
 * @module
 */

/** Messages the writer may hold before tasks wait here instead. */
export const WRITER_BACKLOG = 8192;

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
 * Hands messages to a writer a bounded number at a time; tasks wait as numbers.
 *
 * @example
 * ```ts
 * import { TaskOutbox } from "./_task_outbox.ts";
 * import assert from "node:assert/strict";
 * const sent: object[] = [];
 * const writer = { send: (m: object) => sent.push(m), backlog: 0, flushed: async () => {} };
 * const outbox = new TaskOutbox(writer, (id) => ({ k: "task", id }));
 * assert(outbox.hasRoom());
 * outbox.hold(7); // made when the writer has room: at once here, in a microtask
 * outbox.send({ k: "hb" }); // behind task 7
 * await new Promise((r) => setTimeout(r, 0));
 * assert.deepEqual(sent, [{ k: "task", id: 7 }, { k: "hb" }]);
 * ```
 */
export class TaskOutbox {
  #writer: OutboxWriter;
  #make: (id: number) => object | undefined;
  #queue: (number | object)[] = [];
  #head = 0;
  #pumping?: Promise<void>;
  #closed = false;

  /**
   * Creates an empty outbox.
   * @param writer Where messages go.
   * @param make Makes the message of a waiting task when its turn comes (undefined: none to
   *   send, e.g. the task ended meanwhile).
   */
  constructor(writer: OutboxWriter, make: (id: number) => object | undefined) {
    this.#writer = writer;
    this.#make = make;
  }

  /** Messages waiting here. */
  get waiting(): number {
    return this.#queue.length - this.#head;
  }

  /** Whether a message sent now goes straight to the writer. */
  hasRoom(): boolean {
    return this.#queue.length === this.#head && this.#writer.backlog < WRITER_BACKLOG;
  }

  /**
   * Queues a task; its message is made when the writer has room.
   * @param id The task's number, handed to `make`.
   */
  hold(id: number): void {
    if (this.#closed) return;
    this.#queue.push(id);
    this.#pumping ??= this.#pump();
  }

  /**
   * Sends a message, behind whatever waits here.
   * @param message The message.
   */
  send(message: object): void {
    if (this.#closed) return;
    if (this.#queue.length === this.#head) this.#writer.send(message);
    else this.#queue.push(message);
  }

  /** Drops what waits and refuses more (the interchange is gone or stopping). */
  close(): void {
    this.#closed = true;
    this.#queue = [];
    this.#head = 0;
  }

  async #pump(): Promise<void> {
    try {
      while (this.waiting > 0 && !this.#closed) {
        await this.#writer.flushed();
        // flushed() may return without a turn: let this turn's submitters add to the batch.
        await Promise.resolve();
        const q = this.#queue;
        let room = WRITER_BACKLOG - this.#writer.backlog;
        while (room > 0 && this.#head < q.length && !this.#closed) {
          const item = q[this.#head];
          q[this.#head++] = 0;
          const m = typeof item === "number" ? this.#make(item) : item;
          if (m === undefined) continue;
          this.#writer.send(m);
          room--;
        }
        if (this.#closed) break;
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

/** Size of a chunk of task bodies. */
const CHUNK_BYTES = 256 * 1024;
/** A body this large gets an array of its own. */
const OWN_BYTES = 16 * 1024;

/**
 * Copies task bodies into shared chunks and hands out views of them: a body lives only until
 * its frame is written, and an array of its own per task (allocated outside the JS heap, ~0.5 µs
 * here) would cost more than the copy. A chunk is freed once every view of it is gone.
 *
 * @example
 * ```ts
 * import { BodyChunks } from "./_task_outbox.ts";
 * import assert from "node:assert/strict";
 * const chunks = new BodyChunks();
 * const a = chunks.copy(new Uint8Array([1, 2]));
 * const b = chunks.copy(new Uint8Array([3]));
 * assert.deepEqual([...a, ...b], [1, 2, 3]);
 * assert.equal(a.buffer, b.buffer);
 * ```
 */
export class BodyChunks {
  #chunk = new Uint8Array(0);
  #used = 0;

  /**
   * A copy of `bytes` that stays valid (its chunk is never written again there).
   * @param bytes The bytes (e.g. a view of the coder's scratch buffer).
   * @returns The copy, a view of a shared chunk.
   */
  copy(bytes: Uint8Array): Uint8Array {
    const n = bytes.length;
    if (n > OWN_BYTES) return bytes.slice();
    if (this.#used + n > this.#chunk.length) {
      this.#chunk = new Uint8Array(CHUNK_BYTES);
      this.#used = 0;
    }
    const at = this.#used;
    this.#chunk.set(bytes, at);
    this.#used = at + n;
    return this.#chunk.subarray(at, at + n);
  }
}
