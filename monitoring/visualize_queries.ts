/**
 * Read-only queries behind `tsflow visualize`'s JSON API. Each call opens its own short read
 * transaction on a read-only connection, so the visualizer never holds a lock a running
 * workflow's writer could wait on, and always sees the latest committed rows. Times come back as
 * epoch milliseconds.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { sqlEpochMs as ms } from "./schema.ts";

/** One result row: column name to value (times as epoch milliseconds). */
export type MonitoringRow = Record<string, unknown>;
type Param = string | number | null;

/** Filters of {@linkcode MonitoringReader.tasks}. */
export interface TaskFilter {
  /** Only tasks whose latest state is this one. */
  state?: string;
  /** Only tasks of this app. */
  app?: string;
  /** Most rows. @default 1000 */
  limit?: number;
  /** Rows to skip. @default 0 */
  offset?: number;
}

const FINAL_OK = `('exec_done', 'memo_done')`;
const FINAL_BAD = `('failed', 'dep_fail')`;

/**
 * Queries a monitoring database for the visualizer.
 *
 * @example
 * ```ts
 * import { MonitoringReader } from "./visualize_queries.ts";
 * import assert from "node:assert/strict";
 * const r = new MonitoringReader(Deno.makeTempFileSync({ suffix: ".db" }));
 * assert(Array.isArray(r.workflows()));
 * r.close();
 * ```
 */
export class MonitoringReader {
  readonly #path: string;
  #db?: DatabaseSync;
  #state = "";
  #nodeExecutor = "NULL";

  /**
   * Makes a reader; the database is opened on first use.
   *
   * @param path The database file (it may not exist yet: queries then return nothing).
   */
  constructor(path: string) {
    this.#path = path;
  }

  #open(): DatabaseSync | undefined {
    if (this.#db) return this.#db;
    try {
      Deno.statSync(this.#path);
    } catch {
      return undefined;
    }
    try {
      const db = new DatabaseSync(this.#path, { readOnly: true });
      db.exec("PRAGMA busy_timeout = 2000");
      const cols = (db.prepare(`PRAGMA table_info("task")`).all() as MonitoringRow[]).map((r) =>
        r.name
      );
      if (cols.length === 0) {
        db.close();
        return undefined; // the writer has not created the schema yet
      }
      // A database written by Parsl (or tsflow's first schema) lacks tsflow_task_state.
      this.#state = cols.includes("tsflow_task_state")
        ? "task.tsflow_task_state"
        : `(SELECT s.task_status_name FROM status s WHERE s.run_id = task.run_id AND s.task_id = task.task_id ORDER BY s.timestamp DESC LIMIT 1)`;
      const nodeCols = (db.prepare(`PRAGMA table_info("node")`).all() as MonitoringRow[])
        .map((r) => r.name);
      // Parsl's node rows name no executor; its block rows do.
      this.#nodeExecutor = nodeCols.includes("tsflow_node_executor")
        ? "node.tsflow_node_executor"
        : `(SELECT b.executor_label FROM block b WHERE b.run_id = node.run_id AND b.block_id = node.block_id LIMIT 1)`;
      this.#db = db;
      return db;
    } catch {
      return undefined;
    }
  }

  #all(sql: string, ...params: Param[]): MonitoringRow[] {
    const db = this.#open();
    if (!db) return [];
    return db.prepare(sql).all(...params) as MonitoringRow[];
  }

  /**
   * Every workflow, newest first, with task counts.
   *
   * @returns Rows: run_id, workflow_name, began, completed (ms), host, user, rundir, tasks, done, failed.
   */
  workflows(): MonitoringRow[] {
    const st = this.#state || "task.tsflow_task_state";
    return this.#all(
      `SELECT w.run_id, w.workflow_name, w.workflow_version, ${ms("w.time_began")} AS began,
              ${ms("w.time_completed")} AS completed, w.host, w."user", w.rundir,
              (SELECT COUNT(*) FROM task WHERE task.run_id = w.run_id) AS tasks,
              (SELECT COUNT(*) FROM task WHERE task.run_id = w.run_id AND ${st} IN ${FINAL_OK}) AS done,
              (SELECT COUNT(*) FROM task WHERE task.run_id = w.run_id AND ${st} IN ${FINAL_BAD}) AS failed
       FROM workflow w ORDER BY w.time_began DESC`,
    );
  }

  /**
   * One workflow with counts per state and per app.
   *
   * @param runId The run.
   * @returns The workflow row plus `states` and `apps`, or undefined.
   */
  workflow(runId: string): MonitoringRow | undefined {
    const w = this.workflows().find((r) => r.run_id === runId);
    if (!w) return undefined;
    const states = this.#all(
      `SELECT ${this.#state} AS state, COUNT(*) AS n FROM task WHERE run_id = ? GROUP BY 1`,
      runId,
    );
    const apps = this.#all(
      `SELECT task_func_name AS app, COUNT(*) AS n FROM task WHERE run_id = ? GROUP BY 1 ORDER BY 1`,
      runId,
    );
    return { ...w, states, apps };
  }

  /**
   * Tasks of a run with their latest state and try count.
   *
   * @param runId The run.
   * @param f Filters.
   * @returns Task rows (times in ms).
   */
  tasks(runId: string, f: TaskFilter = {}): MonitoringRow[] {
    const where = ["task.run_id = ?"];
    const params: Param[] = [runId];
    if (f.state) {
      where.push(`${this.#state} = ?`);
      params.push(f.state);
    }
    if (f.app) {
      where.push("task.task_func_name = ?");
      params.push(f.app);
    }
    params.push(Math.min(f.limit ?? 1000, 100_000), f.offset ?? 0);
    return this.#all(
      `SELECT task.task_id, task.task_func_name AS app, ${this.#state} AS state,
              ${ms("task.task_time_invoked")} AS invoked, ${
        ms("task.task_time_returned")
      } AS returned,
              task.task_fail_count AS fail_count, task.task_depends AS depends,
              task.task_stdout AS stdout, task.task_stderr AS stderr, task.task_hashsum AS hashsum,
              (SELECT COUNT(*) FROM "try" WHERE "try".run_id = task.run_id AND "try".task_id = task.task_id) AS tries
       FROM task WHERE ${where.join(" AND ")} ORDER BY task.task_id LIMIT ? OFFSET ?`,
      ...params,
    );
  }

  /**
   * State changes for the timeline, task by task, for tasks in an id window.
   *
   * @param runId The run.
   * @param limit Most tasks.
   * @param offset Tasks to skip.
   * @returns Columns as arrays: `task`, `state`, `t` (ms), plus `apps` (task id → app).
   */
  timeline(runId: string, limit = 2000, offset = 0): MonitoringRow {
    const ids = this.#all(
      `SELECT task_id, task_func_name AS app FROM task WHERE run_id = ? ORDER BY task_id LIMIT ? OFFSET ?`,
      runId,
      limit,
      offset,
    );
    const total = this.#all(`SELECT COUNT(*) AS n FROM task WHERE run_id = ?`, runId)[0]?.n ?? 0;
    if (ids.length === 0) return { task: [], state: [], t: [], apps: {}, total };
    const lo = ids[0].task_id as number, hi = ids.at(-1)!.task_id as number;
    const rows = this.#all(
      `SELECT task_id, task_status_name, ${ms("timestamp")} AS t FROM status
       WHERE run_id = ? AND task_id BETWEEN ? AND ? ORDER BY task_id, timestamp, rowid`,
      runId,
      lo,
      hi,
    );
    return {
      task: rows.map((r) => r.task_id),
      state: rows.map((r) => r.task_status_name),
      t: rows.map((r) => r.t),
      apps: Object.fromEntries(ids.map((r) => [r.task_id, r.app])),
      total,
    };
  }

  /**
   * One task: its row, tries, state changes and resource samples.
   *
   * @param runId The run.
   * @param taskId The task.
   * @returns The details, or undefined.
   */
  task(runId: string, taskId: number): MonitoringRow | undefined {
    const task = this.#all(
      `SELECT task.*, ${this.#state} AS state, ${ms("task_time_invoked")} AS invoked,
              ${ms("task_time_returned")} AS returned
       FROM task WHERE run_id = ? AND task_id = ?`,
      runId,
      taskId,
    )[0];
    if (!task) return undefined;
    const tries = this.#all(
      `SELECT "try".*, ${ms("task_try_time_launched")} AS launched, ${
        ms("task_try_time_running")
      } AS running,
              ${ms("task_try_time_returned")} AS returned
       FROM "try" WHERE run_id = ? AND task_id = ? ORDER BY try_id`,
      runId,
      taskId,
    );
    const statuses = this.#all(
      `SELECT task_status_name AS state, try_id, ${ms("timestamp")} AS t FROM status
       WHERE run_id = ? AND task_id = ? ORDER BY timestamp, rowid`,
      runId,
      taskId,
    );
    const resources = this.#all(
      `SELECT try_id, ${ms("timestamp")} AS t, psutil_process_cpu_percent AS cpu,
              psutil_process_memory_resident AS rss, psutil_process_memory_virtual AS vms,
              psutil_process_time_user AS user, psutil_process_time_system AS system,
              psutil_process_disk_read AS read, psutil_process_disk_write AS write
       FROM resource WHERE run_id = ? AND task_id = ? ORDER BY timestamp`,
      runId,
      taskId,
    );
    return { task, tries, statuses, resources };
  }

  /**
   * Node (worker pool) and block history of a run.
   *
   * @param runId The run.
   * @returns `nodes` and `blocks` rows, oldest first.
   */
  infrastructure(runId: string): MonitoringRow {
    const nodes = this.#all(
      `SELECT *, ${ms("timestamp")} AS t, ${this.#nodeExecutor} AS executor FROM node
       WHERE run_id = ? ORDER BY timestamp, id`,
      runId,
    );
    const blocks = this.#all(
      `SELECT *, ${ms("timestamp")} AS t FROM block WHERE run_id = ? ORDER BY timestamp, rowid`,
      runId,
    );
    return { nodes, blocks };
  }

  /** Closes the connection. */
  close(): void {
    this.#db?.close();
    this.#db = undefined;
  }
}
