/**
 * Multi-row INSERT (or upsert) statements. Each statement call crosses from JavaScript into
 * SQLite and compiles nothing but still costs several microseconds; one call with 32 rows costs
 * little more than one with a single row, so the writer's rows go in chunks.
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";

/** Rows per statement call. */
export const ROWS_PER_CHUNK = 32;

/**
 * Buffers rows and writes them `ROWS_PER_CHUNK` at a time; {@linkcode ChunkedInsert.finish}
 * writes the rest. Use inside a transaction, and finish before committing.
 *
 * @example
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * import { ChunkedInsert } from "./_chunked_insert.ts";
 * import assert from "node:assert/strict";
 * const db = new DatabaseSync(":memory:");
 * db.exec("CREATE TABLE t (a, b)");
 * const ins = new ChunkedInsert(db, "INSERT INTO t (a, b)", 2);
 * for (let i = 0; i < 40; i++) ins.add(i, "x");
 * ins.finish();
 * assert((db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n === 40);
 * ```
 */
export class ChunkedInsert {
  readonly #one: StatementSync;
  readonly #many: StatementSync;
  readonly #full: number;
  readonly #width: number;
  #values: SQLInputValue[] = [];

  /**
   * Prepares the single-row and the full-chunk statements.
   *
   * @param db The database.
   * @param head `INSERT INTO table (columns)`.
   * @param width Number of columns.
   * @param tail What follows the VALUES list (an `ON CONFLICT` clause), if anything.
   */
  constructor(db: DatabaseSync, head: string, width: number, tail = "") {
    const row = `(${Array(width).fill("?").join(", ")})`;
    this.#one = db.prepare(`${head} VALUES ${row} ${tail}`);
    this.#many = db.prepare(`${head} VALUES ${Array(ROWS_PER_CHUNK).fill(row).join(", ")} ${tail}`);
    this.#width = width;
    this.#full = width * ROWS_PER_CHUNK;
  }

  /**
   * Adds one row.
   * @param values Its column values, in the order of `head`.
   */
  add(...values: SQLInputValue[]): void {
    const v = this.#values;
    for (const x of values) v.push(x);
    if (v.length === this.#full) {
      this.#many.run(...v);
      v.length = 0;
    }
  }

  /** Writes the rows left over (fewer than a chunk), one statement call each. */
  finish(): void {
    const v = this.#values;
    for (let i = 0; i < v.length; i += this.#width) {
      this.#one.run(...v.slice(i, i + this.#width));
    }
    v.length = 0;
  }

  /** Drops buffered rows (after a failed transaction). */
  clear(): void {
    this.#values.length = 0;
  }
}
