/**
 * The manager of a worker pool (one per node): registers with the interchange, keeps N worker
 * processes, hands them tasks (one at a time; more when tasks are short, see `pacing.ts`),
 * relays results, enforces walltimes (kill and replace the worker → `AppTimeout`), replaces
 * dead workers (their task → `WorkerLost`), samples resources, and exits when told to stop,
 * when drained, or when the interchange is gone.
 *
 * State of the pool: `connecting` → `registered` → `draining` → `stopped`.
 *
 * @module
 */
import { AppTimeout, WorkerLost } from "../dfk/errors.ts";
import type { Logger } from "../dfk/logger.ts";
import { connSink, FrameDecoder, FrameWriter, readMessages } from "../interchange/framing.ts";
import {
  type InterchangeToManager,
  type ManagerToInterchange,
  type ResultMsg,
  type TaskEnvelope,
  validateMessage,
} from "../interchange/protocol.ts";
import { ProtocolError } from "../interchange/protocol_error.ts";
import { oversizeOutcome } from "../interchange/oversize.ts";
import { failedOutcome } from "../interchange/task_codec.ts";
import { TaskQueue } from "../interchange/task_queue.ts";
import { type PoolIdentity, probeAddresses, registerMessage } from "./connect.ts";
import { Pacer, QUEUE_BUDGET_MS } from "./pacing.ts";
import { quietly, type Slot } from "./_slot.ts";
import { spawnWorker } from "./placement.ts";
// One /proc sampler for the whole project; it counts a task's child processes too (bash apps).
import { forgetProcess, sampleProcess } from "../monitoring/proc_sampler.ts";
import { drainTimer } from "./drain_timer.ts";
import { RunningReports } from "./running_reports.ts";

/** Settings of a {@linkcode PoolManager}. */
export interface PoolOptions extends PoolIdentity {
  /** The interchange's `HOST:PORT`s; the pool keeps the first that answers. */
  interchange: string[];
  /** Seconds to find an address of the interchange that answers. */
  addressProbeTimeout: number;
  /** Seconds between heartbeats. */
  heartbeatPeriod: number;
  /** Seconds of interchange silence before the pool gives up. */
  heartbeatThreshold: number;
  /** Seconds after which the pool drains and exits (0: never). */
  drainPeriod: number;
  /** `cpuAffinity` policy. */
  cpuAffinity: string;
  /** Accelerator ids, one per worker. */
  accelerators: string[];
  /** PEM of the run's CA: connect with TLS and trust only it. */
  caCert?: string;
  /** Largest frame body on the pool's links (the executor's `maxFrameBytes`). */
  maxFrameBytes: number;
  /** Seconds between resource samples of busy workers (0: off). */
  resourceInterval: number;
  /** Whether to report `running` events. */
  reportRunning: boolean;
  /** argv that starts worker `id` connecting to `socket`. */
  workerArgv(id: number, socket: string): string[];
  /** Log. */
  logger: Logger;
}

/** Why the pool stopped, and its exit code. */
export interface PoolExit {
  /** Exit code. */
  code: number;
  /** Reason. */
  reason: string;
}

/**
 * A worker pool manager.
 *
 * @example
 * ```ts ignore
 * const exit = await new PoolManager(options).run();
 * ```
 */
export class PoolManager {
  #o: PoolOptions;
  #hostname = Deno.hostname();
  #slots: Slot[] = [];
  #pace!: Pacer;
  /** Tasks held for workers, lowest priority number first (prefetch must not undo priority). */
  #queue = new TaskQueue<TaskEnvelope>();
  #busy = 0;
  #ic?: FrameWriter;
  #conn?: Deno.Conn;
  #lastHeard = Date.now();
  #state: "connecting" | "registered" | "draining" | "stopped" = "connecting";
  #finish!: (e: PoolExit) => void;
  #done = new Promise<PoolExit>((r) => this.#finish = r);
  #quickDeaths = 0;
  #dir = "";
  #reports?: RunningReports;

  /**
   * Creates a manager; {@linkcode PoolManager.run} connects and starts the workers.
   * @param options Settings.
   */
  constructor(options: PoolOptions) {
    this.#o = options;
    this.#pace = new Pacer(options.prefetchCapacity, options.workers);
    if (options.reportRunning) this.#reports = new RunningReports((m) => this.#send(m));
  }

  /**
   * Connects, registers and serves until stopped.
   * @returns Exit code and reason.
   */
  async run(): Promise<PoolExit> {
    const log = this.#o.logger;
    try {
      this.#conn = await probeAddresses(
        this.#o.interchange,
        this.#o.caCert,
        this.#o.addressProbeTimeout,
      );
    } catch (e) {
      return { code: 1, reason: (e as Error).message };
    }
    log.info(`Connected to the interchange at ${addressOf(this.#conn)}`);
    this.#ic = new FrameWriter(connSink(this.#conn), this.#o.maxFrameBytes);
    this.#ic.onError = () => this.#stop(0, "interchange connection broken");
    // A result too large for the interchange's frames fails its task, not the whole pool.
    this.#ic.onOversize = (m, _e, bytes, max) => {
      const r = m as ManagerToInterchange;
      if (r.k === "result") this.#send({ ...r, b: oversizeOutcome(bytes, max) });
    };
    this.#dir = Deno.makeTempDirSync({ prefix: "tsflow-pool-" });
    const sock = `${this.#dir}/workers.sock`;
    const listener = Deno.listen({ transport: "unix", path: sock });
    this.#acceptWorkers(listener);
    for (let i = 0; i < this.#o.workers; i++) {
      const slot: Slot = { id: i, spawnedAt: 0, tasks: [], headStart: 0, ready: false };
      this.#slots.push(slot);
      this.#spawn(slot, sock);
    }
    const hb = setInterval(() => {
      this.#send({ k: "hb" });
      if (Date.now() - this.#lastHeard > this.#o.heartbeatThreshold * 1000) {
        this.#stop(1, `no message from the interchange for ${this.#o.heartbeatThreshold} s`);
      }
    }, this.#o.heartbeatPeriod * 1000);
    const drain = drainTimer(
      (why) => this.#drain(why),
      this.#o.drainPeriod,
      this.#o.heartbeatPeriod,
    );
    const sampler = this.#o.resourceInterval > 0
      ? setInterval(() => this.#sample(), this.#o.resourceInterval * 1000)
      : undefined;
    readMessages(
      this.#conn,
      new FrameDecoder(this.#o.maxFrameBytes),
      (msgs) => this.#fromInterchange(msgs, sock),
    )
      .then(() => this.#stop(0, "interchange closed the connection"))
      .catch((e) => this.#stop(1, `bad input from the interchange: ${(e as Error).message}`));
    const exit = await this.#done;
    clearInterval(hb);
    clearTimeout(drain);
    clearInterval(sampler);
    log.info(`Pool stopping: ${exit.reason}`);
    await this.#killWorkers();
    quietly(() => listener.close());
    await Promise.race([this.#ic.flushed(), new Promise((r) => setTimeout(r, 500))]);
    quietly(() => this.#conn!.close());
    Deno.removeSync(this.#dir, { recursive: true });
    return exit;
  }

  #send(m: ManagerToInterchange): void {
    this.#ic?.send(m);
  }

  #fromInterchange(msgs: unknown[], sock: string): void {
    this.#lastHeard = Date.now();
    for (const raw of msgs) {
      const m: InterchangeToManager = validateMessage("interchangeToManager", raw);
      switch (m.k) {
        case "challenge":
          this.#send(registerMessage(this.#o, m.nonce));
          break;
        case "registered":
          this.#state = "registered";
          // Batched results must fit the interchange's frame limit, or it drops the pool.
          if (m.maxFrameBytes) this.#ic!.maxFrameBytes = m.maxFrameBytes;
          this.#o.logger.info(`Registered as ${m.managerId} with ${this.#o.workers} worker(s)`, {
            sock,
          });
          break;
        case "refused":
          this.#stop(1, `the interchange refused this pool: ${m.reason}`);
          return;
        case "task":
          this.#queue.push(m, m.p);
          break;
        case "drain":
          this.#drain("asked by the interchange");
          break;
        case "stop":
          this.#stop(0, "asked by the interchange");
          return;
        case "hb":
          break;
      }
    }
    this.#dispatch();
  }

  #dispatch(): void {
    if (this.#queue.size === 0) return;
    // First every idle worker gets a task; then, only while tasks are short, a few more each,
    // never behind a task already running longer than the queue budget.
    const depth = this.#pace.depth;
    const late = performance.now() - QUEUE_BUDGET_MS;
    for (let level = 1; level <= depth && this.#queue.size > 0; level++) {
      for (const slot of this.#slots) {
        if (this.#queue.size === 0) break;
        if (!slot.ready || slot.tasks.length >= level) continue;
        if (level > 1 && slot.headStart < late) continue;
        const task = this.#queue.pop()!;
        slot.tasks.push(task);
        this.#busy++;
        slot.writer!.send({ k: "run", id: task.id, b: task.b });
        if (slot.tasks.length === 1) this.#started(slot);
      }
    }
  }

  /** The slot's first task started running: time it and report it. */
  #started(slot: Slot): void {
    const task = slot.tasks[0];
    slot.headStart = performance.now();
    if (task.w > 0) {
      // Bash apps time out inside the worker first (their process group is killed there).
      const grace = task.kind === "bash" ? 2000 : 0;
      slot.timer = setTimeout(() => {
        slot.timedOut = true;
        this.#o.logger.warn(
          `Task ${task.id} exceeded walltime ${task.w} s: killing worker ${slot.id}`,
        );
        quietly(() => slot.child?.kill("SIGKILL"));
      }, task.w * 1000 + grace);
    }
    this.#reports?.started(task.id, slot.id);
  }

  #acceptWorkers(listener: Deno.Listener): void {
    (async () => {
      try {
        for await (const conn of listener) this.#serveWorker(conn);
      } catch { /* listener closed */ }
    })();
  }

  async #serveWorker(conn: Deno.Conn): Promise<void> {
    let slot: Slot | undefined;
    const writer = new FrameWriter(connSink(conn), this.#o.maxFrameBytes);
    try {
      await readMessages(conn, new FrameDecoder(this.#o.maxFrameBytes), (msgs) => {
        for (const raw of msgs) {
          const m = validateMessage("workerToManager", raw);
          if (m.k === "hello") {
            slot = this.#slots[m.workerId];
            if (!slot || slot.pid !== m.pid) {
              throw new ProtocolError("bad-message", `unknown worker ${m.workerId}`);
            }
            slot.conn = conn;
            slot.writer = writer;
            slot.ready = true;
            this.#quickDeaths = 0;
          } else if (slot && slot.tasks[0]?.id === m.id) {
            const ran = performance.now() - slot.headStart;
            if (this.#pace.record(ran)) {
              this.#send({ k: "capacity", prefetchCapacity: this.#pace.prefetch });
            }
            this.#finishHead(slot);
            this.#sendResult(m);
            if (slot.tasks.length > 0) this.#started(slot);
          }
        }
        this.#dispatch();
        this.#maybeDrained();
      });
    } catch (e) {
      this.#o.logger.warn(`Worker connection failed: ${(e as Error).message}`);
    }
    quietly(() => conn.close());
  }

  /** A result, with its task's start when that was not reported yet (see running_reports.ts). */
  #sendResult(m: ResultMsg): void {
    const stamp = this.#reports?.ended(m.id);
    this.#send(stamp ? { ...m, ...stamp } : m);
  }

  #finishHead(slot: Slot): TaskEnvelope | undefined {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    const task = slot.tasks.shift();
    if (task) this.#busy--;
    return task;
  }

  #spawn(slot: Slot, sock: string): void {
    const o = this.#o;
    const child = spawnWorker(
      o.workerArgv(slot.id, sock),
      slot.id,
      o.workers,
      o.cpuAffinity,
      o.accelerators,
      o,
    );
    Object.assign(slot, {
      child,
      pid: child.pid,
      spawnedAt: Date.now(),
      timedOut: false,
      ready: false,
      tasks: [],
    });
    slot.writer = slot.conn = undefined;
    child.status.then((st) => this.#workerExited(slot, child, st, sock));
  }

  #workerExited(slot: Slot, child: Deno.ChildProcess, st: Deno.CommandStatus, sock: string): void {
    if (slot.child !== child) return;
    forgetProcess(child.pid);
    slot.ready = false;
    quietly(() => slot.conn?.close());
    const why = st.signal ? `killed by ${st.signal}` : `exit code ${st.code}`;
    const task = this.#finishHead(slot);
    if (task) {
      const error = slot.timedOut
        ? new AppTimeout(task.n, task.w)
        : new WorkerLost(slot.id, this.#hostname, why);
      this.#sendResult({ k: "result", id: task.id, b: failedOutcome(error) });
    }
    // Tasks queued behind the lost one never started: they go back to the pool's queue.
    this.#busy -= slot.tasks.length;
    for (const t of slot.tasks) this.#queue.push(t, t.p);
    slot.tasks = [];
    if (this.#state === "stopped") return;
    this.#o.logger.warn(`Worker ${slot.id} (pid ${child.pid}) ${why}; replacing it`, {
      task: task?.id,
    });
    if (Date.now() - slot.spawnedAt < 2000 && !task && ++this.#quickDeaths >= 5) {
      this.#stop(1, `workers keep dying at start (${why}): see the pool's stderr`);
      return;
    }
    this.#spawn(slot, sock);
    this.#maybeDrained();
  }

  #sample(): void {
    for (const s of this.#slots) {
      const r = s.tasks.length > 0 && s.pid !== undefined ? sampleProcess(s.pid) : undefined;
      if (!r) continue;
      this.#send({
        k: "resource",
        id: s.tasks[0].id,
        time: Date.now(),
        hostname: this.#hostname,
        ...r,
      });
    }
  }

  #drain(why: string): void {
    if (this.#state === "stopped" || this.#state === "draining") return;
    this.#o.logger.info(`Draining: ${why}`);
    this.#state = "draining";
    this.#send({ k: "draining" });
    this.#maybeDrained();
  }

  #maybeDrained(): void {
    const idle = this.#busy === 0 && this.#queue.size === 0;
    if (this.#state === "draining" && idle) this.#stop(0, "drained");
  }

  #stop(code: number, reason: string): void {
    if (this.#state === "stopped") return;
    this.#state = "stopped";
    this.#reports?.stop();
    this.#finish({ code, reason });
  }

  async #killWorkers(): Promise<void> {
    const waits: Promise<unknown>[] = [];
    for (const s of this.#slots) {
      if (!s.child) continue;
      quietly(() => s.child!.kill("SIGKILL"));
      waits.push(s.child.status);
    }
    await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, 3000))]);
  }
}

/** `HOST:PORT` of a connection's far end, for logs. */
function addressOf(conn: Deno.Conn): string {
  const a = conn.remoteAddr as Deno.NetAddr;
  return a.hostname ? `${a.hostname}:${a.port}` : "?";
}
