/**
 * `ThreadPoolExecutor`: runs apps in a pool of Web Workers inside the driver process. Each worker
 * imports the app's module by URL, exactly as a remote worker would, so a workflow that runs here
 * runs on a HighThroughputExecutor unchanged. Tasks and results travel as MessagePack, batched
 * when the queue is deep. A task over its walltime has its worker terminated and replaced.
 *
 * @module
 */
import { AppTimeout, ExecutorError, WorkerLost } from "../../dfk/errors.ts";
import type { Executor, ExecutorHost, ExecutorTask } from "../../dfk/executor.ts";
import { checkResourceSpecification } from "../../dfk/resource_specification.ts";
import { webWorkerUrl } from "../../dfk/self_command.ts";
import type { StagingProvider } from "../../dfk/staging/staging_provider.ts";
import { decodeOutcome, encodeTask } from "../../interchange/task_codec.ts";

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

/** Seconds after a bash task's walltime before the pool stops its worker, if the worker has not. */
const BASH_KILL_GRACE_S = 2;

/** Workers in a row that die before they are ready, after which the pool gives up. */
const MAX_FAILED_STARTS = 5;

interface Pending {
  task: ExecutorTask;
  bytes: Uint8Array;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  id: number;
  worker: Worker;
  inflight: Pending[];
  timer?: ReturnType<typeof setTimeout>;
  ready: boolean;
  /** Tasks of `inflight` before this index have started (reported running). */
  begun: number;
}

/**
 * Runs tasks in Web Workers in this process.
 *
 * @example
 * ```ts ignore
 * import { load, ThreadPoolExecutor } from "tsflow";
 * await using dfk = await load({ executors: [new ThreadPoolExecutor({ maxThreads: 4 })] });
 * ```
 */
export class ThreadPoolExecutor implements Executor {
  /** Label. */
  readonly label: string;
  /** Staging providers. */
  readonly storageAccess?: StagingProvider[];
  #max: number;
  #batch: number;
  #slots: Slot[] = [];
  #queue: Pending[] = [];
  #host?: ExecutorHost;
  #nextWorker = 0;
  #stopped = false;
  #failedStarts = 0;
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
  }

  /**
   * Starts the workers.
   * @param host The kernel's host interface.
   */
  async start(host: ExecutorHost): Promise<void> {
    this.#host = host;
    await Promise.all(Array.from({ length: this.#max }, () => this.#spawn()));
  }

  #spawn(): Promise<void> {
    const worker = new Worker(webWorkerUrl("thread-worker"), { type: "module" });
    const slot: Slot = { id: this.#nextWorker++, worker, inflight: [], ready: false, begun: 0 };
    this.#slots.push(slot);
    return new Promise((resolve) => {
      worker.onmessage = (e) => {
        if (e.data === "ready") {
          slot.ready = true;
          resolve();
          this.#dispatch();
          return;
        }
        // A number: the worker started that task of the batch (it runs them in order).
        if (typeof e.data === "number") return this.#started(slot, e.data);
        this.#onResults(slot, e.data as Uint8Array[]);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        this.#host?.logger.error(`Thread worker ${slot.id} crashed: ${e.message}`);
        // Workers that die before they are ready would be respawned forever: give up instead.
        this.#failedStarts = slot.ready ? 0 : this.#failedStarts + 1;
        if (this.#failedStarts >= MAX_FAILED_STARTS) this.#broken = e.message;
        this.#replace(slot, () => new WorkerLost(slot.id, this.#hostname, e.message));
        resolve();
      };
    });
  }

  /** A task's body started: it is running now (the kernel counts it), and its walltime runs. */
  #started(slot: Slot, index: number): void {
    const p = slot.inflight[index];
    if (!p || index < slot.begun) return;
    slot.begun = index + 1;
    this.#running(p.task, true);
    this.#armWalltime(slot, p);
  }

  /**
   * Arms the walltime of the slot's task once its body starts (module import and argument
   * decoding do not count, as in Parsl). A bash command is killed with its process group by the
   * worker at its walltime; the pool's own timer is only the backstop, a little later.
   */
  #armWalltime(slot: Slot, p: Pending): void {
    const wall = p.task.context.walltime;
    if (wall === undefined) return;
    const grace = p.task.kind === "bash" ? BASH_KILL_GRACE_S : 0;
    slot.timer = setTimeout(() => {
      this.#host?.logger.warn(
        `Task ${p.task.id} exceeded walltime ${wall} s: replacing thread worker ${slot.id}`,
      );
      this.#replace(slot, (q) => new AppTimeout(q.task.context.appName, wall));
    }, (wall + grace) * 1000);
  }

  #replace(slot: Slot, errorFor: (p: Pending) => Error): void {
    clearTimeout(slot.timer);
    slot.worker.terminate();
    this.#slots = this.#slots.filter((s) => s !== slot);
    slot.inflight.forEach((p, i) => {
      if (i < slot.begun) this.#running(p.task, false);
      p.reject(errorFor(p));
    });
    slot.inflight = [];
    slot.begun = 0;
    if (this.#broken !== undefined) return this.#failQueued();
    if (!this.#stopped) this.#spawn();
  }

  #failQueued(): void {
    const err = this.#brokenError();
    for (const p of this.#queue) p.reject(err);
    this.#queue = [];
  }

  #brokenError(): ExecutorError {
    return new ExecutorError(
      this.label,
      `its Web Workers fail to start (${this.#broken}); check that tsflow's worker module loads`,
    );
  }

  #onResults(slot: Slot, outs: Uint8Array[]): void {
    // Outcomes come back in the order the batch was sent.
    const batch = slot.inflight;
    const begun = slot.begun;
    slot.inflight = [];
    slot.begun = 0;
    clearTimeout(slot.timer);
    outs.forEach((bytes, i) => {
      const p = batch[i];
      if (!p) return;
      if (i < begun) this.#running(p.task, false);
      const out = decodeOutcome(bytes);
      if (out.ok) p.resolve(out.value);
      else p.reject(out.error);
    });
    this.#dispatch();
  }

  // Always reported: the kernel counts running tasks for the progress line, monitoring or not.
  #running(task: ExecutorTask, on: boolean): void {
    if (!this.#host) return;
    this.#host.emit({
      type: "try_running",
      runId: this.#host.runId,
      taskId: task.id,
      tryId: task.tryId,
      state: on ? "running" : "running_ended",
      time: Date.now(),
      executor: this.label,
      hostname: this.#hostname,
    });
  }

  #dispatch(): void {
    if (this.#queue.length === 0) return;
    for (const slot of this.#slots) {
      if (!slot.ready || slot.inflight.length > 0) continue;
      const batch: Pending[] = [];
      while (this.#queue.length && batch.length < this.#batch) {
        const next = this.#queue[0];
        if (next.task.context.walltime !== undefined && batch.length > 0) break;
        batch.push(this.#queue.shift()!);
        if (next.task.context.walltime !== undefined) break;
      }
      if (batch.length === 0) break;
      slot.inflight = batch;
      slot.worker.postMessage(batch.map((p) => p.bytes));
      if (this.#queue.length === 0) return;
    }
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
      this.#queue.push({ task, bytes, resolve, reject });
      this.#dispatch();
    });
  }

  /** Terminates the workers; queued and running tasks fail. */
  shutdown(): Promise<void> {
    this.#stopped = true;
    const err = new ExecutorError(this.label, "executor shut down before the task finished");
    for (const p of this.#queue) p.reject(err);
    this.#queue = [];
    for (const slot of this.#slots) {
      clearTimeout(slot.timer);
      slot.worker.terminate();
      for (const p of slot.inflight) p.reject(err);
    }
    this.#slots = [];
    return Promise.resolve();
  }
}
