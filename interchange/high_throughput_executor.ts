/**
 * The HighThroughputExecutor (driver side): spawns the interchange (this program in
 * `interchange` mode, talking over its stdin/stdout), starts the initial blocks of worker pools
 * through its provider at once, sends tasks as frames and settles each task's promise when its
 * result comes back (what each message from the interchange does: `htex_inbox.ts`). If the interchange dies, every outstanding task fails with
 * `ExecutorError` at once (its exit is noticed) or within `heartbeatThreshold` (if it hangs).
 *
 * Executor state: `new` → `starting` → `running` → `stopped` (or `failed`).
 *
 * @module
 */
import { ExecutorError } from "../dfk/errors.ts";
import { checkResourceSpecification } from "../dfk/resource_specification.ts";
import type { Executor, ExecutorHost, ExecutorTask, TaskSink } from "../dfk/executor.ts";
import type { ManagerSummary, ScalableExecutor } from "../dfk/scaling/scalable_executor.ts";
import type { StagingProvider } from "../dfk/staging/staging_provider.ts";
import type { ExecutionProvider, JobStatus } from "../providers/execution_provider.ts";
import { makeRunCertificate, makeSecret, type TlsFiles, writeSecretFile } from "./auth.ts";
import { InterchangeHandle } from "./interchange_handle.ts";
import { HtexTries, launchAsPromise } from "./htex_tries.ts";
import { oversizeError } from "./oversize.ts";
import { BlockTable } from "./htex_blocks.ts";
import { interchangeAddresses, loopbackOnly } from "./interchange_addresses.ts";
import { freePort } from "./free_port.ts";
import { htexInbox } from "./htex_inbox.ts";
import { poolCommand, poolCommandLine, type PoolTarget } from "./pool_command.ts";
import { PoolTable } from "./pool_table.ts";
import {
  adoptMonitoring,
  type HighThroughputExecutorOptions,
  HTEX_OPTION_KEYS,
  type ResolvedHtexOptions,
  resolveHtexOptions,
  workersPerNode,
} from "./htex_options.ts";
import { interchangeArgs } from "./process_args.ts";
import type { ExecutorToInterchange } from "./protocol.ts";

/**
 * Runs tasks on worker pools through an interchange.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HighThroughputExecutor } from "./high_throughput_executor.ts";
 * import { LocalProvider } from "../providers/local_provider.ts";
 * // Configuring only: `load({ executors: [htex] })` starts the interchange and a pool of worker
 * // processes (tests/e2e/ runs them).
 * const htex = new HighThroughputExecutor({ label: "htex_local", provider: new LocalProvider() });
 * assert.equal(htex.label, "htex_local");
 * ```
 */
export class HighThroughputExecutor implements Executor, ScalableExecutor {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = HTEX_OPTION_KEYS;
  /**
   * Options after defaults. Internal, not public API.
   * @ignore
   */
  readonly options: ResolvedHtexOptions;
  #state: "new" | "starting" | "running" | "stopped" | "failed" = "new";
  #host?: ExecutorHost;
  #ic?: InterchangeHandle;
  #tries = new HtexTries((msg) => this.#host?.logger.error(msg));
  #dir = "";
  #secretFile = "";
  #tls?: TlsFiles;
  #timer?: ReturnType<typeof setInterval>;
  #blocks?: BlockTable;
  #pools: PoolTable;
  #failure?: string;
  #given: HighThroughputExecutorOptions;
  #addresses?: string[];
  /** The worker port, known before the interchange listens (given, or picked by us). */
  #earlyPort?: number;

  /**
   * Creates the executor; nothing starts until {@linkcode HighThroughputExecutor.start}.
   * @param options Executor options (Parsl's names).
   */
  constructor(options: HighThroughputExecutorOptions = {}) {
    this.#given = options;
    this.options = resolveHtexOptions(options);
    this.#pools = new PoolTable(this.options.label);
  }

  /** Label. */
  get label(): string {
    return this.options.label;
  }

  /** Staging providers (`storageAccess`); unset: file:// and in-task HTTP, as the kernel's default. */
  get storageAccess(): StagingProvider[] | undefined {
    return this.options.storageAccess;
  }

  /** The provider (ScalableExecutor): the one given, else a `LocalProvider()`, as in Parsl. */
  get provider(): ExecutionProvider {
    return this.options.provider;
  }

  /** Port pools connect to (after start). */
  get workerPort(): number {
    return this.#ic?.port ?? this.#earlyPort ?? 0;
  }

  /** Where pools reach the interchange, `HOST:PORT` (after start; the first address pools try). */
  get interchangeAddress(): string {
    return `${this.addresses[0]}:${this.workerPort}`;
  }

  /**
   * The addresses pools are handed: `address` if set, else every address of this host
   * (loopback only for a `LocalProvider`).
   */
  get addresses(): string[] {
    return this.#addresses ??= interchangeAddresses(this.options.address, this.options.provider);
  }

  /**
   * Starts the interchange and the initial blocks.
   * @param host The kernel's services.
   */
  async start(host: ExecutorHost): Promise<void> {
    if (this.#state !== "new") throw new ExecutorError(this.label, "already started");
    this.#state = "starting";
    this.#host = host;
    adoptMonitoring(this.options, this.#given, host);
    const o = this.options;
    this.#dir = `${host.runDir}/${o.label}`;
    Deno.mkdirSync(this.#dir, { recursive: true });
    this.#secretFile = `${this.#dir}/secret`;
    writeSecretFile(this.#secretFile, makeSecret());
    if (o.encrypted) {
      this.#tls = await makeRunCertificate(this.#dir, [
        ...this.addresses,
        "127.0.0.1",
        "localhost",
        Deno.hostname(),
      ]);
    }
    o.provider.scriptDir ??= `${host.runDir}/submit_scripts`;
    o.provider.logger ??= host.logger;
    // When the port is known before the interchange listens (given, or picked here), the first
    // blocks start while it starts: a pool's own start-up overlaps the interchange's, and the
    // pool retries a refused connection until the interchange answers.
    const reserved = !o.workerPort && !o.workerPortRange;
    if (reserved) {
      this.#earlyPort = freePort(loopbackOnly(this.addresses) ? "127.0.0.1" : "0.0.0.0");
    } else if (o.workerPort) this.#earlyPort = o.workerPort;
    let blocks = this.#earlyPort ? this.#initialBlocks() : undefined;
    try {
      try {
        this.#ic = await this.#spawnInterchange(this.#earlyPort ?? o.workerPort);
      } catch (e) {
        // Another process took the picked port first: start again the ordinary way.
        if (!reserved || !/in use/i.test((e as Error).message)) throw e;
        host.logger.warn(`Picked worker port ${this.#earlyPort} was taken; retrying`);
        await blocks;
        await this.#blockTable().cancel([...this.#blockTable().blocks.keys()]);
        this.#earlyPort = undefined;
        blocks = undefined;
        this.#ic = await this.#spawnInterchange(0);
      }
    } catch (e) {
      await blocks;
      await this.shutdown();
      throw new ExecutorError(this.label, (e as Error).message);
    }
    const ic = this.#ic;
    this.#tries.open({
      send: (m) => ic.send(m as ExecutorToInterchange),
      get backlog() {
        return ic.backlog;
      },
      flushed: () => ic.flushed(),
    });
    this.#state = "running";
    this.#timer = setInterval(() => this.#heartbeat(), o.heartbeatPeriod * 1000);
    host.logger.info(
      `HighThroughputExecutor "${o.label}" interchange on port ${this.workerPort}, pools try ` +
        `${this.addresses.join(", ")}; start pools by hand with: ` +
        this.workerCommandLine("manual"),
    );
    await (blocks ?? this.#initialBlocks());
  }

  /** Submits the provider's `initBlocks`. */
  async #initialBlocks(): Promise<void> {
    const init = this.options.provider.options.initBlocks ?? 0;
    if (init > 0) await this.scaleOut(init);
  }

  /** Spawns the interchange listening on `port` (0: it picks one). */
  #spawnInterchange(port: number): Promise<InterchangeHandle> {
    const o = { ...this.options, workerPort: port };
    const args = interchangeArgs(o, this.addresses, this.#dir, this.#secretFile, this.#tls);
    return InterchangeHandle.spawn(args, `${this.#dir}/interchange.stderr`, o.maxFrameBytes, {
      message: htexInbox({
        label: this.label,
        reportRunning: this.options.reportRunning,
        tries: this.#tries,
        pools: this.#pools,
        host: () => this.#host!,
      }),
      lost: (reason) => this.#fail(reason),
      oversize: (id, bytes, max) =>
        this.#tries.settle(id, false, oversizeError("the task's arguments", bytes, max)),
    });
  }

  /**
   * Fails every outstanding task with `error` and refuses new ones: the scaling loop calls it
   * when blocks keep failing before any pool connects, so tasks do not wait forever.
   * @param error The error, naming the cause (the failing job's stderr).
   */
  failAll(error: Error): void {
    this.#giveUp(error.message, () => error);
  }

  /**
   * Sends one try of a task to the pools.
   * @param task The task.
   * @returns Its value, or rejects with its error.
   */
  submit(task: ExecutorTask): Promise<unknown> {
    return launchAsPromise(task, (t, sink, token) => this.launch(t, sink, token));
  }

  /**
   * Sends one try of a task to the pools; its end goes to `sink` (the kernel's way, with no
   * Promise per task). When the interchange's writer already holds enough, the try waits as a
   * number and its message is made from `sink.task(token)` when its turn comes.
   * @param task The task.
   * @param sink Told how the try ended, once, never before this returns.
   * @param token Handed back to the sink.
   */
  launch(task: ExecutorTask, sink: TaskSink, token: unknown): void {
    try {
      if (this.#state !== "running") {
        throw new ExecutorError(this.label, this.#failure ?? `is ${this.#state}, not running`);
      }
      // running_time is tsflow's: it places a task on a pool whose block outlives it.
      checkResourceSpecification(
        task.context.resourceSpecification,
        ["priority", "running_time"],
        "HighThroughputExecutor",
      );
      this.#tries.launch(task, sink, token);
    } catch (e) {
      queueMicrotask(() => sink.settled(token, false, e));
    }
  }

  /** Stops pools, blocks and the interchange; bounded. */
  async shutdown(): Promise<void> {
    if (this.#state === "stopped") return;
    this.#state = "stopped";
    clearInterval(this.#timer);
    this.#tries.close();
    await this.#ic?.stop(5000);
    // Pools still connected when the run ends leave now: their node rows say so (active = 0).
    for (const row of this.#pools.endRun(this.#host?.runId ?? "")) this.#host?.emit(row);
    if (this.#blocks) {
      // Every block not yet ended is scaled in (its row: SCALED_IN), as Parsl does at shutdown.
      let t: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        this.#blocks.cancelAll().catch((e) =>
          this.#host?.logger.warn(`Cancelling blocks at shutdown failed: ${e}`)
        ),
        new Promise((r) => t = setTimeout(r, 10_000)),
      ]);
      clearTimeout(t);
    }
    this.#tries.failAll(() => new ExecutorError(this.label, "shut down before the task finished"));
    for (const f of [this.#secretFile, this.#tls?.keyFile]) {
      if (f) Deno.remove(f).catch(() => {});
    }
    this.#host?.logger.info(`HighThroughputExecutor "${this.label}" shut down`);
  }

  /** Tasks submitted and not yet returned. */
  outstanding(): number {
    return this.#tries.size;
  }

  /** Worker slots one block brings. */
  slotsPerBlock(): number {
    return workersPerNode(this.options) * (this.options.provider.options.nodesPerBlock ?? 1);
  }

  /** Blocks by id. */
  blocks(): ReadonlyMap<string, { jobId?: string; status: JobStatus }> {
    return this.#blocks?.blocks ?? new Map();
  }

  /**
   * Connected pools, current: the interchange reports each registration, loss, hold and drain
   * when it happens, and busy/idle changes within 50 ms (Parsl's `connected_managers()`).
   */
  managers(): ManagerSummary[] {
    return this.#pools.summaries();
  }

  /**
   * Submits blocks through the provider, all at once.
   * @param n How many.
   * @returns Their block ids.
   */
  scaleOut(n: number): Promise<string[]> {
    return this.#blockTable().scaleOut(n);
  }

  /**
   * Drains the pools of the given blocks and cancels them.
   * @param blockIds Blocks to remove.
   */
  async scaleIn(blockIds: string[]): Promise<void> {
    for (const id of blockIds) this.#send({ k: "drain", blockId: id });
    await this.#blockTable().cancel(blockIds);
  }

  /** Refreshes block statuses from the provider. */
  async pollBlocks(): Promise<void> {
    await this.#blocks?.poll();
  }

  #blockTable(): BlockTable {
    return this.#blocks ??= new BlockTable(this.provider, {
      label: this.label,
      commandLine: (blockId) => this.workerCommandLine(blockId),
      emit: (e) => this.#host?.emit({ ...e, runId: this.#host.runId }),
      error: (msg) => this.#host?.logger.error(msg),
    });
  }

  /**
   * Stops sending tasks to a pool (Parsl's `hold_worker`).
   * @param managerId The pool.
   */
  holdManager(managerId: string): void {
    this.#send({ k: "hold", managerId });
  }

  /**
   * Tells a pool to finish its tasks and exit.
   * @param managerId The pool.
   */
  drain(managerId: string): void {
    this.#send({ k: "drain", managerId });
  }

  /**
   * The argv that starts one worker pool for this executor by hand (after start).
   * @param blockId Block id the pool reports.
   * @returns argv, program first.
   */
  workerCommand(blockId = "manual"): string[] {
    return poolCommand(this.#poolTarget(), blockId);
  }

  /**
   * The shell command line that starts one pool of a block: `launchCmd` filled in when set,
   * else this program's `worker` mode (after start).
   * @param blockId Block id the pool reports.
   * @returns The command line.
   */
  workerCommandLine(blockId = "manual"): string {
    return poolCommandLine(this.#poolTarget(), blockId);
  }

  #poolTarget(): PoolTarget {
    return {
      options: this.options,
      addresses: this.addresses,
      port: this.workerPort,
      secretFile: this.#secretFile,
      runDir: this.#dir,
      caFile: this.#tls?.caFile,
    };
  }

  /** A message to the interchange, behind the tasks waiting in the outbox. */
  #send(m: ExecutorToInterchange): void {
    if (!this.#tries.send(m)) this.#ic?.send(m);
  }

  #heartbeat(): void {
    const ic = this.#ic!;
    ic.send({ k: "hb" });
    if (Date.now() - ic.lastHeard > this.options.heartbeatThreshold * 1000) {
      this.#fail(`no message from the interchange for ${this.options.heartbeatThreshold} s`);
      ic.kill();
    }
  }

  #fail(reason: string): void {
    clearInterval(this.#timer);
    this.#giveUp(
      `interchange lost: ${reason}`,
      (why) => new ExecutorError(this.label, `${why}; the task's result is lost`),
    );
  }

  /** Fails every outstanding task and refuses new ones (state `failed`). */
  #giveUp(why: string, errorFor: (why: string) => Error): void {
    if (this.#state === "stopped" || this.#state === "failed") return;
    this.#state = "failed";
    this.#failure = why;
    this.#tries.close();
    this.#host?.logger.error(`HighThroughputExecutor "${this.label}": ${why}`);
    this.#tries.failAll(() => errorFor(why));
  }
}
