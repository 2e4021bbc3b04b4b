/**
 * `MonitoringHub`: the {@linkcode MonitoringSink} that turns the kernel's and executors' events
 * into rows of the monitoring database (Parsl's `MonitoringHub`). `record()` only appends to an
 * in-memory batch; a short timer hands each batch to the one writer, which runs on its own Web
 * Worker thread (SQLite's work stays off the driver's event loop) and writes it in one
 * transaction. Where no worker thread can start (a single-file bundle) it writes in-process.
 *
 * @module
 */
import { dirname, join, resolve } from "../dfk/_path.ts";
import { Logger } from "../dfk/logger.ts";
import { webWorkerUrl } from "../cli/self_command.ts";
import type { MonitoringEvent, MonitoringSink } from "../dfk/monitoring_event.ts";
import type { Batch } from "./_batch.ts";
import { BatchBuilder } from "./_batch_builder.ts";
import { WriterQueue, type WriterReport } from "./_writer_queue.ts";
import type { WriterCommand, WriterReply } from "./_writer_thread.ts";
import { optionKeys } from "../dfk/option_keys.ts";

/** Options of a {@linkcode MonitoringHub}. */
export interface MonitoringHubOptions {
  /** Whether to record anything. @default true */
  enabled?: boolean;
  /** The database file, shared by runs (relative paths resolve against the working directory). @default "runinfo/monitoring.db" */
  dbPath?: string;
  /** Whether workers sample each task's process. @default true */
  resourceMonitoringEnabled?: boolean;
  /** Seconds between resource samples. @default 30 */
  resourceMonitoringInterval?: number;
  /** Milliseconds between hand-overs to the writer. @default 200 */
  flushIntervalMs?: number;
  /** Write on a separate thread. @default true */
  writerThread?: boolean;
  /** Longest wait in `close()` for the last rows to be written, ms. @default 30000 */
  closeBoundMs?: number;
}

interface Backend {
  kind: "thread" | "inline";
  push(b: Batch): void;
  close(boundMs: number): Promise<{ written: number; lost: number }>;
}

const MAX_BATCH_EVENTS = 20_000;

/**
 * Records monitoring events into SQLite.
 *
 * @example Monitor a run
 * ```ts
 * import assert from "node:assert/strict";
 * import { load, MonitoringHub, ThreadPoolExecutor } from "../mod.ts";
 * import { add } from "../examples/add.ts";
 * const dir = Deno.makeTempDirSync();
 * const dbPath = `${dir}/monitoring.db`;
 * {
 *   await using _dfk = await load({
 *     executors: [new ThreadPoolExecutor()],
 *     monitoring: new MonitoringHub({ dbPath, resourceMonitoringInterval: 5 }),
 *     runDir: dir,
 *   });
 *   assert.equal(await add(1, 1), 2);
 * }
 * assert.ok(Deno.statSync(dbPath).size > 0);
 * ```
 *
 * @example Feed events directly
 * ```ts
 * import { MonitoringHub } from "./monitoring_hub.ts";
 * const dir = Deno.makeTempDirSync();
 * const hub = new MonitoringHub({ dbPath: `${dir}/m.db` });
 * await hub.start(dir);
 * hub.record({ type: "workflow_end", runId: "r", timeCompleted: Date.now(), tasksCompletedCount: 0, tasksFailedCount: 0 });
 * await hub.close();
 * ```
 */
export class MonitoringHub implements MonitoringSink {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = optionKeys<MonitoringHubOptions>()(
    "enabled",
    "dbPath",
    "resourceMonitoringEnabled",
    "resourceMonitoringInterval",
    "flushIntervalMs",
    "writerThread",
    "closeBoundMs",
  );
  /** Whether events are recorded. */
  readonly enabled: boolean;
  /** Absolute path of the database. */
  readonly dbPath: string;
  /** Seconds between resource samples, or undefined when sampling is off. */
  readonly resourceMonitoringInterval?: number;
  readonly #flushMs: number;
  readonly #thread: boolean;
  readonly #closeBound: number;
  #backend?: Backend;
  #batch = new BatchBuilder();
  #timer?: ReturnType<typeof setTimeout>;
  #log: Logger = new Logger("monitoring");
  #recorded = 0;

  /**
   * Makes a hub; nothing is opened until `start()`.
   *
   * @param opts Options (Parsl's names, camel-cased).
   */
  constructor(opts: MonitoringHubOptions = {}) {
    this.enabled = opts.enabled ?? true;
    this.dbPath = resolve(opts.dbPath ?? "runinfo/monitoring.db");
    const interval = opts.resourceMonitoringInterval ?? 30;
    if (this.enabled && (opts.resourceMonitoringEnabled ?? true) && interval > 0) {
      this.resourceMonitoringInterval = interval;
    }
    this.#flushMs = opts.flushIntervalMs ?? 200;
    this.#thread = opts.writerThread ?? true;
    this.#closeBound = opts.closeBoundMs ?? 30_000;
  }

  /** Where rows are written: on the writer thread, in-process, or nowhere (not started). */
  get writer(): "thread" | "inline" | "closed" {
    return this.#backend?.kind ?? "closed";
  }

  /**
   * Opens the database (creating or migrating it) and starts the flush timer.
   *
   * @param runDir The run directory; the hub logs to `monitoring.log` there.
   */
  async start(runDir: string): Promise<void> {
    if (!this.enabled || this.#backend) return;
    this.#log = new Logger("monitoring", join(runDir, "monitoring.log"));
    Deno.mkdirSync(dirname(this.dbPath), { recursive: true });
    const opts = { resourceMonitoringInterval: this.resourceMonitoringInterval };
    const report = (r: WriterReport) => this.#onReport(r);
    try {
      this.#backend = (this.#thread ? await this.#startThread(opts, report) : undefined) ??
        inlineBackend(new WriterQueue(this.dbPath, opts, report));
    } catch (e) {
      this.#log.error(`Cannot open monitoring database ${this.dbPath}: ${e}`);
      await this.#log.close();
      throw e;
    }
    const timer = setInterval(() => this.#flush(), this.#flushMs);
    Deno.unrefTimer(timer);
    this.#timer = timer;
    this.#log.info(`Monitoring to ${this.dbPath}`, { writer: this.writer });
  }

  /**
   * Buffers one event; never blocks.
   *
   * @param e The event.
   */
  record(e: MonitoringEvent): void {
    if (!this.#backend) return;
    this.#recorded++;
    this.#batch.record(e);
    if (this.#batch.size >= MAX_BATCH_EVENTS) this.#flush();
  }

  /** Writes everything buffered, stops the writer and closes the database. */
  async close(): Promise<void> {
    const backend = this.#backend;
    if (!backend) return;
    clearInterval(this.#timer);
    this.#flush();
    this.#backend = undefined;
    const { written, lost } = await backend.close(this.#closeBound);
    const msg = `Monitoring closed: ${this.#recorded} events recorded, ${written} written`;
    if (lost) this.#log.error(`${msg}, ${lost} lost to locks held past ${this.#closeBound} ms`);
    else this.#log.info(msg);
    this.#recorded = 0;
    await this.#log.close();
  }

  #flush(): void {
    if (!this.#backend || this.#batch.size === 0) return;
    this.#backend.push(this.#batch.take());
  }

  #onReport(r: WriterReport): void {
    if (r.dropped) {
      this.#log.error(`Monitoring dropped ${r.dropped.events} events: ${r.dropped.error}`);
    }
    if (r.busy && (r.busy.attempt === 1 || r.busy.attempt % 20 === 0)) {
      this.#log.warn(`Database locked by another connection, retrying (attempt ${r.busy.attempt})`);
    }
  }

  async #startThread(
    opts: { resourceMonitoringInterval?: number },
    report: (r: WriterReport) => void,
  ): Promise<Backend | undefined> {
    let worker: Worker;
    try {
      // webWorkerUrl knows where the writer's module is (source, compiled binary or bundle).
      worker = new Worker(webWorkerUrl("monitoring-writer"), { type: "module" });
    } catch (e) {
      this.#log.warn(`No writer thread (${e}); writing in-process`);
      return undefined;
    }
    let onClosed: ((r: { written: number; lost: number }) => void) | undefined;
    const opened = new Promise<string | undefined>((res) => {
      const timer = setTimeout(() => res("the writer thread did not start in 15 s"), 15_000);
      worker.onerror = (ev) => {
        ev.preventDefault();
        clearTimeout(timer);
        res(ev.message ?? "worker error");
      };
      worker.onmessage = (ev: MessageEvent<WriterReply>) => {
        const m = ev.data;
        if (m.k === "opened") {
          clearTimeout(timer);
          res(undefined);
        } else if (m.k === "open_failed") {
          clearTimeout(timer);
          res(m.error);
        } else if (m.k === "report") report(m.report);
        else if (m.k === "closed") onClosed?.(m);
      };
    });
    const send = (c: WriterCommand) => worker.postMessage(c);
    send({ k: "open", path: this.dbPath, opts });
    const failed = await opened;
    if (failed !== undefined) {
      worker.terminate();
      if (/schema version|SQLITE|database/i.test(failed)) throw new Error(failed);
      this.#log.warn(`No writer thread (${failed}); writing in-process`);
      return undefined;
    }
    return {
      kind: "thread",
      push: (batch) => {
        // A typed array crosses by memcpy; a plain array of numbers is cloned value by value.
        const status = batch.status as Float64Array<ArrayBuffer>;
        worker.postMessage({ k: "batch", batch } satisfies WriterCommand, [
          status.buffer,
          batch.packedTasks!.nums.buffer,
          batch.packedTasks!.places.buffer,
          batch.packedTasks!.resources.buffer,
        ]);
      },
      close: async (boundMs) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const closed = new Promise<{ written: number; lost: number }>((res) => {
          onClosed = res;
          timer = setTimeout(() => res({ written: 0, lost: -1 }), boundMs + 5_000);
        });
        send({ k: "close", boundMs });
        const r = await closed;
        clearTimeout(timer);
        worker.terminate();
        return r;
      },
    };
  }
}

function inlineBackend(q: WriterQueue): Backend {
  return {
    kind: "inline",
    push: (b) => q.push(b),
    close: async (boundMs) => {
      const lost = await q.close(boundMs);
      return { written: q.written, lost };
    },
  };
}
