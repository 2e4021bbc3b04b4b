/**
 * The interchange's state machine, apart from sockets: it queues tasks from the executor,
 * registers pools (each connection's handshake and input checks are in `connection.ts`), hands
 * tasks out through the pure {@linkcode matchTasks}, relays results, and declares pools lost (their
 * silence is watched by `PoolLiveness`, `pool_liveness.ts`). `interchange_main.ts` plugs it
 * into real connections; tests can drive it with in-memory links.
 *
 * @module
 */
import { ManagerLost } from "../dfk/errors.ts";
import type { Logger } from "../dfk/logger.ts";
import {
  type Connection,
  type ConnectionHost,
  openConnection,
  type PoolMessage,
} from "./connection.ts";
import { checkRegistration } from "./registration.ts";
import { type Manager, managerInfo, type ManagerLink, newManager } from "./pool_record.ts";
import { type Assignment, freeSlots, type ManagerSelector, matchTasks } from "./matching.ts";
import {
  type InterchangeToExecutor,
  type ManagerInfo,
  type RegisterMsg,
  type ResultMsg,
  validateMessage,
} from "./protocol.ts";
import { PoolLiveness } from "./pool_liveness.ts";
import { PoolReports } from "./pool_reports.ts";
import { type StoredTask, TaskStore } from "./task_store.ts";
import { failedOutcome } from "./task_codec.ts";
import { decodeWire, EncodedMessage } from "./wire_codec.ts";
import { ProtocolError } from "./protocol_error.ts";

/** Settings of an {@linkcode Interchange}. */
export interface InterchangeSettings {
  /** The run's secret. */
  secret: string;
  /** Seconds between heartbeats. */
  heartbeatPeriod: number;
  /** Seconds of silence after which a pool is lost. */
  heartbeatThreshold: number;
  /** Pool order. */
  selector: ManagerSelector;
  /** Log. */
  logger: Logger;
  /**
   * Messages sent to the executor and not yet written (its link's backlog). While it is over
   * {@linkcode EXECUTOR_BACKLOG_LIMIT} no task is dispatched: a driver that reads results slower
   * than pools make them would otherwise have them pile up here, each larger than the queued
   * task it came from.
   */
  executorBacklog?: () => number;
  /** Largest frame body this interchange reads; pools are told to write no larger ones. */
  maxFrameBytes?: number;
  /**
   * Sends a message to the executor: a result the interchange adds nothing to goes on as the
   * pool's bytes ({@linkcode EncodedMessage}: a view of a read buffer, valid only during the
   * call, which a `FrameWriter` copies as it is sent).
   */
  toExecutor(msg: InterchangeToExecutor | EncodedMessage): void;
}

/** Executor backlog (messages) over which dispatching pauses (see `executorBacklog`). */
export const EXECUTOR_BACKLOG_LIMIT = 8192;

/**
 * The interchange.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a sketch of the driver's steps; tests/interchange/ drive it with fake links.
 * const ic = new Interchange({ secret, heartbeatPeriod: 2, heartbeatThreshold: 10, selector, logger, toExecutor });
 * const conn = ic.accept(link);     // sends the challenge
 * conn.receive([registerMsg]);
 * ```
 */
export class Interchange {
  #o: InterchangeSettings;
  #queue = new TaskStore();
  #managers = new Map<string, Manager>();
  #ready = new Set<Manager>();
  #owner = new Map<number, Manager>();
  #forgotten = new Set<string>();
  #liveness = new PoolLiveness();
  #byLink = new Map<ManagerLink, Manager>();
  #scheduled = false;
  /** Tasks queued from the batch of executor messages being handled. */
  #batchQueued = 0;
  #backlogTimer?: ReturnType<typeof setTimeout>;
  /** What the executor hears of the pools. */
  #reports: PoolReports;
  /** This interchange's side of its pool connections. */
  #host: ConnectionHost;
  /** Tasks dispatched since start. */
  dispatched = 0;

  /**
   * Creates an interchange with no pools and no tasks.
   * @param options Settings and the executor link.
   */
  constructor(options: InterchangeSettings) {
    this.#o = options;
    this.#reports = new PoolReports(options.toExecutor, (m) => this.#managers.get(m.id) === m);
    this.#host = {
      logger: options.logger,
      register: (link, nonce, r) => this.#register(link, nonce, r),
      current: (m) => this.#managers.get(m.id) === m,
      seen: (link) => this.#liveness.seen(link),
      message: this.#fromManager,
      result: (m, id, encoded) => this.#result(m, id, undefined, encoded),
      received: () => this.#scheduleSoon(),
      ended: (link, m, reason) => {
        this.#liveness.forget(link);
        this.#byLink.delete(link);
        if (m && this.#managers.get(m.id) === m) this.#lose(m, reason);
      },
    };
  }

  /** Queued (undispatched) tasks. */
  get queued(): number {
    return this.#queue.size;
  }

  /** Registered pools. */
  get managerCount(): number {
    return this.#managers.size;
  }

  /**
   * Handles messages from the executor.
   * @param msgs Decoded values (validated here).
   * @returns Whether the executor asked the interchange to shut down.
   * @throws ProtocolError on an invalid message (the executor link is trusted, so this is a bug).
   */
  fromExecutor(msgs: unknown[]): boolean {
    let shutdown = false;
    for (let i = 0; i < msgs.length; i++) shutdown = this.#fromExecutor(msgs[i]) || shutdown;
    this.#afterExecutor(msgs.length, shutdown);
    return shutdown;
  }

  /**
   * Handles messages from the executor as their encoded bytes: a task in the executor's plain
   * form is queued from its bytes, with no decoding (`TaskStore.pushEncoded`); anything else is
   * decoded and validated as {@linkcode Interchange.fromExecutor} does.
   * @param msgs Each message's bytes (views: what is kept is copied).
   * @returns Whether the executor asked the interchange to shut down.
   * @throws ProtocolError on an undecodable or invalid message.
   */
  fromExecutorEncoded(msgs: Uint8Array[]): boolean {
    let shutdown = false;
    for (let i = 0; i < msgs.length; i++) {
      if (this.#queue.pushEncoded(msgs[i])) {
        this.#batchQueued++;
        continue;
      }
      let m: unknown;
      try {
        m = decodeWire(msgs[i]);
      } catch (e) {
        throw new ProtocolError("garbage", `undecodable message: ${(e as Error)?.message ?? e}`);
      }
      shutdown = this.#fromExecutor(m) || shutdown;
    }
    this.#afterExecutor(msgs.length, shutdown);
    return shutdown;
  }

  /** One message from the executor; true for `shutdown`. */
  #fromExecutor(msg: unknown): boolean {
    const m = validateMessage("executorToInterchange", msg);
    switch (m.k) {
      case "task":
        // Held as its body and a few bytes of its envelope; its message is rebuilt at dispatch.
        this.#queue.push(m);
        this.#batchQueued++;
        break;
      case "hold": {
        const mg = this.#managers.get(m.managerId);
        if (mg) this.#setActive(mg, false, true);
        break;
      }
      case "drain":
        for (const mg of this.#managers.values()) {
          if (mg.id === m.managerId || (m.blockId !== undefined && mg.blockId === m.blockId)) {
            this.#setActive(mg, false, true, true);
            mg.link.send({ k: "drain" });
          }
        }
        break;
      case "shutdown":
        return true;
      case "hb":
        break;
    }
    return false;
  }

  #afterExecutor(received: number, shutdown: boolean): void {
    // One line per batch (as Parsl's "Put task onto pending_task_queue", without a line per task).
    const queued = this.#batchQueued;
    this.#batchQueued = 0;
    if (queued > 0) this.#o.logger.debug(`Queued ${queued} task(s); ${this.#queue.size} pending`);
    if (received === 0) return;
    // The batch is one read: matched now, so its tasks leave with the read loop's flush of the
    // pools' writers instead of a microtask later (a round trip's interchange hop).
    if (queued > 0 && !shutdown) this.#schedule();
    else this.#scheduleSoon();
  }

  /**
   * A pool connected: sends it the challenge.
   * @param link The connection.
   * @returns Handlers for its messages and its end.
   */
  accept(link: ManagerLink): Connection {
    return openConnection(link, this.#host);
  }

  /**
   * Heartbeats and loss detection; call every heartbeat period.
   * @param now Current time (ms).
   */
  tick(now: number = Date.now()): void {
    for (const link of this.#liveness.sweep(now, this.#o.heartbeatThreshold * 1000)) {
      const mg = this.#byLink.get(link);
      if (mg && this.#managers.get(mg.id) === mg) {
        this.#lose(mg, `no message for ${this.#o.heartbeatThreshold} s`);
      }
      this.#o.logger.warn(`Closing silent connection ${link.peer}`, { manager: mg?.id });
      link.close();
    }
    this.#o.toExecutor({ k: "hb" });
    this.#o.toExecutor({ k: "managers", managers: this.managers() });
  }

  /** Summaries of registered pools. */
  managers(): ManagerInfo[] {
    const now = Date.now();
    return [...this.#managers.values()].map((m) => managerInfo(m, now));
  }

  /** Sends stop to every pool and forgets them (interchange shutting down). */
  stopAll(): void {
    for (const m of this.#managers.values()) {
      m.link.send({ k: "stop" });
      m.link.close();
    }
    this.#managers.clear();
    this.#ready.clear();
    this.#reports.stop();
    clearTimeout(this.#backlogTimer);
  }

  #register(link: ManagerLink, nonce: Uint8Array, r: RegisterMsg): Manager | undefined {
    const seen = this.#managers.has(r.managerId) || this.#forgotten.has(r.managerId);
    const refusal = checkRegistration(this.#o.secret, nonce, r, seen);
    if (refusal) {
      this.#o.logger.warn(
        `Refusing pool ${r.managerId} from ${link.peer} (${refusal.fault}): ${refusal.reason}`,
      );
      link.send({ k: "refused", reason: refusal.reason });
      link.close();
      return undefined;
    }
    const m = newManager(r, link);
    this.#managers.set(m.id, m);
    this.#byLink.set(link, m);
    if (freeSlots(m) > 0) this.#ready.add(m);
    link.send({ k: "registered", managerId: m.id, maxFrameBytes: this.#o.maxFrameBytes });
    this.#o.logger.info(`Registered pool ${m.id}`, {
      peer: link.peer,
      hostname: r.hostname,
      blockId: r.blockId,
      workers: r.workerCount,
      tsflow: r.tsflowVersion,
      deno: r.denoVersion,
    });
    this.#reports.registered(m);
    return m;
  }

  // A field, not a method: the connection calls it per message with no wrapper in between.
  #fromManager = (m: Manager, msg: PoolMessage, encoded?: Uint8Array): void => {
    switch (msg.k) {
      case "result":
        this.#result(m, msg.id, msg, encoded);
        return;
      case "running":
        this.#o.toExecutor({ ...msg, managerId: m.id, hostname: m.hostname, blockId: m.blockId });
        return;
      case "resource":
        this.#o.toExecutor({ ...msg, hostname: m.hostname });
        return;
      case "draining":
        this.#setActive(m, false, false, true);
        return;
      case "capacity":
        m.prefetchCapacity = Math.max(0, Math.min(1e6, Math.floor(msg.prefetchCapacity)));
        this.#setActive(m, m.active, m.held);
        return;
      case "hb":
        return;
    }
  };

  /** A pool's result: the decoded message, or its bytes alone (a worker's plain result). */
  #result(m: Manager, id: number, msg: ResultMsg | undefined, encoded?: Uint8Array): void {
    if (this.#owner.get(id) !== m) {
      this.#o.logger.info(`Ignoring result for task ${id} from pool ${m.id}: not its task`);
      return;
    }
    this.#owner.delete(id);
    m.tasks.delete(id);
    m.outstanding--;
    if (m.outstanding === 0) {
      m.idleSince = Date.now();
      this.#reports.busyOrIdle(m);
    }
    if (m.active) this.#ready.add(m);
    this.#o.toExecutor(
      msg?.started !== undefined
        ? { ...msg, managerId: m.id, hostname: m.hostname, blockId: m.blockId }
        : encoded
        ? new EncodedMessage(encoded)
        : msg!,
    );
  }

  #setActive(m: Manager, active: boolean, held: boolean, draining = m.draining): void {
    const changed = m.active !== active || m.held !== held || m.draining !== draining;
    m.active = active;
    m.held = held;
    m.draining = draining;
    if (active && freeSlots(m) > 0) this.#ready.add(m);
    else this.#ready.delete(m);
    if (changed) this.#reports.updated(m);
  }

  #lose(m: Manager, reason: string): void {
    this.#managers.delete(m.id);
    this.#ready.delete(m);
    this.#forgotten.add(m.id);
    this.#o.logger.warn(
      `Pool ${m.id} on ${m.hostname} lost (${reason}); failing ${m.tasks.size} task(s)`,
    );
    for (const id of m.tasks) {
      this.#owner.delete(id);
      const error = new ManagerLost(m.id, m.hostname, reason);
      this.#o.toExecutor({ k: "result", id, b: failedOutcome(error) });
    }
    m.tasks.clear();
    m.outstanding = 0;
    this.#reports.lost(m, reason);
    this.#scheduleSoon();
  }

  #scheduleSoon(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#queue.size === 0 || this.#ready.size === 0) return;
    if ((this.#o.executorBacklog?.() ?? 0) > EXECUTOR_BACKLOG_LIMIT) {
      // Checked again shortly: the link has no event for its backlog shrinking.
      this.#backlogTimer ??= setTimeout(() => {
        this.#backlogTimer = undefined;
        this.#scheduleSoon();
      }, 2);
      return;
    }
    let free = 0;
    for (const m of this.#ready) free += freeSlots(m);
    // A task needs its expected running time, or its walltime, before the pool's block ends.
    const taken = this.#queue.take(free);
    const now = Date.now();
    for (const m of this.#ready) {
      if (m.endsAt !== undefined) m.walltimeRemaining = (m.endsAt - now) / 1000;
    }
    const byId = new Map<number, StoredTask>();
    for (const t of taken) byId.set(t.id, t);
    const assignments: Assignment[] = matchTasks(taken, [...this.#ready], this.#o.selector);
    const busy = new Set<Manager>();
    for (const a of assignments) {
      const m = this.#managers.get(a.managerId)!;
      const task = byId.get(a.taskId)!;
      byId.delete(a.taskId);
      // Written into the pool's frame from its record.
      m.link.send(this.#queue.message(task));
      this.#queue.release(task.ref);
      m.tasks.add(task.id);
      if (m.outstanding++ === 0) busy.add(m);
      this.#owner.set(task.id, m);
      if (freeSlots(m) === 0) this.#ready.delete(m);
    }
    this.dispatched += assignments.length;
    for (const m of busy) this.#reports.busyOrIdle(m);
    if (byId.size > 0) this.#queue.restore([...byId.values()]);
  }
}
