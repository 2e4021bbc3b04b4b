/**
 * What the executor hears about the interchange's pools (`node` messages, which keep its
 * `managers()` current and make monitoring's `node` rows): a registration, a hold or drain and a
 * loss at once, a busy/idle change within {@linkcode BUSY_IDLE_REPORT_MS}.
 *
 * @module
 */
import { type Manager, managerInfo } from "./pool_record.ts";
import type { InterchangeToExecutor } from "./protocol.ts";

/**
 * How long (ms) a pool's busy/idle change may wait before the executor hears of it. Changes in
 * that window go as one report of the pool's state at its end: a pool running short tasks one
 * after another flips twice per task, and a report per flip cost every round trip an extra
 * message to the driver. The scaling strategy reading busy/idle polls seconds apart (Parsl's
 * `strategy_period`, 5 s).
 */
export const BUSY_IDLE_REPORT_MS = 50;

/**
 * The interchange's reports of its pools to the executor.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs a registered pool (tests/interchange/ drive the interchange).
 * const reports = new PoolReports(toExecutor, (m) => managers.get(m.id) === m);
 * reports.registered(m);
 * reports.busyOrIdle(m); // within 50 ms
 * ```
 */
export class PoolReports {
  readonly #send: (msg: InterchangeToExecutor) => void;
  readonly #current: (m: Manager) => boolean;
  /** Pools whose busy/idle change the executor has not heard of yet. */
  #pending = new Set<Manager>();
  #timer?: ReturnType<typeof setTimeout>;

  /**
   * Creates the reports.
   * @param send Sends a message to the executor.
   * @param current Whether a pool is still registered (a report of a lost one is dropped).
   */
  constructor(send: (msg: InterchangeToExecutor) => void, current: (m: Manager) => boolean) {
    this.#send = send;
    this.#current = current;
  }

  /**
   * A pool registered.
   * @param m The pool.
   */
  registered(m: Manager): void {
    this.#send({ k: "node", manager: managerInfo(m, Date.now()), event: "registered" });
  }

  /**
   * A pool changed (held or draining): reported at once, with all there is to know of it.
   * @param m The pool.
   */
  updated(m: Manager): void {
    this.#pending.delete(m);
    this.#send({ k: "node", manager: managerInfo(m, Date.now()), event: "updated" });
  }

  /**
   * A pool went busy or idle: reported within {@linkcode BUSY_IDLE_REPORT_MS}.
   * @param m The pool.
   */
  busyOrIdle(m: Manager): void {
    this.#pending.add(m);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      const pools = [...this.#pending];
      this.#pending.clear();
      for (const p of pools) if (this.#current(p)) this.updated(p);
    }, BUSY_IDLE_REPORT_MS);
  }

  /**
   * A pool was lost.
   * @param m The pool.
   * @param reason Why.
   */
  lost(m: Manager, reason: string): void {
    this.#pending.delete(m);
    this.#send({ k: "node", manager: managerInfo(m, Date.now()), event: "lost", reason });
  }

  /** Drops what is pending (the interchange is stopping). */
  stop(): void {
    this.#pending.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
