/**
 * The blocks of a HighThroughputExecutor: submitting them through the provider, tracking their
 * status, and cancelling them; each change becomes a monitoring `block` event, so a block's rows
 * follow its life as Parsl's do: `PENDING` when submitted, what the provider reports as it
 * changes (`RUNNING`, `COMPLETED`, `FAILED`, …), and `SCALED_IN` when tsflow cancels it (by the
 * scaling strategy or at shutdown), after which the provider's `CANCELLED` is not recorded.
 *
 * @module
 */
import { wallClockMs } from "../dfk/clock.ts";
import type { BlockEvent } from "../dfk/monitoring_event.ts";
import {
  type ExecutionProvider,
  type JobStatus,
  TERMINAL_JOB_STATES,
} from "../providers/execution_provider.ts";

/** A block's record. */
export interface BlockRecord {
  /** The provider's job id, once submitted. */
  jobId?: string;
  /** Latest status. */
  status: JobStatus;
}

/** What the block table needs from its executor. */
export interface BlockHost {
  /** Executor label. */
  label: string;
  /** Shell command line starting one pool of the given block. */
  commandLine(blockId: string): string;
  /** Emits a monitoring event (without runId; the host adds it). */
  emit(e: Omit<BlockEvent, "runId">): void;
  /** Logs an error. */
  error(msg: string): void;
}

/**
 * Blocks by id.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs a running executor host and a provider's blocks (tests/interchange/htex_blocks_test.ts).
 * const blocks = new BlockTable(provider, host);
 * const [id] = await blocks.scaleOut(1);
 * await blocks.cancel([id]);
 * ```
 */
export class BlockTable {
  #provider: ExecutionProvider;
  #host: BlockHost;
  #seq = 0;
  /** Blocks by id. */
  readonly blocks: Map<string, BlockRecord> = new Map();

  /**
   * @param provider Where blocks come from.
   * @param host The executor's side.
   */
  constructor(provider: ExecutionProvider, host: BlockHost) {
    this.#provider = provider;
    this.#host = host;
  }

  /** Job ids of every submitted block. */
  jobIds(): string[] {
    return [...this.blocks.values()].map((b) => b.jobId).filter((j): j is string => !!j);
  }

  /**
   * Submits `n` blocks at once.
   * @param n How many.
   * @returns Their ids.
   */
  async scaleOut(n: number): Promise<string[]> {
    const ids = Array.from({ length: n }, () => String(this.#seq++));
    await Promise.all(ids.map(async (blockId) => {
      this.blocks.set(blockId, { status: { state: "PENDING" } });
      const name = `tsflow.${this.#host.label}.block.${blockId}`;
      try {
        const cmd = this.#host.commandLine(blockId);
        // One pool (manager) per node, as Parsl: the pool starts the node's workers itself.
        const jobId = await this.#provider.submit(cmd, 1, name);
        this.blocks.set(blockId, { jobId, status: { state: "PENDING" } });
        this.#emit(blockId, jobId, "PENDING");
      } catch (e) {
        const message = (e as Error).message;
        this.blocks.set(blockId, { status: { state: "FAILED", message } });
        this.#emit(blockId, undefined, "FAILED");
        this.#host.error(`Block ${blockId} could not be submitted: ${message}`);
      }
    }));
    return ids;
  }

  /**
   * Cancels blocks: they become `SCALED_IN` (Parsl's state for a block ended on purpose).
   * @param blockIds Blocks to cancel.
   */
  async cancel(blockIds: string[]): Promise<void> {
    const jobs = blockIds.map((id) => this.blocks.get(id)?.jobId).filter((j): j is string => !!j);
    if (jobs.length > 0) await this.#provider.cancel(jobs);
    for (const id of blockIds) {
      const b = this.blocks.get(id);
      if (!b || b.status.state === "SCALED_IN") continue;
      b.status = { state: "SCALED_IN" };
      this.#emit(id, b.jobId, "SCALED_IN");
    }
  }

  /**
   * Cancels every block not yet ended (at shutdown, as Parsl scales in all its blocks then).
   * @returns When the provider has been asked.
   */
  async cancelAll(): Promise<void> {
    // Every job is asked to end (a block the provider called ended may still hold a process);
    // only blocks not yet ended get a SCALED_IN row, as Parsl records them.
    const jobs = this.jobIds();
    if (jobs.length > 0) await this.#provider.cancel(jobs);
    for (const [id, b] of this.blocks) {
      if (TERMINAL_JOB_STATES.has(b.status.state)) continue;
      b.status = { state: "SCALED_IN" };
      this.#emit(id, b.jobId, "SCALED_IN");
    }
  }

  /** Refreshes statuses from the provider (a scaled-in block keeps `SCALED_IN`). */
  async poll(): Promise<void> {
    const live = [...this.blocks.entries()].filter(([, b]) =>
      b.jobId && b.status.state !== "SCALED_IN"
    );
    if (live.length === 0) return;
    const st = await this.#provider.status(live.map(([, b]) => b.jobId!));
    live.forEach(([id, b], i) => {
      if (b.status.state !== st[i].state) this.#emit(id, b.jobId, st[i].state);
      b.status = st[i];
    });
  }

  #emit(blockId: string, jobId: string | undefined, status: string): void {
    this.#host.emit({
      type: "block",
      executor: this.#host.label,
      blockId,
      jobId,
      status,
      time: wallClockMs(), // microseconds, as Parsl's datetime.now()
    });
  }
}
