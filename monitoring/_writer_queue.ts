/**
 * The writer's queue: batches wait here until they are in the database. A batch that fails
 * because another connection holds a lock (a reader in a long transaction, a tool writing) stays
 * queued and is retried with back-off, so readers never make the writer lose data (Parsl #1889).
 * Any other error (a full disk, a corrupt file) drops that batch and is reported.
 *
 * @module
 */
import type { Batch } from "./_batch.ts";
import { batchSize, unpackTasks } from "./_batch.ts";
import { DbWriter, type DbWriterOptions, isBusy } from "./db_writer.ts";
import { DEFER_MS } from "./_held_tasks.ts";

/** What the queue reports to its owner. */
export interface WriterReport {
  /** A batch was dropped (not a lock error). */
  dropped?: { events: number; error: string };
  /** A lock made a write wait. */
  busy?: { attempt: number; error: string };
}

/**
 * Queue plus retry loop around a {@linkcode DbWriter}.
 *
 * @example
 * ```ts
 * import { WriterQueue } from "./_writer_queue.ts";
 * import { emptyBatch } from "./_batch.ts";
 * const q = new WriterQueue(Deno.makeTempFileSync({ suffix: ".db" }), {}, () => {});
 * q.push(emptyBatch());
 * await q.close(1000);
 * ```
 */
export class WriterQueue {
  readonly #writer: DbWriter;
  readonly #report: (r: WriterReport) => void;
  #queue: Batch[] = [];
  #timer?: ReturnType<typeof setTimeout>;
  /** Writes held-back rows after a quiet spell (no batch for DEFER_MS). */
  #heldTimer?: ReturnType<typeof setTimeout>;
  #attempt = 0;
  #written = 0;

  /**
   * @param path Database file.
   * @param opts Writer options.
   * @param report Receives drops and lock waits.
   */
  constructor(path: string, opts: DbWriterOptions, report: (r: WriterReport) => void) {
    this.#writer = new DbWriter(path, opts);
    this.#report = report;
  }

  /** Events written so far. */
  get written(): number {
    return this.#written;
  }

  /** Events still queued. */
  get queued(): number {
    return this.#queue.reduce((n, b) => n + batchSize(b), 0);
  }

  /**
   * Queues a batch and writes what it can now.
   *
   * @param b The batch.
   */
  push(b: Batch): void {
    this.#queue.push(b);
    if (this.#timer === undefined) this.#drain();
  }

  /** Writes queued batches in order; returns false when a lock stopped it. */
  #drain(): boolean {
    while (this.#queue.length) {
      const b = this.#queue[0];
      try {
        // Batches wait packed (typed arrays the GC need not trace) and become objects only
        // now: a writer behind a burst held thousands of task objects per batch, and every
        // young-generation collection copied them again.
        unpackTasks(b);
        this.#writer.write(b);
        this.#written += batchSize(b);
      } catch (e) {
        if (isBusy(e)) {
          this.#attempt++;
          this.#report({ busy: { attempt: this.#attempt, error: String(e) } });
          const wait = Math.min(2000, 50 * 2 ** Math.min(this.#attempt, 6));
          this.#timer = setTimeout(() => {
            this.#timer = undefined;
            this.#drain();
          }, wait);
          return false;
        }
        this.#report({ dropped: { events: batchSize(b), error: String(e) } });
      }
      this.#queue.shift();
      this.#attempt = 0;
    }
    this.#armHeld();
    return true;
  }

  #armHeld(): void {
    clearTimeout(this.#heldTimer);
    this.#heldTimer = undefined;
    if (this.#writer.held === 0) return;
    this.#heldTimer = setTimeout(() => {
      this.#heldTimer = undefined;
      if (this.#timer !== undefined) return; // a lock is being waited out; #drain re-arms
      try {
        this.#writer.writeHeld();
      } catch (e) {
        if (!isBusy(e)) this.#report({ dropped: { events: 0, error: String(e) } });
        this.#armHeld();
      }
    }, DEFER_MS);
  }

  /**
   * Writes everything queued (retrying locks until `boundMs` has passed) and closes.
   *
   * @param boundMs Longest wait for locks to clear.
   * @returns Events that could not be written.
   */
  async close(boundMs: number): Promise<number> {
    const until = Date.now() + boundMs;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (!this.#drain() && Date.now() < until) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      await new Promise((r) => setTimeout(r, 50));
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    clearTimeout(this.#heldTimer);
    while (true) {
      try {
        this.#writer.writeHeld();
        break;
      } catch (e) {
        if (!isBusy(e) || Date.now() >= until) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const lost = this.queued + this.#writer.held;
    try {
      this.#writer.close();
    } catch { /* held rows that could not be written are counted in lost */ }
    return lost;
  }
}
