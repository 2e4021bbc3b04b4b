/**
 * The scaling decision as a pure function of an executor's load, blocks and pools: Parsl's
 * `simple` and `htex_auto_scale` strategies, with scale-in sized so it can never trigger the next
 * round's scale-out (no in/out loop, Parsl #3696) and several idle blocks removed at once
 * (Parsl #2195).
 *
 * @module
 */
import type { JobState } from "../execution_provider.ts";
import type { ManagerSummary } from "./scalable_executor.ts";

/** Built-in strategy names, as Parsl's. */
export type StrategyName = "none" | "simple" | "htex_auto_scale";

/** A block as the decision sees it. */
export interface BlockView {
  /** Block id. */
  blockId: string;
  /** Latest state. */
  state: JobState;
  /** When it entered that state (epoch ms), as first noticed. */
  since: number;
}

/** Everything one decision needs. */
export interface ScalingInput {
  /** Which strategy. */
  strategy: StrategyName;
  /** Now (epoch ms). */
  now: number;
  /** Tasks submitted and not returned. */
  outstanding: number;
  /** Worker slots one block brings. */
  slotsPerBlock: number;
  /** Provider's `parallelism` (0..1). */
  parallelism: number;
  /** Provider's `minBlocks`. */
  minBlocks: number;
  /** Provider's `maxBlocks`. */
  maxBlocks: number;
  /** Seconds of idleness before blocks are removed. */
  maxIdletime: number;
  /** Every block the executor knows. */
  blocks: BlockView[];
  /** Connected pools. */
  managers: ManagerSummary[];
  /** Since when the executor has had no tasks (epoch ms), from the previous decision. */
  idleSince?: number;
}

/** What to do. */
export interface ScalingDecision {
  /** Blocks to submit. */
  scaleOut: number;
  /** Blocks to cancel. */
  scaleIn: string[];
  /** Carry to the next decision's `idleSince`. */
  idleSince?: number;
  /** Which case applied, for the log. */
  reason: string;
}

/** A custom policy: any function from input to decision. */
export type ScalingPolicy = (input: ScalingInput) => ScalingDecision;

const ACTIVE: ReadonlySet<JobState> = new Set<JobState>(["PENDING", "RUNNING"]);
/** Blocks that may still run: they bring no slots, but count against `maxBlocks`. */
const LIVE: ReadonlySet<JobState> = new Set<JobState>(["PENDING", "RUNNING", "HELD", "UNKNOWN"]);

/**
 * Blocks that may be removed, best first: blocks with no pool that have waited `maxIdletime`
 * (queued or starting), then blocks whose every pool is idle, longest idle first. Blocks with a
 * busy pool are never chosen.
 */
function idleBlocks(input: ScalingInput, active: BlockView[], requireIdleFor: number): string[] {
  const byBlock = new Map<string, ManagerSummary[]>();
  for (const m of input.managers) byBlock.set(m.blockId, [...(byBlock.get(m.blockId) ?? []), m]);
  const scored: { id: string; score: number }[] = [];
  for (const b of active) {
    const ms = byBlock.get(b.blockId) ?? [];
    if (ms.length === 0) {
      const waited = (input.now - b.since) / 1000;
      if (waited >= requireIdleFor) scored.push({ id: b.blockId, score: Infinity });
      continue;
    }
    if (ms.some((m) => m.outstanding > 0)) continue;
    const idle = Math.min(...ms.map((m) => m.idleSeconds));
    if (idle >= requireIdleFor) scored.push({ id: b.blockId, score: idle });
  }
  return scored.sort((a, b) => b.score - a.score).map((s) => s.id);
}

/**
 * Decides how many blocks to add and which to remove.
 *
 * - No tasks: after `maxIdletime` of no tasks, remove blocks down to `minBlocks` (all strategies
 *   but `none`), several at once.
 * - Slots below `outstanding × parallelism`: add `ceil` of the missing slots in blocks, up to
 *   `maxBlocks`; with `parallelism` 0 one block when there is none.
 * - More slots than tasks (`htex_auto_scale` only): remove `floor` of the excess slots in blocks
 *   — so the slots left still cover the tasks and the next round does not scale out again — and
 *   only blocks idle for `maxIdletime`.
 *
 * @param input The executor's state.
 * @returns The decision.
 *
 * @example
 * ```ts
 * import { decideScaling } from "./decide_scaling.ts";
 * import assert from "node:assert/strict";
 * const d = decideScaling({ strategy: "simple", now: 0, outstanding: 10, slotsPerBlock: 4,
 *   parallelism: 1, minBlocks: 0, maxBlocks: 5, maxIdletime: 120, blocks: [], managers: [] });
 * assert(d.scaleOut === 3);
 * ```
 */
export function decideScaling(input: ScalingInput): ScalingDecision {
  const none = (reason: string, idleSince?: number): ScalingDecision => ({
    scaleOut: 0,
    scaleIn: [],
    idleSince,
    reason,
  });
  if (input.strategy === "none") return none("strategy none");
  const active = input.blocks.filter((b) => ACTIVE.has(b.state));
  const slots = active.length * input.slotsPerBlock;
  const tasks = input.outstanding;
  const perBlock = Math.max(1, input.slotsPerBlock);

  if (tasks === 0) {
    if (active.length <= input.minBlocks) return none("no tasks, at minBlocks");
    const idleSince = input.idleSince ?? input.now;
    if ((input.now - idleSince) / 1000 < input.maxIdletime) {
      return none("no tasks, waiting for maxIdletime", idleSince);
    }
    const excess = active.length - input.minBlocks;
    // Idle for maxIdletime as an executor: every block may go, idle pools first.
    const order = idleBlocks(input, active, 0);
    const rest = active.map((b) => b.blockId).filter((id) => !order.includes(id));
    return {
      scaleOut: 0,
      scaleIn: [...order, ...rest].slice(0, excess),
      idleSince,
      reason: "no tasks for maxIdletime",
    };
  }

  if (slots === 0 || slots / tasks < input.parallelism) {
    // Held or unknown blocks bring no slots but still hold a place in the queue: a scheduler
    // that cannot answer must not make us submit past maxBlocks.
    const live = input.blocks.filter((b) => LIVE.has(b.state)).length;
    if (live >= input.maxBlocks) return none("overloaded, at maxBlocks");
    let want: number;
    if (slots === 0 && input.parallelism * tasks < 1) want = 1;
    else want = Math.ceil(Math.ceil(tasks * input.parallelism - slots) / perBlock);
    want = Math.max(1, Math.min(want, input.maxBlocks - live));
    return { scaleOut: want, scaleIn: [], reason: `overloaded: ${slots} slots for ${tasks} tasks` };
  }

  if (input.strategy === "htex_auto_scale" && slots > tasks && active.length > input.minBlocks) {
    const excessSlots = slots - Math.ceil(tasks * input.parallelism);
    const excess = Math.min(Math.floor(excessSlots / perBlock), active.length - input.minBlocks);
    if (excess <= 0) return none("slots match tasks");
    const chosen = idleBlocks(input, active, input.maxIdletime).slice(0, excess);
    if (chosen.length === 0) return none("excess blocks, none idle for maxIdletime");
    return {
      scaleOut: 0,
      scaleIn: chosen,
      reason: `underloaded: ${slots} slots for ${tasks} tasks`,
    };
  }
  return none("slots match tasks");
}
