/**
 * Counting blocks that fail before any of their pools connects, so an executor whose blocks
 * cannot start fails its tasks with the reason instead of resubmitting forever (Parsl #2851) or
 * waiting forever.
 *
 * @module
 */
import type { JobStatus } from "../execution_provider.ts";

/** The tracker's memory between rounds. */
export interface BlockFailureState {
  /** Blocks already judged (failed or proven good). */
  judged: Set<string>;
  /** Failed blocks in a row, since the last block whose pool connected. */
  consecutive: number;
  /** The last failed block and its status. */
  last?: { blockId: string; status: JobStatus };
}

/**
 * A fresh tracker state.
 *
 * @returns Empty state.
 *
 * @example
 * ```ts
 * import { newBlockFailureState } from "./block_failures.ts";
 * import assert from "node:assert/strict";
 * assert(newBlockFailureState().consecutive === 0);
 * ```
 */
export function newBlockFailureState(): BlockFailureState {
  return { judged: new Set(), consecutive: 0 };
}

const BAD = new Set(["FAILED", "TIMEOUT", "MISSING", "COMPLETED"]);

/**
 * Updates the count from the blocks' latest statuses. A block counts as failed when it ended
 * (failed, timed out, vanished, or even exited 0) without any pool of it ever connecting; a
 * block with a connected pool resets the count. Cancelled blocks are neither.
 *
 * @param state Tracker state (updated in place).
 * @param blocks Blocks by id.
 * @param connected Block ids that have had a pool connect.
 * @returns The number of consecutive failed blocks.
 *
 * @example
 * ```ts
 * import { newBlockFailureState, trackBlockFailures } from "./block_failures.ts";
 * import assert from "node:assert/strict";
 * const s = newBlockFailureState();
 * const n = trackBlockFailures(s, new Map([["0", { status: { state: "FAILED" as const } }]]), new Set());
 * assert(n === 1);
 * ```
 */
export function trackBlockFailures(
  state: BlockFailureState,
  blocks: ReadonlyMap<string, { status: JobStatus }>,
  connected: ReadonlySet<string>,
): number {
  const ids = [...blocks.keys()].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  for (const id of ids) {
    if (state.judged.has(id)) continue;
    if (connected.has(id)) {
      state.judged.add(id);
      state.consecutive = 0;
      continue;
    }
    const st = blocks.get(id)!.status;
    if (BAD.has(st.state)) {
      state.judged.add(id);
      state.consecutive++;
      state.last = { blockId: id, status: st };
    } else if (st.state === "CANCELLED" || st.state === "SCALED_IN") state.judged.add(id);
  }
  return state.consecutive;
}
