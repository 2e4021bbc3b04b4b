/**
 * The interchange's pending tasks: a binary heap ordered as Parsl's interchange orders them: the
 * lowest `priority` number first, tasks without a priority after every prioritised one, arrival
 * (submission) order within a priority.
 *
 * @module
 */

/** A queued item with its ordering keys. */
export interface QueueEntry<T> {
  /** Lower first; `Infinity` stands for "no priority" (after every prioritised task). */
  priority: number;
  /** Arrival order within a priority. */
  seq: number;
  /** The item. */
  item: T;
}
type Entry<T> = QueueEntry<T>;

/**
 * A priority queue.
 *
 * @example
 * ```ts
 * import { TaskQueue } from "./task_queue.ts";
 * import assert from "node:assert/strict";
 * const q = new TaskQueue<string>();
 * q.push("none");
 * q.push("second", 5);
 * q.push("first", 0);
 * assert(q.pop() === "first" && q.pop() === "second" && q.pop() === "none");
 * ```
 */
export class TaskQueue<T> {
  #heap: Entry<T>[] = [];
  #seq = 0;

  /** Number of queued items. */
  get size(): number {
    return this.#heap.length;
  }

  /**
   * Adds an item.
   * @param item The item.
   * @param priority Lower comes out first; none (undefined) comes after every number.
   */
  push(item: T, priority?: number): void {
    this.#pushEntry({ priority: priority ?? Infinity, seq: this.#seq++, item });
  }

  /**
   * Puts back entries taken with {@linkcode TaskQueue.take} that were not used; they keep
   * their place in the order.
   * @param entries The unused entries.
   */
  restore(entries: QueueEntry<T>[]): void {
    for (const e of entries) this.#pushEntry(e);
  }

  /** The first item, left in place, or undefined. */
  peek(): T | undefined {
    return this.#heap[0]?.item;
  }

  /** Removes and returns the first item, or undefined. */
  pop(): T | undefined {
    return this.#popEntry()?.item;
  }

  /**
   * Removes up to `n` first entries (to match, then restore the unused ones).
   * @param n Most entries.
   * @returns Entries in order.
   */
  take(n: number): QueueEntry<T>[] {
    const out: QueueEntry<T>[] = [];
    while (out.length < n && this.#heap.length > 0) out.push(this.#popEntry()!);
    return out;
  }

  /** Removes and returns everything, in order. */
  drain(): T[] {
    return this.take(this.#heap.length).map((e) => e.item);
  }

  #before(a: Entry<T>, b: Entry<T>): boolean {
    return a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq);
  }

  #pushEntry(e: Entry<T>): void {
    const h = this.#heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  #popEntry(): Entry<T> | undefined {
    const h = this.#heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.#before(h[l], h[m])) m = l;
        if (r < h.length && this.#before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
