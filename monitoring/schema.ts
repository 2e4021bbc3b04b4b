/**
 * The monitoring database schema, defined once (Parsl's issue #2266 was two drifting copies).
 * Tables and columns carry Parsl's names (`parsl/monitoring/db_manager.py`) so analysis written
 * for a Parsl database runs unchanged; tsflow's extra columns are marked with the schema version
 * that added them. A database records its version in `schema_version`; opening an older one
 * (tsflow version 1, or a database Parsl itself wrote, which has no `schema_version` table)
 * migrates it in place by adding what is missing.
 *
 * Times are stored as Parsl's SQLAlchemy stored them: the driver's local time (Parsl's naive
 * `datetime.now()`), as text `YYYY-MM-DD HH:MM:SS.ffffff` with microseconds.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

/** The schema version this code writes. */
export const SCHEMA_VERSION = 3;

/** The version that gave tsflow's extra columns names no Parsl table uses. */
export const RENAMED_IN = 3;

/** One column: name, SQL type and constraints, and the schema version that added it. */
export interface ColumnDef {
  /** Column name (Parsl's where Parsl has one). */
  name: string;
  /** SQL type plus constraints, e.g. `TEXT NOT NULL`. */
  type: string;
  /** Schema version that added it (1 = Parsl's own columns). */
  since: number;
  /** Its name before version {@linkcode RENAMED_IN} (migrations rename it in place). */
  was?: string;
}

/** One table: its columns, table constraints and indexes. */
export interface TableDef {
  /** Table name. */
  name: string;
  /** Columns in order. */
  columns: ColumnDef[];
  /** Table constraints (a primary key) written into CREATE TABLE. */
  constraints: string[];
  /** Indexes: name, column list, version that added it. */
  indexes: { name: string; columns: string; since: number }[];
}

const c = (name: string, type: string, since = 1, was?: string): ColumnDef => ({
  name,
  type,
  since,
  ...(was ? { was } : {}),
});

/**
 * Every table, in creation order.
 *
 * @example List the task table's columns
 * ```ts
 * import { TABLES } from "./schema.ts";
 * import assert from "node:assert/strict";
 * const task = TABLES.find((t) => t.name === "task")!;
 * assert(task.columns.some((col) => col.name === "task_time_returned"));
 * ```
 */
export const TABLES: readonly TableDef[] = [
  {
    name: "workflow",
    columns: [
      c("run_id", "TEXT NOT NULL PRIMARY KEY"),
      c("workflow_name", "TEXT"),
      c("workflow_version", "TEXT"),
      c("time_began", "DATETIME NOT NULL"),
      c("time_completed", "DATETIME"),
      c("host", "TEXT NOT NULL"),
      c("user", "TEXT NOT NULL"),
      c("rundir", "TEXT NOT NULL"),
      c("tasks_failed_count", "INTEGER NOT NULL"),
      c("tasks_completed_count", "INTEGER NOT NULL"),
      c("tsflow_version", "TEXT", 2),
      c("deno_version", "TEXT", 2),
    ],
    constraints: [],
    indexes: [],
  },
  {
    name: "task",
    columns: [
      c("task_id", "INTEGER NOT NULL"),
      c("run_id", "TEXT NOT NULL"),
      c("task_depends", "TEXT"),
      c("task_func_name", "TEXT NOT NULL"),
      c("task_memoize", "TEXT NOT NULL"),
      c("task_hashsum", "TEXT"),
      c("task_inputs", "TEXT"),
      c("task_outputs", "TEXT"),
      c("task_stdin", "TEXT"),
      c("task_stdout", "TEXT"),
      c("task_stderr", "TEXT"),
      c("task_time_invoked", "DATETIME"),
      c("task_time_returned", "DATETIME"),
      c("task_fail_count", "INTEGER NOT NULL"),
      c("task_fail_cost", "FLOAT NOT NULL"),
      // The latest state and executor, so "tasks done/failed" needs no scan of `status`.
      // Version 2 named them after Parsl's `status`/`try` columns, which broke unqualified
      // joins and NATURAL JOINs; every extra now has a name no Parsl table uses.
      c("tsflow_task_state", "TEXT", 2, "task_status_name"),
      c("tsflow_task_executor", "TEXT", 2, "task_executor"),
      c("tsflow_task_joins", "TEXT", 2, "task_joins"),
    ],
    constraints: ["PRIMARY KEY (task_id, run_id)"],
    indexes: [{ name: "ix_task_task_hashsum", columns: "task_hashsum", since: 1 }],
  },
  {
    name: "try",
    columns: [
      c("try_id", "INTEGER NOT NULL"),
      c("task_id", "INTEGER NOT NULL"),
      c("run_id", "TEXT NOT NULL"),
      c("block_id", "TEXT"),
      c("hostname", "TEXT"),
      c("task_executor", "TEXT NOT NULL"),
      c("task_try_time_launched", "DATETIME"),
      c("task_try_time_running", "DATETIME"),
      c("task_try_time_returned", "DATETIME"),
      c("task_fail_history", "TEXT"),
      c("task_joins", "TEXT"),
      c("worker_id", "TEXT", 2),
    ],
    constraints: ["PRIMARY KEY (try_id, task_id, run_id)"],
    indexes: [],
  },
  {
    // Parsl's primary key (task_id, run_id, task_status_name, timestamp) rejects two equal
    // states in one millisecond (a fast retry); a plain index keeps every row.
    name: "status",
    columns: [
      c("task_id", "INTEGER NOT NULL"),
      c("task_status_name", "TEXT NOT NULL"),
      c("timestamp", "DATETIME NOT NULL"),
      c("run_id", "TEXT NOT NULL"),
      c("try_id", "INTEGER NOT NULL"),
    ],
    constraints: [],
    indexes: [],
  },
  {
    name: "resource",
    columns: [
      c("try_id", "INTEGER NOT NULL"),
      c("task_id", "INTEGER NOT NULL"),
      c("run_id", "TEXT NOT NULL"),
      c("timestamp", "DATETIME NOT NULL"),
      c("resource_monitoring_interval", "FLOAT"),
      c("psutil_process_pid", "INTEGER"),
      c("psutil_process_cpu_percent", "FLOAT"),
      c("psutil_process_memory_percent", "FLOAT"),
      c("psutil_process_children_count", "FLOAT"),
      c("psutil_process_time_user", "FLOAT"),
      c("psutil_process_time_system", "FLOAT"),
      c("psutil_process_memory_virtual", "FLOAT"),
      c("psutil_process_memory_resident", "FLOAT"),
      c("psutil_process_disk_read", "FLOAT"),
      c("psutil_process_disk_write", "FLOAT"),
      c("psutil_process_status", "TEXT"),
      // Parsl's columns tsflow's first schemas lacked.
      c("psutil_cpu_num", "TEXT", 3),
      c("psutil_process_num_ctx_switches_voluntary", "FLOAT", 3),
      c("psutil_process_num_ctx_switches_involuntary", "FLOAT", 3),
      c("tsflow_resource_host", "TEXT", 2, "hostname"),
    ],
    constraints: [],
    indexes: [{ name: "ix_resource_task", columns: "task_id", since: 2 }],
  },
  {
    name: "node",
    columns: [
      c("id", "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT"),
      c("run_id", "TEXT NOT NULL"),
      c("hostname", "TEXT NOT NULL"),
      c("uid", "TEXT NOT NULL"),
      c("block_id", "TEXT NOT NULL"),
      c("cpu_count", "INTEGER NOT NULL"),
      c("total_memory", "BIGINT NOT NULL"),
      c("active", "BOOLEAN NOT NULL"),
      c("worker_count", "INTEGER NOT NULL"),
      c("python_v", "TEXT NOT NULL"),
      c("timestamp", "DATETIME NOT NULL"),
      c("last_heartbeat", "DATETIME NOT NULL"),
      c("tsflow_node_executor", "TEXT", 2, "executor_label"),
      c("tsflow_node_deno_version", "TEXT", 2, "deno_version"),
      c("reason", "TEXT", 2),
    ],
    constraints: [],
    indexes: [{ name: "ix_node_run", columns: "run_id", since: 2 }],
  },
  {
    name: "block",
    columns: [
      c("run_id", "TEXT NOT NULL"),
      c("executor_label", "TEXT NOT NULL"),
      c("block_id", "TEXT NOT NULL"),
      c("job_id", "TEXT"),
      c("timestamp", "DATETIME NOT NULL"),
      c("status", "TEXT NOT NULL"),
    ],
    constraints: [],
    indexes: [{ name: "ix_block_run", columns: "run_id", since: 2 }],
  },
];

/**
 * The `CREATE` statements of the schema as it was at a version (the current one by default).
 *
 * @param version Schema version.
 * @returns SQL statements, tables first, then indexes.
 *
 * @example
 * ```ts
 * import { createStatements } from "./schema.ts";
 * import assert from "node:assert/strict";
 * assert(createStatements().some((s) => s.includes('"workflow"')));
 * ```
 */
export function createStatements(version: number = SCHEMA_VERSION): string[] {
  const out: string[] = [];
  for (const t of TABLES) {
    const cols = t.columns.filter((col) => col.since <= version).map((col) =>
      `"${col.was && version < RENAMED_IN ? col.was : col.name}" ${col.type}`
    );
    out.push(`CREATE TABLE IF NOT EXISTS "${t.name}" (${[...cols, ...t.constraints].join(", ")})`);
  }
  for (const t of TABLES) {
    for (const ix of t.indexes.filter((i) => i.since <= version)) {
      out.push(`CREATE INDEX IF NOT EXISTS "${ix.name}" ON "${t.name}" (${ix.columns})`);
    }
  }
  return out;
}

/**
 * The version recorded in a database: 0 when it has no tables, 1 for a database without
 * `schema_version` but with a `workflow` table (tsflow's first schema, or Parsl's own).
 *
 * @param db An open database.
 * @returns The version.
 *
 * @example
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * import { schemaVersionOf } from "./schema.ts";
 * import assert from "node:assert/strict";
 * assert(schemaVersionOf(new DatabaseSync(":memory:")) === 0);
 * ```
 */
export function schemaVersionOf(db: DatabaseSync): number {
  const has = (name: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
      undefined;
  if (has("schema_version")) {
    const row = db.prepare("SELECT MAX(version) AS v FROM schema_version").get() as
      | { v: number | null }
      | undefined;
    return row?.v ?? 0;
  }
  return has("workflow") ? 1 : 0;
}

function columnsOf(db: DatabaseSync, table: string): Set<string> {
  const rows = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/**
 * Creates the schema in an empty database, or migrates an older one to {@linkcode SCHEMA_VERSION}
 * (adds missing tables, columns and indexes; never drops data). Runs in one transaction.
 *
 * @param db An open, writable database.
 * @returns The version found before (0 for a new database).
 * @throws Error when the database is newer than this code.
 *
 * @example
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * import { ensureSchema, SCHEMA_VERSION, schemaVersionOf } from "./schema.ts";
 * import assert from "node:assert/strict";
 * const db = new DatabaseSync(":memory:");
 * ensureSchema(db);
 * assert(schemaVersionOf(db) === SCHEMA_VERSION);
 * ```
 */
export function ensureSchema(db: DatabaseSync): number {
  db.exec("BEGIN IMMEDIATE");
  try {
    const found = schemaVersionOf(db);
    if (found > SCHEMA_VERSION) {
      throw new Error(
        `Monitoring database has schema version ${found}, newer than this tsflow's ${SCHEMA_VERSION}: use a newer tsflow or another dbPath`,
      );
    }
    if (found < SCHEMA_VERSION) {
      // CREATE ... IF NOT EXISTS adds whole tables; ALTER adds the columns a version introduced.
      for (const sql of createStatements().filter((s) => s.startsWith("CREATE TABLE"))) {
        db.exec(sql);
      }
      for (const t of TABLES) {
        const have = columnsOf(db, t.name);
        for (const col of t.columns.filter((x) => !have.has(x.name))) {
          if (col.was && have.has(col.was)) {
            db.exec(`ALTER TABLE "${t.name}" RENAME COLUMN "${col.was}" TO "${col.name}"`);
            continue;
          }
          // ALTER TABLE cannot add NOT NULL columns without defaults; extras are nullable.
          db.exec(`ALTER TABLE "${t.name}" ADD COLUMN "${col.name}" ${col.type}`);
        }
      }
      for (const sql of createStatements().filter((s) => s.startsWith("CREATE INDEX"))) {
        db.exec(sql);
      }
      db.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied DATETIME NOT NULL, from_version INTEGER NOT NULL)",
      );
      db.prepare("INSERT INTO schema_version (version, applied, from_version) VALUES (?, ?, ?)")
        .run(SCHEMA_VERSION, dbTime(Date.now()), found);
    }
    db.exec("COMMIT");
    return found;
  } catch (e) {
    db.exec("ROLLBACK");
    throw e;
  }
}

/**
 * Formats epoch milliseconds as the database's time text: local time with microseconds, as
 * Parsl's naive `datetime.now()` values were written by SQLAlchemy.
 *
 * @param ms Milliseconds since the epoch.
 * @returns `YYYY-MM-DD HH:MM:SS.ffffff`.
 *
 * @example
 * ```ts
 * import { dbTime } from "./schema.ts";
 * import assert from "node:assert/strict";
 * assert(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/.test(dbTime(Date.now())));
 * ```
 */
export function dbTime(ms: number): string {
  // Rows of a batch share a few seconds: the local date and time to the second is made once per
  // second, and only the microseconds per row (Date formatting costs about a microsecond).
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    const d = new Date(second * 1000);
    const p = (n: number) => String(n).padStart(2, "0");
    lastPrefix = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
      `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.`;
    lastSecond = second;
  }
  const micro = Math.min(999_999, Math.round((ms - second * 1000) * 1000));
  return lastPrefix + String(micro).padStart(6, "0");
}
let lastSecond = NaN;
let lastPrefix = "";

/**
 * SQL expression turning a time column back into epoch milliseconds (for readers).
 *
 * @param column Column name or expression.
 * @returns SQL expression.
 *
 * @example
 * ```ts
 * import { sqlEpochMs } from "./schema.ts";
 * import assert from "node:assert/strict";
 * assert(sqlEpochMs("timestamp").includes("julianday"));
 * ```
 */
export function sqlEpochMs(column: string): string {
  // Stored times are local (as Parsl's); 'utc' turns them back into UTC first.
  return `CAST(ROUND((julianday(${column}, 'utc') - 2440587.5) * 86400000.0) AS INTEGER)`;
}
