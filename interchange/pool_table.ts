/**
 * The driver's view of the worker pools connected to its interchange, kept current from the
 * interchange's `node` and `managers` messages, and the `node` monitoring rows those changes make.
 *
 * @module
 */
import type { ManagerSummary } from "../dfk/scaling/scalable_executor.ts";
import type { MonitoringEvent } from "../dfk/monitoring_event.ts";
import { nodeEvent } from "./htex_events.ts";
import type { InterchangeToExecutor, ManagerInfo } from "./protocol.ts";

type NodeMessage = Extract<InterchangeToExecutor, { k: "node" }>;

/**
 * Pools as the interchange last reported them, with when each report arrived.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { PoolTable } from "./pool_table.ts";
 * const pools = new PoolTable("htex");
 * const manager = {
 *   managerId: "m1", hostname: "h", blockId: "0", workerCount: 2, cpuCount: 2,
 *   totalMemory: 1, outstanding: 0, idleSeconds: 0, active: true, draining: false,
 * };
 * const row = pools.node("run", { k: "node", manager, event: "registered" });
 * assert.equal(row?.type, "node");
 * assert.equal(pools.summaries()[0].managerId, "m1");
 * ```
 */
export class PoolTable {
  #label: string;
  #pools = new Map<string, { info: ManagerInfo; at: number }>();

  /**
   * Creates an empty table.
   * @param label Executor label, for the node rows.
   */
  constructor(label: string) {
    this.#label = label;
  }

  /**
   * Applies a pool's registration, loss or change.
   * @param runId Run id, for the node row.
   * @param m The interchange's `node` message.
   * @returns The node row to record, when the pool came, went or stopped taking tasks.
   */
  node(runId: string, m: NodeMessage): MonitoringEvent | undefined {
    const i = m.manager;
    const before = this.#pools.get(i.managerId)?.info;
    if (m.event === "lost") this.#pools.delete(i.managerId);
    else this.#pools.set(i.managerId, { info: i, at: Date.now() });
    if (m.event === "updated" && before?.active === i.active) return undefined;
    return nodeEvent(runId, this.#label, i, m.event !== "lost" && i.active, m.reason);
  }

  /**
   * Replaces the table with the interchange's list of every registered pool.
   * @param managers The pools.
   */
  replace(managers: ManagerInfo[]): void {
    const at = Date.now();
    this.#pools = new Map(managers.map((x) => [x.managerId, { info: x, at }]));
  }

  /**
   * Connected pools as the scaling strategy sees them (Parsl's `connected_managers()`).
   * @returns One summary per pool.
   */
  summaries(): ManagerSummary[] {
    const now = Date.now();
    return [...this.#pools.values()].map(({ info: m, at }) => ({
      managerId: m.managerId,
      blockId: m.blockId,
      workerCount: m.workerCount,
      outstanding: m.outstanding,
      // Idle time keeps growing after the report that said the pool was idle.
      idleSeconds: m.outstanding > 0 ? 0 : m.idleSeconds + (now - at) / 1000,
      active: m.active,
      draining: m.draining,
    }));
  }

  /**
   * Empties the table at the run's end.
   * @param runId Run id, for the node rows.
   * @returns A node row per pool still connected, saying it left (active = 0).
   */
  endRun(runId: string): MonitoringEvent[] {
    const rows = [...this.#pools.values()].map(({ info }) =>
      nodeEvent(runId, this.#label, info, false, "run ended")
    );
    this.#pools.clear();
    return rows;
  }
}
