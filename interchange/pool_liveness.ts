/**
 * Which pool connections are alive: when each was last heard from and, once per heartbeat
 * period, which have been silent past the threshold (Parsl's interchange expires such managers),
 * while the others get the interchange's heartbeat.
 *
 * @module
 */
import type { ManagerLink } from "./pool_record.ts";

/**
 * When each pool connection was last heard from.
 *
 * @example
 * ```ts
 * import { PoolLiveness } from "./pool_liveness.ts";
 * import assert from "node:assert/strict";
 * const sent: unknown[] = [];
 * const link = (peer: string) => ({ peer, send: (m: unknown) => sent.push(m), close() {} });
 * const quiet = link("a"), talking = link("b");
 * const live = new PoolLiveness();
 * live.seen(quiet, 0);
 * live.seen(talking, 9_000);
 * assert.deepEqual(live.sweep(10_000, 5_000), [quiet]);
 * assert.deepEqual(sent, [{ k: "hb" }]); // to the one still talking
 * assert.deepEqual(live.sweep(10_000, 5_000), []); // a silent link is reported once
 * ```
 */
export class PoolLiveness {
  #lastSeen = new Map<ManagerLink, number>();

  /**
   * Notes that a connection was heard from.
   * @param link The connection.
   * @param now Current time (ms).
   */
  seen(link: ManagerLink, now: number = Date.now()): void {
    this.#lastSeen.set(link, now);
  }

  /**
   * Stops watching a connection (it ended).
   * @param link The connection.
   */
  forget(link: ManagerLink): void {
    this.#lastSeen.delete(link);
  }

  /**
   * Sends a heartbeat on each connection heard from within `limitMs`, and returns the others,
   * no longer watched: the caller declares their pools lost and closes them.
   * @param now Current time (ms).
   * @param limitMs Longest silence allowed.
   * @returns The silent connections.
   */
  sweep(now: number, limitMs: number): ManagerLink[] {
    const silent: ManagerLink[] = [];
    for (const [link, seen] of this.#lastSeen) {
      if (now - seen > limitMs) {
        this.#lastSeen.delete(link);
        silent.push(link);
      } else {
        link.send({ k: "hb" });
      }
    }
    return silent;
  }
}
