/**
 * A table of in-flight entries keyed by increasing integers (task ids, sequence numbers): an
 * array window from the oldest live key, instead of a Map. With a million tasks in flight a Map
 * costs ~37 bytes an entry and a hash, insert and delete each; a slot here costs 8 bytes and an
 * index. Keys must be set in increasing order. An entry that stays while a long run of newer
 * ones has come and gone (a long task among many short ones) moves to a small Map, so the window
 * never holds more than about twice the live entries plus a constant.
 *
 * @module
 */

/** Window slack: holes tolerated before stragglers move out. */
const SLACK = 65536;

/**
 * Entries by increasing integer key.
 *
 * @example
 * ```ts
 * import { SeqTable } from "./_seq_table.ts";
 * import assert from "node:assert/strict";
 * const t = new SeqTable<string>();
 * t.set(1, "a");
 * t.set(2, "b");
 * t.delete(1);
 * assert.equal(t.get(2), "b");
 * assert.equal(t.size, 1);
 * assert.deepEqual([...t.values()], ["b"]);
 * ```
 */
export class SeqTable<T> {
  #slots: (T | undefined)[] = [];
  /** Key of `#slots[0]`. */
  #base = 0;
  /** Index of the first slot that may be live. */
  #head = 0;
  #size = 0;
  /** Entries that outlived their window. */
  #old?: Map<number, T>;

  /** Entries held. */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds an entry; its key is larger than every key set before.
   * @param key The key.
   * @param value The entry (not undefined).
   * @throws RangeError when the key is not larger than every key set before.
   */
  set(key: number, value: T): void {
    const slots = this.#slots;
    if (slots.length === 0 && this.#size === 0) this.#base = key;
    const i = key - this.#base;
    if (i < slots.length) throw new RangeError(`SeqTable: key ${key} is not increasing`);
    while (slots.length < i) slots.push(undefined);
    slots.push(value);
    this.#size++;
    this.#trim();
  }

  /**
   * The entry of a key.
   * @param key The key.
   * @returns The entry, or undefined.
   */
  get(key: number): T | undefined {
    const i = key - this.#base;
    if (i >= this.#head && i < this.#slots.length) return this.#slots[i];
    return this.#old?.get(key);
  }

  /**
   * Whether a key has an entry.
   * @param key The key.
   * @returns True when it has.
   */
  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * Removes the entry of a key.
   * @param key The key.
   * @returns Whether there was one.
   */
  delete(key: number): boolean {
    const i = key - this.#base;
    if (i >= this.#head && i < this.#slots.length) {
      if (this.#slots[i] === undefined) return false;
      this.#slots[i] = undefined;
      this.#size--;
      this.#trim();
      return true;
    }
    if (this.#old?.delete(key)) {
      this.#size--;
      return true;
    }
    return false;
  }

  /**
   * The entries, oldest key first.
   * @returns An iterator over a snapshot of the entries.
   */
  values(): IterableIterator<T> {
    const out: T[] = [...(this.#old?.values() ?? [])];
    const slots = this.#slots;
    for (let i = this.#head; i < slots.length; i++) {
      const v = slots[i];
      if (v !== undefined) out.push(v);
    }
    return out.values();
  }

  /**
   * The keys, oldest first.
   * @returns An iterator over a snapshot of the keys.
   */
  keys(): IterableIterator<number> {
    const out: number[] = [...(this.#old?.keys() ?? [])];
    const slots = this.#slots;
    for (let i = this.#head; i < slots.length; i++) {
      if (slots[i] !== undefined) out.push(this.#base + i);
    }
    return out.values();
  }

  /** Advances past holes at the head; moves stragglers out when the window is mostly holes. */
  #trim(): void {
    const slots = this.#slots;
    let head = this.#head;
    const inWindow = this.#size - (this.#old?.size ?? 0);
    while (head < slots.length) {
      if (slots[head] === undefined) {
        head++;
        continue;
      }
      if (slots.length - head <= 2 * inWindow + SLACK) break;
      // A straggler: far older than most of the window.
      (this.#old ??= new Map()).set(this.#base + head, slots[head]!);
      slots[head++] = undefined;
    }
    this.#head = head;
    if (head === slots.length) {
      this.#base += head;
      this.#slots = [];
      this.#head = 0;
    } else if (head > 4096 && head * 2 > slots.length) {
      this.#slots = slots.slice(head);
      this.#base += head;
      this.#head = 0;
    }
  }
}
