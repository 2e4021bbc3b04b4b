/**
 * What a scaling strategy needs from an executor that runs on blocks (Parsl's
 * `BlockProviderExecutor`): its provider, its blocks, its load, and the means to add and remove
 * blocks. The HighThroughputExecutor implements it; strategies in this folder consume it.
 *
 * @module
 */
import type { ExecutionProvider, JobStatus } from "../execution_provider.ts";

/** A connected worker pool as the strategy sees it. */
export interface ManagerSummary {
  /** Manager id. */
  managerId: string;
  /** Block the pool belongs to. */
  blockId: string;
  /** Worker slots. */
  workerCount: number;
  /** Tasks it holds now. */
  outstanding: number;
  /** Seconds since its last task finished, or since it registered (0 while busy). */
  idleSeconds: number;
  /** Whether it still accepts tasks. */
  active: boolean;
  /** Whether it is finishing its tasks before it exits (drained). @default false */
  draining?: boolean;
}

/**
 * An executor with blocks.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs a HighThroughputExecutor with blocks of real worker pools (tests/e2e/).
 * if (ex.outstanding() > ex.slotsPerBlock() * ex.blocks().size) await ex.scaleOut(1);
 * ```
 */
export interface ScalableExecutor {
  /** Label. */
  readonly label: string;
  /** Its provider. */
  readonly provider: ExecutionProvider;
  /** Tasks submitted and not yet returned. */
  outstanding(): number;
  /** Worker slots one block brings (workers per node × nodes per block). */
  slotsPerBlock(): number;
  /** Blocks by block id, with their latest status. */
  blocks(): ReadonlyMap<string, { jobId?: string; status: JobStatus }>;
  /** Connected pools. */
  managers(): ManagerSummary[];
  /** Submits `n` blocks; returns their block ids. */
  scaleOut(n: number): Promise<string[]>;
  /** Cancels the given blocks (draining their pools first). */
  scaleIn(blockIds: string[]): Promise<void>;
  /** Polls the provider for the status of every live block. */
  pollBlocks(): Promise<void>;
  /**
   * Fails every outstanding task with `error` and refuses new ones (Parsl's
   * `set_bad_state_and_fail_all`); the scaling loop calls it when blocks keep failing before any
   * pool connects. Optional: without it the executor only stops getting blocks.
   */
  failAll?(error: Error): void;
}
