/**
 * The pool's `running` reports (a worker started a task), held for a moment: a task that ends
 * within the hold carries its start time on its result instead, so a short task costs one
 * message through the interchange and the driver, not two. A task still running when the hold
 * ends is reported then, so a live view sees it running at most `holdMs` late. That moment is
 * also when the pool takes a task's first resource sample (`onReported`): like the first sample
 * of Parsl's forked monitor, which a task that ends before the monitor is up never gets.
 *
 * @module
 */
import { wallClockMs } from "../dfk/clock.ts";
import type { RunningMsg } from "../interchange/protocol.ts";

/** How long a `running` report may wait for its task's result, ms. */
export const RUNNING_HOLD_MS = 50;

/** Where a task ran and when it started, as carried on its result. */
export interface StartStamp {
  /** When the worker started it (ms epoch). */
  started: number;
  /** Worker within the pool. */
  workerId: number;
}

/**
 * Held `running` reports of one pool.
 *
 * @example
 * ```ts
 * import { RunningReports } from "./running_reports.ts";
 * import assert from "node:assert/strict";
 * const sent: unknown[] = [];
 * const reports = new RunningReports((m) => sent.push(m));
 * reports.started(7, 0);
 * const stamp = reports.ended(7); // finished within the hold: no message, a stamp instead
 * assert(stamp?.workerId === 0 && sent.length === 0);
 * reports.stop();
 * ```
 */
export class RunningReports {
  readonly #send: (m: RunningMsg) => void;
  readonly #holdMs: number;
  readonly #held = new Map<number, StartStamp>();
  readonly #onReported?: (id: number, workerId: number) => void;
  #timer?: ReturnType<typeof setTimeout>;

  /**
   * Creates an empty set of reports.
   * @param send Sends a `running` message to the interchange.
   * @param holdMs How long a report may wait.
   * @param onReported Called after a task still running at the end of the hold was reported.
   */
  constructor(
    send: (m: RunningMsg) => void,
    holdMs: number = RUNNING_HOLD_MS,
    onReported?: (id: number, workerId: number) => void,
  ) {
    this.#send = send;
    this.#holdMs = holdMs;
    this.#onReported = onReported;
  }

  /**
   * A worker started a task.
   * @param id The task.
   * @param workerId The worker.
   */
  started(id: number, workerId: number): void {
    this.#held.set(id, { started: wallClockMs(), workerId });
    this.#timer ??= setTimeout(() => this.#flush(), this.#holdMs);
  }

  /**
   * A task ended (result, failure or loss).
   * @param id The task.
   * @returns Its start, when not yet reported: the caller puts it on the result.
   */
  ended(id: number): StartStamp | undefined {
    const stamp = this.#held.get(id);
    if (stamp) this.#held.delete(id);
    return stamp;
  }

  /** Drops held reports and the timer (the pool is stopping). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#held.clear();
  }

  #flush(): void {
    this.#timer = undefined;
    for (const [id, s] of this.#held) {
      this.#send({ k: "running", id, state: "running", time: s.started, workerId: s.workerId });
      this.#onReported?.(id, s.workerId);
    }
    this.#held.clear();
  }
}
