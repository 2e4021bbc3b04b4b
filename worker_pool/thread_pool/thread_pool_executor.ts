/**
 * `ThreadPoolExecutor`: runs apps in a pool of Web Workers inside the driver process. Each worker
 * imports the app's module by URL, exactly as a remote worker would, so a workflow that runs here
 * runs on a HighThroughputExecutor unchanged. Tasks and results travel as MessagePack, batched
 * when the queue is deep. A task over its walltime has its worker terminated and replaced.
 *
 * @module
 */
import { ExecutorError } from "../../dfk/errors.ts";
import type { Executor, ExecutorHost, ExecutorTask } from "../../dfk/executor.ts";
import { checkResourceSpecification } from "../../dfk/resource_specification.ts";
import { webWorkerUrl } from "../../cli/self_command.ts";
import { wallClockMs } from "../../dfk/clock.ts";
import { optionKeys } from "../../dfk/option_keys.ts";
import type { StagingProvider } from "../../dfk/staging/staging_provider.ts";
import { decodeOutcome, encodeTask } from "../../interchange/task_codec.ts";
import { PoolCore } from "../pool_core.ts";
import type { PoolTask, WorkerLink } from "../pool_links.ts";

/** Options of {@linkcode ThreadPoolExecutor}. */
export interface ThreadPoolExecutorOptions {
  /** Label. @default "threads" */
  label?: string;
  /** Web Workers in the pool. @default 2 */
  maxThreads?: number;
  /** Most tasks handed to one worker at once (when none has a walltime). @default 32 */
  batchSize?: number;
  /** Staging providers. @default file:// and in-task HTTP */
  storageAccess?: StagingProvider[];
}

/** A submitted task, as the pool core sees it (no priority: the ThreadPool runs them in order). */
interface Pending extends PoolTask {
  task: ExecutorTask;
  bytes: Uint8Array;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  /** When the worker started its body (the worker's clock), from its start message. */
  startedAt?: number;
}

/**
 * Runs tasks in Web Workers in this process.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { load, ThreadPoolExecutor } from "../../mod.ts";
 * import { add } from "../../examples/add.ts"; // export const add = app((x: number, y: number) => x + y)
 * const executors = [new ThreadPoolExecutor({ maxThreads: 4 })];
 * await using _dfk = await load({ executors, runDir: Deno.makeTempDirSync() });
 * assert.equal(await add(2, 3), 5);
 * ```
 */
export class ThreadPoolExecutor implements Executor {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = optionKeys<ThreadPoolExecutorOptions>()(
    "label",
    "maxThreads",
    "batchSize",
    "storageAccess",
  );
  /** Label. */
  readonly label: string;
  /** Staging providers. */
  readonly storageAccess?: StagingProvider[];
  #max: number;
  #batch: number;
  #core: PoolCore<Pending>;
  #host?: ExecutorHost;
  /** Workers being started by `start()`, which waits for each to be ready or to fail. */
  #starting: Promise<void>[] = [];
  #stopped = false;
  #broken?: string;
  #hostname = Deno.hostname();

  /**
   * Creates an instance with the given options.
   * @param opts Options.
   */
  constructor(opts: ThreadPoolExecutorOptions = {}) {
    this.label = opts.label ?? "threads";
    this.#max = Math.max(1, opts.maxThreads ?? 2);
    this.#batch = Math.max(1, opts.batchSize ?? 32);
    this.storageAccess = opts.storageAccess;
    this.#core = new PoolCore<Pending>({
      workers: this.#max,
      mode: "batch",
      depth: () => this.#batch,
      logger: { warn: (msg, data) => this.#host?.logger.warn(msg, data) },
      noun: "thread worker",
      hostname: this.#hostname,
      hooks: {
        spawn: (slot) => this.#spawn(slot),
        began: (p) => this.#running(p.task, "running", p.startedAt ?? wallClockMs()),
        failed: (p, error, began) => {
          if (began) this.#running(p.task, "running_ended", wallClockMs());
          p.reject(error);
        },
        // Workers that die before they are ready would be respawned forever: give up instead.
        giveUp: (why) => {
          this.#broken = why;
          const err = this.#brokenError();
          for (const p of this.#core.stop()) p.reject(err);
        },
      },
    });
  }

  /**
   * Starts the workers.
   * @param host The kernel's host interface.
   */
  async start(host: ExecutorHost): Promise<void> {
    this.#host = host;
    this.#core.start();
    await Promise.all(this.#starting);
    this.#starting = [];
  }

  #spawn(slot: number): WorkerLink<Pending> {
    const worker = new Worker(webWorkerUrl("thread-worker"), { type: "module" });
    const link: WorkerLink<Pending> = {
      send: (batch) => worker.postMessage(batch.map((p) => p.bytes)),
      // A terminated Web Worker sends no event: the pool hears of it here.
      kill: () => {
        worker.terminate();
        this.#core.lost(slot, link, "terminated by the pool");
      },
    };
    this.#starting.push(
      new Promise((resolve) => {
        worker.onmessage = (e) => {
          if (e.data === "ready") {
            resolve();
            this.#core.ready(slot);
            return;
          }
          // [index, time]: the worker started that task of the batch at that time (in order).
          if (typeof e.data[0] === "number") {
            const [index, time] = e.data as unknown as [number, number];
            const p = this.#core.tasksOf(slot)[index];
            if (p) p.startedAt = time;
            return this.#core.began(slot, index);
          }
          this.#onResults(slot, e.data as Uint8Array[]);
        };
        worker.onerror = (e) => {
          e.preventDefault();
          this.#host?.logger.error(`Thread worker ${slot} crashed: ${e.message}`);
          worker.terminate();
          this.#core.lost(slot, link, e.message);
          resolve();
        };
      }),
    );
    return link;
  }

  #brokenError(): ExecutorError {
    return new ExecutorError(
      this.label,
      `its Web Workers fail to start (${this.#broken}); check that tsflow's worker module loads`,
    );
  }

  #onResults(slot: number, outs: Uint8Array[]): void {
    // Outcomes come back in the order the batch was sent.
    const { done } = this.#core.completed(slot, this.#core.tasksOf(slot).length);
    done.forEach(({ task: p, began }, i) => {
      if (outs[i] === undefined) {
        if (began) this.#running(p.task, "running_ended", wallClockMs());
        return p.reject(new ExecutorError(this.label, "its thread worker sent no outcome"));
      }
      const out = decodeOutcome(outs[i]);
      // The worker's own end time (its start came with the start message).
      if (began) this.#running(p.task, "running_ended", out.ended ?? wallClockMs());
      if (out.ok) p.resolve(out.value);
      else p.reject(out.error);
    });
    this.#core.dispatch();
  }

  // Always reported: the kernel counts running tasks for the progress line, monitoring or not.
  #running(task: ExecutorTask, state: "running" | "running_ended", time: number): void {
    if (!this.#host) return;
    this.#host.emit({
      type: "try_running",
      runId: this.#host.runId,
      taskId: task.id,
      tryId: task.tryId,
      state,
      time,
      executor: this.label,
      hostname: this.#hostname,
    });
  }

  /**
   * Queues a task.
   * @param task The task.
   * @returns Its value.
   */
  submit(task: ExecutorTask): Promise<unknown> {
    if (this.#stopped) {
      return Promise.reject(new ExecutorError(this.label, "executor is shut down"));
    }
    if (this.#broken !== undefined) return Promise.reject(this.#brokenError());
    try {
      checkResourceSpecification(task.context.resourceSpecification, [], "ThreadPoolExecutor");
    } catch (e) {
      return Promise.reject(e);
    }
    const bytes = encodeTask(task);
    return new Promise((resolve, reject) => {
      this.#core.submit([{
        id: task.id,
        w: task.context.walltime ?? 0,
        kind: task.kind,
        n: task.context.appName,
        task,
        bytes,
        resolve,
        reject,
      }]);
    });
  }

  /** Terminates the workers; queued and running tasks fail. */
  shutdown(): Promise<void> {
    this.#stopped = true;
    const err = new ExecutorError(this.label, "executor shut down before the task finished");
    for (const p of this.#core.stop()) p.reject(err);
    for (const p of this.#core.takeHeld()) p.reject(err);
    this.#core.killAll();
    return Promise.resolve();
  }
}
