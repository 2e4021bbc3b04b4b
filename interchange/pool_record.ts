/**
 * The interchange's record of one registered pool (manager), made from its registration, and
 * the summary of it that the executor and monitoring see.
 *
 * @module
 */
import type { ManagerView } from "./matching.ts";
import type { InterchangeToManager, ManagerInfo, RegisterMsg } from "./protocol.ts";
import type { EncodedMessage } from "./wire_codec.ts";

/** A connection to a pool, as the interchange uses it. */
export interface ManagerLink {
  /**
   * Queues a message (coalesced into frames by the link); a task goes as the executor's bytes.
   */
  send(msg: InterchangeToManager | EncodedMessage): void;
  /** Closes the connection (after flushing what was sent). */
  close(): void;
  /** Peer address, for logs. */
  readonly peer: string;
}

/** A registered pool, as the interchange tracks it. */
export interface Manager extends ManagerView {
  /** Its host. */
  hostname: string;
  /** Its Deno version. */
  denoVersion: string;
  /** Block end, ms since the epoch, when the pool knows it. */
  endsAt?: number;
  /** CPUs of its node. */
  cpuCount: number;
  /** Memory of its node, bytes. */
  totalMemory: number;
  /** Ids of the tasks it holds. */
  tasks: Set<number>;
  /** Its connection. */
  link: ManagerLink;
  /** Held by the executor (takes no tasks). */
  held: boolean;
  /** Finishing its tasks before it exits. */
  draining: boolean;
}

/**
 * The record of a pool that just registered.
 *
 * @param r Its (checked) registration.
 * @param link Its connection.
 * @returns The record: active, idle, holding nothing.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs a pool's registration and its link; tests/interchange/ drive it with fake links.
 * const m = newManager(registerMsg, link);
 * ```
 */
export function newManager(r: RegisterMsg, link: ManagerLink): Manager {
  return {
    id: r.managerId,
    blockId: r.blockId,
    hostname: r.hostname,
    workerCount: Math.max(0, Math.floor(r.workerCount)),
    prefetchCapacity: Math.max(0, Math.floor(r.prefetchCapacity)),
    cpuCount: r.cpuCount,
    totalMemory: r.totalMemory,
    denoVersion: r.denoVersion,
    endsAt: r.blockEndTime ? r.blockEndTime * 1000 : undefined,
    outstanding: 0,
    active: true,
    held: false,
    draining: false,
    idleSince: Date.now(),
    tasks: new Set(),
    link,
  };
}

/**
 * What the executor and monitoring see of a pool.
 *
 * @param m The pool.
 * @param now The time, ms since the epoch.
 * @returns Its summary.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs a registered pool; tests/interchange/ drive it with fake links.
 * toExecutor({ k: "node", manager: managerInfo(m, Date.now()), event: "registered" });
 * ```
 */
export function managerInfo(m: Manager, now: number): ManagerInfo {
  return {
    managerId: m.id,
    hostname: m.hostname,
    blockId: m.blockId,
    workerCount: m.workerCount,
    cpuCount: m.cpuCount,
    totalMemory: m.totalMemory,
    outstanding: m.outstanding,
    idleSeconds: m.outstanding > 0 ? 0 : (now - m.idleSince) / 1000,
    active: m.active,
    draining: m.draining,
    denoVersion: m.denoVersion,
    walltimeRemaining: m.endsAt === undefined ? undefined : (m.endsAt - now) / 1000,
  };
}
