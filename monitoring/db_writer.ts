/**
 * The one writer of a monitoring database: opens it in WAL mode (readers never block it and it
 * never blocks them), creates or migrates the schema, and writes each {@linkcode Batch} in one
 * transaction. Synchronous by design: it runs on the hub's writer thread (or, where no thread can
 * be started, on the caller's).
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { Batch } from "./_batch.ts";
import { ChunkedInsert } from "./_chunked_insert.ts";
import { HeldTasks, type TaskAcc } from "./_held_tasks.ts";
import { FINAL_STATES } from "../dfk/states.ts";
import { dbTime, ensureSchema } from "./schema.ts";

/** Options of a {@linkcode DbWriter}. */
export interface DbWriterOptions {
  /** Milliseconds SQLite waits for a lock before a write fails as busy. @default 5000 */
  busyTimeoutMs?: number;
  /** Sampling interval in seconds, stored with each resource row. */
  resourceMonitoringInterval?: number;
}

const FINAL_SQL = `(${[...FINAL_STATES].map((st) => `'${st}'`).join(", ")})`;

/**
 * Whether an error is SQLite's "another connection holds the lock" (worth retrying).
 *
 * @param e A thrown value.
 * @returns True for SQLITE_BUSY / SQLITE_LOCKED.
 *
 * @example
 * ```ts
 * import { isBusy } from "./db_writer.ts";
 * import assert from "node:assert/strict";
 * assert(isBusy(new Error("database is locked")));
 * ```
 */
export function isBusy(e: unknown): boolean {
  return /SQLITE_BUSY|SQLITE_LOCKED|database is locked|database table is locked/i.test(String(e));
}

const time = dbTime;
const t = (ms: number | undefined): string | null => ms === undefined ? null : time(ms);
const s = (v: string | undefined): string | null => v === undefined || v === "" ? null : v;

/**
 * Writes monitoring batches into one SQLite file.
 *
 * @example Write a workflow row
 * ```ts
 * import { DbWriter } from "./db_writer.ts";
 * import { emptyBatch } from "./_batch.ts";
 * const path = Deno.makeTempFileSync({ suffix: ".db" });
 * const w = new DbWriter(path);
 * const b = emptyBatch();
 * b.workflows.push({ type: "workflow_end", runId: "r", timeCompleted: 0, tasksCompletedCount: 0, tasksFailedCount: 0 });
 * w.write(b);
 * w.close();
 * ```
 */
export class DbWriter {
  readonly #db: DatabaseSync;
  readonly #interval: number | null;
  readonly #q: Record<string, StatementSync>;
  readonly #status: ChunkedInsert;
  readonly #task: ChunkedInsert;
  readonly #try: ChunkedInsert;
  readonly #resource: ChunkedInsert;
  /** Tasks whose rows are not written yet. */
  readonly #held = new HeldTasks();

  /**
   * Opens (creating or migrating) the database.
   *
   * @param path Database file.
   * @param opts Options.
   */
  constructor(path: string, opts: DbWriterOptions = {}) {
    this.#db = new DatabaseSync(path);
    this.#interval = opts.resourceMonitoringInterval ?? null;
    const db = this.#db;
    db.exec(`PRAGMA busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    db.exec("PRAGMA journal_mode = WAL");
    // WAL with synchronous=NORMAL is durable across process crashes, loses at most the last
    // commits on power loss; monitoring data is not worth an fsync per batch.
    db.exec("PRAGMA synchronous = NORMAL");
    // Checkpoint (copy WAL pages into the main file) rarely while a run writes; close() does the rest.
    db.exec("PRAGMA wal_autocheckpoint = 20000");
    ensureSchema(db);
    this.#status = new ChunkedInsert(
      db,
      "INSERT INTO status (task_id, task_status_name, timestamp, run_id, try_id)",
      5,
    );
    this.#task = new ChunkedInsert(
      db,
      "INSERT INTO task (task_id, run_id, task_depends, task_func_name, task_memoize, task_hashsum, task_inputs, task_outputs, task_stdout, task_stderr, task_time_invoked, task_time_returned, task_fail_count, task_fail_cost, tsflow_task_state, tsflow_task_executor, tsflow_task_joins)",
      17,
      `ON CONFLICT(task_id, run_id) DO UPDATE SET
           task_func_name = excluded.task_func_name, task_memoize = excluded.task_memoize,
           task_depends = excluded.task_depends, task_hashsum = excluded.task_hashsum,
           task_inputs = excluded.task_inputs, task_outputs = excluded.task_outputs,
           task_stdout = excluded.task_stdout, task_stderr = excluded.task_stderr,
           task_time_returned = COALESCE(excluded.task_time_returned, task.task_time_returned),
           task_fail_count = excluded.task_fail_count, task_fail_cost = excluded.task_fail_cost,
           tsflow_task_state = CASE WHEN task.tsflow_task_state IN ${FINAL_SQL} AND excluded.tsflow_task_state NOT IN ${FINAL_SQL}
             THEN task.tsflow_task_state ELSE excluded.tsflow_task_state END,
           tsflow_task_executor = excluded.tsflow_task_executor, tsflow_task_joins = excluded.tsflow_task_joins`,
    );
    // One or more rows per task (its worker's final sample, the pool's first one): chunked.
    this.#resource = new ChunkedInsert(
      db,
      "INSERT INTO resource (try_id, task_id, run_id, timestamp, resource_monitoring_interval, psutil_process_pid, psutil_process_cpu_percent, psutil_process_memory_percent, psutil_process_children_count, psutil_process_time_user, psutil_process_time_system, psutil_process_memory_virtual, psutil_process_memory_resident, psutil_process_disk_read, psutil_process_disk_write, psutil_process_status, psutil_cpu_num, psutil_process_num_ctx_switches_voluntary, psutil_process_num_ctx_switches_involuntary, tsflow_resource_host)",
      20,
    );
    this.#try = new ChunkedInsert(
      db,
      `INSERT INTO "try" (try_id, task_id, run_id, block_id, hostname, task_executor, task_try_time_launched, task_try_time_running, task_try_time_returned, task_fail_history, task_joins, worker_id)`,
      12,
      `ON CONFLICT(try_id, task_id, run_id) DO UPDATE SET
           block_id = COALESCE(excluded.block_id, "try".block_id),
           hostname = COALESCE(excluded.hostname, "try".hostname),
           task_executor = COALESCE(excluded.task_executor, "try".task_executor),
           task_try_time_launched = COALESCE(excluded.task_try_time_launched, "try".task_try_time_launched),
           task_try_time_running = COALESCE(excluded.task_try_time_running, "try".task_try_time_running),
           task_try_time_returned = COALESCE(excluded.task_try_time_returned, "try".task_try_time_returned),
           task_fail_history = COALESCE(excluded.task_fail_history, "try".task_fail_history),
           task_joins = COALESCE(excluded.task_joins, "try".task_joins),
           worker_id = COALESCE(excluded.worker_id, "try".worker_id)`,
    );
    this.#q = {
      wfStart: db.prepare(
        `INSERT INTO workflow (run_id, workflow_name, workflow_version, time_began, host, "user", rundir, tasks_failed_count, tasks_completed_count, tsflow_version, deno_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)
         ON CONFLICT(run_id) DO UPDATE SET time_began = excluded.time_began`,
      ),
      wfEnd: db.prepare(
        `UPDATE workflow SET time_completed = ?, tasks_completed_count = ?, tasks_failed_count = ? WHERE run_id = ?`,
      ),
      taskState: db.prepare(
        `UPDATE task SET tsflow_task_state = ? WHERE task_id = ? AND run_id = ?
           AND (tsflow_task_state IS NULL OR tsflow_task_state NOT IN ${FINAL_SQL})`,
      ),
      node: db.prepare(
        `INSERT INTO node (run_id, hostname, uid, block_id, cpu_count, total_memory, active, worker_count, python_v, timestamp, last_heartbeat, tsflow_node_executor, tsflow_node_deno_version, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      block: db.prepare(
        `INSERT INTO block (run_id, executor_label, block_id, job_id, timestamp, status) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  /**
   * Writes one batch in one transaction; on any error nothing of it is written and the error
   * is thrown (the caller keeps the batch and tries again).
   *
   * @param b The batch.
   */
  write(b: Batch): void {
    this.#transaction(() => this.#writeAll(b));
  }

  /** Tasks whose rows are held back (see `_held_tasks.ts`); `writeHeld` writes them. */
  get held(): number {
    return this.#held.size;
  }

  /** Writes every held-back row now (a quiet spell, or closing). */
  writeHeld(): void {
    if (this.held > 0) this.#transaction(() => this.#writeDue(Infinity));
  }

  #transaction(body: () => void): void {
    const db = this.#db;
    db.exec("BEGIN IMMEDIATE");
    try {
      body();
      db.exec("COMMIT");
      this.#held.committed();
    } catch (e) {
      for (const c of [this.#status, this.#task, this.#try, this.#resource]) c.clear();
      // After a lock the batch is merged again and the held rows retried; any other error
      // drops them with the batch (the caller reports the error).
      this.#held.rolledBack(isBusy(e));
      try {
        db.exec("ROLLBACK");
      } catch { /* the failed statement may have rolled back already */ }
      throw e;
    }
  }

  #writeAll(b: Batch): void {
    const q = this.#q;
    for (const w of b.workflows) {
      if (w.type === "workflow_start") {
        q.wfStart.run(
          w.runId,
          w.workflowName,
          w.workflowVersion,
          dbTime(w.timeBegan),
          w.hostname,
          w.user,
          w.runDir,
          w.tsflowVersion,
          w.denoVersion,
        );
      }
    }
    this.#held.merge(b, (run, task, tryId, state, ms) => {
      this.#status.add(task, state, time(ms), run, tryId);
    });
    this.#status.finish();
    this.#writeDue(Date.now());
    for (const r of b.resources) {
      this.#resource.add(
        r.tryId,
        r.taskId,
        r.runId,
        dbTime(r.time),
        this.#interval,
        r.pid,
        r.cpuPercent,
        r.memoryPercent ?? null,
        r.childrenCount ?? null,
        r.cpuUser,
        r.cpuSystem,
        r.memoryVms,
        r.memoryRss,
        r.readBytes,
        r.writeBytes,
        r.processStatus ?? null,
        r.cpuNum === undefined ? null : String(r.cpuNum), // TEXT in Parsl; "3", not "3.0"
        r.ctxSwitchesVoluntary ?? null,
        r.ctxSwitchesInvoluntary ?? null,
        r.hostname ?? null,
      );
    }
    this.#resource.finish();
    for (const n of b.nodes) {
      const time = dbTime(n.time);
      q.node.run(
        n.runId,
        n.hostname,
        n.managerId,
        n.blockId,
        n.cpuCount,
        n.totalMemory,
        n.active ? 1 : 0,
        n.workerCount,
        n.denoVersion ?? "",
        time,
        time,
        n.executor,
        n.denoVersion ?? null,
        n.reason ?? null,
      );
    }
    for (const k of b.blocks) {
      q.block.run(k.runId, k.executor, k.blockId, k.jobId ?? null, dbTime(k.time), k.status);
    }
    for (const w of b.workflows) {
      if (w.type === "workflow_end") {
        q.wfEnd.run(
          dbTime(w.timeCompleted),
          w.tasksCompletedCount,
          w.tasksFailedCount,
          w.runId,
        );
      }
    }
  }

  /** Writes the task and try rows that are due (all of them when `now` is Infinity). */
  #writeDue(now: number): void {
    this.#held.takeDue(now, (run, task, a) => this.#writeTask(run, task, a));
    this.#task.finish();
    this.#try.finish();
  }

  #writeTask(run: string, task: number, a: TaskAcc): void {
    const q = this.#q, e = a.event;
    if (e) {
      this.#task.add(
        task,
        run,
        e.dependsOn.join(","), // Parsl: "" without dependencies
        e.appName,
        e.memoize ? "1" : "0", // what Parsl stored (a bool in a TEXT column)
        s(e.hashsum),
        e.inputs,
        e.outputs,
        e.stdout ?? "", // Parsl stores "" for a stream not given
        e.stderr ?? "",
        time(e.timeInvoked),
        t(e.timeReturned),
        e.failCount,
        e.failCost,
        a.state ?? e.state,
        s(e.executor),
        e.joins.length ? e.joins.join(",") : null,
      );
    } else if (a.state) {
      // Only a worker's report arrived for this task: update its state alone.
      q.taskState.run(a.state, task, run);
    }
    a.tries.forEach((tr, tryId) => {
      this.#try.add(
        tryId,
        task,
        run,
        tr.blockId ?? null,
        tr.hostname ?? null,
        tr.executor ?? s(e?.executor) ?? "",
        t(tr.launched),
        t(tr.running),
        t(tr.returned),
        // Parsl: each try holds its own failure ("" when it did not fail); each failed try
        // added one entry to the task's history.
        e ? (e.failHistory[tryId] ?? "") : null,
        e?.joins.length ? e.joins.join(",") : null,
        tr.workerId ?? null,
      );
    });
  }

  /** Writes held rows, checkpoints the WAL into the main file and closes the database. */
  close(): void {
    try {
      this.writeHeld();
    } finally {
      try {
        this.#db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch { /* a reader holds the WAL: SQLite checkpoints later */ }
      this.#db.close();
    }
  }
}
