/**
 * The interchange's pending tasks: a binary heap, highest priority first, arrival order within a
 * priority.
 *
 * @module
 */

interface Entry<T> {
  priority: number;
  seq: number;
  item: T;
}

/**
 * A priority queue.
 *
 * @example
 * ```ts
 * import { TaskQueue } from "./task_queue.ts";
 * const q = new TaskQueue<string>();
 * q.push("low", 0);
 * q.push("high", 5);
 * console.assert(q.pop() === "high" && q.pop() === "low");
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
   * @param priority Higher comes out first.
   */
  push(item: T, priority = 0): void {
    this.#pushEntry({ priority, seq: this.#seq++, item });
  }

  /**
   * Puts back items taken with {@linkcode TaskQueue.take} that were not used, keeping their
   * original order.
   * @param items Items in the order `take` returned them.
   * @param priorities Their priorities.
   * @param seqs Their sequence numbers.
   */
  restore(items: T[], priorities: number[], seqs: number[]): void {
    for (let i = 0; i < items.length; i++) {
      this.#pushEntry({ priority: priorities[i], seq: seqs[i], item: items[i] });
    }
  }

  /** Removes and returns the first item, or undefined. */
  pop(): T | undefined {
    return this.#popEntry()?.item;
  }

  /**
   * Removes up to `n` first items, with their priorities and sequence numbers (for restore).
   * @param n Most items.
   * @returns Items in order.
   */
  take(n: number): { items: T[]; priorities: number[]; seqs: number[] } {
    const items: T[] = [], priorities: number[] = [], seqs: number[] = [];
    while (items.length < n && this.#heap.length > 0) {
      const e = this.#popEntry()!;
      items.push(e.item);
      priorities.push(e.priority);
      seqs.push(e.seq);
    }
    return { items, priorities, seqs };
  }

  /** Removes and returns everything, in order. */
  drain(): T[] {
    return this.take(this.#heap.length).items;
  }

  #before(a: Entry<T>, b: Entry<T>): boolean {
    return a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);
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
