/**
 * The manager of a worker pool (one per node): registers with the interchange, keeps N worker
 * processes, relays tasks and results, samples resources, and exits when told to stop, when
 * drained, or when the interchange is gone. Which worker runs which task, walltimes (kill and
 * replace the worker → `AppTimeout`), dead workers (their task → `WorkerLost`) and giving up on
 * workers that cannot start are the socket-free {@linkcode PoolCore}'s, in `pipeline` mode (one
 * task at a time; more when tasks are short, see `pacing.ts`); this file plugs processes and
 * sockets into it.
 *
 * State of the pool: `connecting` → `registered` → `draining` → `stopped`.
 *
 * @module
 */
import {
  connSink,
  FrameDecoder,
  FrameWriter,
  readEncodedMessages,
  readMessages,
} from "../interchange/framing.ts";
import { scanResult } from "../interchange/_message_scan.ts";
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
import { decodeWire, EncodedMessage } from "../interchange/wire_codec.ts";
import { probeAddresses, registerMessage } from "./connect.ts";
import { Pacer } from "./pacing.ts";
import { PoolCore } from "./pool_core.ts";
import type { WorkerLink } from "./pool_links.ts";
import { quietly, type WorkerProcessLink } from "./_worker_process_link.ts";
import { spawnWorker } from "./placement.ts";
// One /proc sampler for the whole project; it counts a task's child processes too (bash apps).
import { forgetProcess, sampleProcess } from "../monitoring/proc_sampler.ts";
import { drainTimer } from "./drain_timer.ts";
import type { PoolOptions } from "./pool_options.ts";
import { makePoolDir, removeStalePoolDirs, WORKERS_SOCKET } from "./_stale_pool_dirs.ts";
import { dirname } from "../dfk/_path.ts";
import { RUNNING_HOLD_MS, RunningReports } from "./running_reports.ts";

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
 * // Not run by `deno test --doc`: a pool manager needs an interchange to connect to (tests/e2e/).
 * const exit = await new PoolManager(options).run();
 * ```
 */
export class PoolManager {
  #o: PoolOptions;
  #hostname = Deno.hostname();
  /** The worker processes, by slot. */
  #procs: WorkerProcessLink[] = [];
  #pace!: Pacer;
  #core: PoolCore<TaskEnvelope>;
  #sock = "";
  #ic?: FrameWriter;
  #conn?: Deno.Conn;
  #lastHeard = Date.now();
  #state: "connecting" | "registered" | "draining" | "stopped" = "connecting";
  #finish!: (e: PoolExit) => void;
  #done = new Promise<PoolExit>((r) => this.#finish = r);
  #dir = "";
  #reports?: RunningReports;

  /**
   * Creates a manager; {@linkcode PoolManager.run} connects and starts the workers.
   * @param options Settings.
   */
  constructor(options: PoolOptions) {
    this.#o = options;
    this.#pace = new Pacer(options.prefetchCapacity, options.workers);
    if (options.reportRunning) {
      // A task still running when its report goes out gets its first resource sample then; a
      // shorter one has only the sample its worker takes at its end (see running_reports.ts).
      this.#reports = new RunningReports(
        (m) => this.#send(m),
        RUNNING_HOLD_MS,
        options.resourceInterval > 0 ? (id, slot) => this.#sampleSlot(slot, id) : undefined,
      );
    }
    this.#core = new PoolCore<TaskEnvelope>({
      workers: options.workers,
      mode: "pipeline",
      depth: () => this.#pace.depth,
      logger: options.logger,
      hostname: this.#hostname,
      hooks: {
        spawn: (slot) => this.#spawn(slot),
        began: (task, slot) => this.#reports?.started(task.id, slot),
        failed: (task, error) =>
          this.#sendResult(task.id, undefined, {
            k: "result",
            id: task.id,
            b: failedOutcome(error),
          }),
        giveUp: (why) =>
          this.#stop(1, `workers keep dying at start (${why}): see the pool's stderr`),
      },
    });
  }

  /**
   * Connects, registers and serves until stopped.
   * @returns Exit code and reason.
   */
  async run(): Promise<PoolExit> {
    const log = this.#o.logger;
    // Workers start while the pool reaches the interchange: their start-up is most of a cold
    // start's tail, and a task can only come after registration anyway.
    this.#dir = makePoolDir(this.#hostname);
    const sock = this.#sock = `${this.#dir}/${WORKERS_SOCKET}`;
    const listener = Deno.listen({ transport: "unix", path: sock });
    this.#acceptWorkers(listener);
    this.#core.start();
    // A stop() while the interchange is still being looked for ends the search.
    const stopped = this.#done.then((exit) => Promise.reject(exit));
    stopped.catch(() => {});
    try {
      this.#conn = await Promise.race([
        probeAddresses(this.#o.interchange, this.#o.caCert, this.#o.addressProbeTimeout),
        stopped,
      ]);
    } catch (e) {
      this.#state = "stopped";
      await this.#killWorkers();
      quietly(() => listener.close());
      Deno.removeSync(this.#dir, { recursive: true });
      return e instanceof Error ? { code: 1, reason: e.message } : e as PoolExit;
    }
    log.info(`Connected to the interchange at ${addressOf(this.#conn)}`);
    // Directories of this host's pools killed outright go, a second after the start (reading
    // the temporary directory is not for the cold start's path, nor its first task).
    const sweep = setTimeout(() => {
      removeStalePoolDirs(dirname(this.#dir), this.#hostname).then((gone) => {
        if (gone.length) log.info(`Removed ${gone.length} directories of pools gone`, { gone });
      });
    }, 1000);
    Deno.unrefTimer(sweep);
    this.#ic = new FrameWriter(connSink(this.#conn), this.#o.maxFrameBytes);
    this.#ic.onError = () => this.#stop(0, "interchange connection broken");
    // A result too large for the interchange's frames fails its task, not the whole pool.
    this.#ic.onOversize = (m, _e, bytes, max) => {
      const r = (m instanceof EncodedMessage ? decodeWire(m.bytes) : m) as ManagerToInterchange;
      return r.k === "result" ? { ...r, b: oversizeOutcome(bytes, max) } : undefined;
    };
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

  /**
   * Stops the pool from outside (its process got SIGTERM): its workers are killed, its socket
   * directory removed, and {@linkcode PoolManager.run} returns this exit.
   * @param code Exit code.
   * @param reason Why.
   */
  stop(code: number, reason: string): void {
    this.#stop(code, reason);
  }

  #send(m: ManagerToInterchange | EncodedMessage): void {
    this.#ic?.send(m);
  }

  #fromInterchange(msgs: unknown[], sock: string): void {
    this.#lastHeard = Date.now();
    const tasks: TaskEnvelope[] = [];
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
          tasks.push(m);
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
    this.#core.submit(tasks);
  }

  #acceptWorkers(listener: Deno.Listener): void {
    (async () => {
      try {
        for await (const conn of listener) this.#serveWorker(conn);
      } catch { /* listener closed */ }
    })();
  }

  async #serveWorker(conn: Deno.Conn): Promise<void> {
    let proc: WorkerProcessLink | undefined;
    const writer = new FrameWriter(connSink(conn), this.#o.maxFrameBytes);
    try {
      await readEncodedMessages(conn, new FrameDecoder(this.#o.maxFrameBytes), (msgs) => {
        for (const bytes of msgs) {
          // A worker's plain result is read from its bytes, which go on as they are.
          const id = proc ? scanResult(bytes) : undefined;
          const m = id === undefined
            ? validateMessage("workerToManager", decodeWire(bytes))
            : undefined;
          if (m?.k === "hello") {
            proc = this.#procs[m.workerId];
            if (!proc || proc.pid !== m.pid) {
              throw new ProtocolError("bad-message", `unknown worker ${m.workerId}`);
            }
            proc.conn = conn;
            proc.writer = writer;
            this.#o.logger.info(`Worker ${m.workerId} ready (pid ${m.pid})`);
            this.#core.ready(m.workerId);
            continue;
          }
          const taskId = id ?? m!.id;
          if (proc && this.#core.tasksOf(proc.slot)[0]?.id === taskId) {
            const { ranMs } = this.#core.completed(proc.slot, 1);
            if (this.#pace.record(ranMs)) {
              this.#send({ k: "capacity", prefetchCapacity: this.#pace.prefetch });
            }
            this.#sendResult(taskId, bytes, m as ResultMsg | undefined);
          } else {
            // A worker runs its tasks in order: anything else is a stale result of a worker
            // replaced since, or a bug that would leave tasks pending, so it is logged.
            this.#o.logger.warn(`Ignoring result for task ${taskId} from worker ${proc?.slot}`, {
              running: proc && this.#core.tasksOf(proc.slot)[0]?.id,
            });
          }
        }
        this.#core.dispatch();
        this.#maybeDrained();
      });
    } catch (e) {
      this.#o.logger.warn(`Worker connection failed: ${(e as Error).message}`);
    }
    quietly(() => conn.close());
  }

  /**
   * A result, with its task's start when that was not reported yet and monitoring records it
   * (see running_reports.ts); else the worker's bytes go on as they are (a view of the read
   * buffer, which the writer copies as it takes it).
   * @param id The task.
   * @param encoded The worker's message, if it came from one.
   * @param decoded The message, when it is decoded already (one of the two is given).
   */
  #sendResult(id: number, encoded?: Uint8Array, decoded?: ResultMsg): void {
    const stamp = this.#reports?.ended(id);
    if (stamp && this.#o.stampStarts) {
      const m = decoded ?? validateMessage("workerToManager", decodeWire(encoded!)) as ResultMsg;
      this.#send({ ...m, ...stamp });
    } else this.#send(encoded ? new EncodedMessage(encoded) : decoded!);
  }

  #spawn(slot: number): WorkerLink<TaskEnvelope> {
    const o = this.#o;
    const child = spawnWorker(
      o.workerArgv(slot, this.#sock),
      slot,
      o.workers,
      o.cpuAffinity,
      o.accelerators,
      o,
    );
    const proc: WorkerProcessLink = {
      slot,
      child,
      pid: child.pid,
      send: (tasks) => {
        for (const t of tasks) proc.writer!.send({ k: "run", id: t.id, b: t.b });
      },
      kill: () => quietly(() => child.kill("SIGKILL")),
    };
    this.#procs[slot] = proc;
    child.status.then((st) => {
      forgetProcess(child.pid);
      quietly(() => proc.conn?.close());
      const why = st.signal ? `killed by ${st.signal}` : `exit code ${st.code}`;
      this.#core.lost(slot, proc, why);
      this.#maybeDrained();
    });
    return proc;
  }

  #sample(): void {
    for (const p of this.#procs) {
      const task = this.#core.tasksOf(p.slot)[0];
      if (task) this.#sampleSlot(p.slot, task.id);
    }
  }

  /** Samples the worker in `slot` for task `id`, if that task is still the one it runs. */
  #sampleSlot(slot: number, id: number): void {
    const p = this.#procs[slot];
    if (!p || this.#core.tasksOf(slot)[0]?.id !== id) return;
    const r = sampleProcess(p.pid);
    if (r) this.#send({ k: "resource", id, time: Date.now(), hostname: this.#hostname, ...r });
  }

  #drain(why: string): void {
    if (this.#state === "stopped" || this.#state === "draining") return;
    this.#o.logger.info(`Draining: ${why}`);
    this.#state = "draining";
    this.#send({ k: "draining" });
    this.#maybeDrained();
  }

  #maybeDrained(): void {
    if (this.#state === "draining" && this.#core.idle) this.#stop(0, "drained");
  }

  #stop(code: number, reason: string): void {
    if (this.#state === "stopped") return;
    this.#state = "stopped";
    this.#core.stop();
    this.#reports?.stop();
    this.#finish({ code, reason });
  }

  async #killWorkers(): Promise<void> {
    const waits: Promise<unknown>[] = [];
    for (const p of this.#procs) {
      p.kill();
      waits.push(p.child.status);
    }
    await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, 3000))]);
  }
}

/** `HOST:PORT` of a connection's far end, for logs. */
function addressOf(conn: Deno.Conn): string {
  const a = conn.remoteAddr as Deno.NetAddr;
  return a.hostname ? `${a.hostname}:${a.port}` : "?";
}
