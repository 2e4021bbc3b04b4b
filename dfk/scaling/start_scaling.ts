/**
 * The job status poller and scaling loop (Parsl's `JobStatusPoller` + `Strategy`): every
 * `strategyPeriod` it refreshes each executor's block statuses, fails executors whose blocks keep
 * dying before a pool connects, and applies the strategy's decision.
 *
 * @module
 */
import type { ScalableExecutor } from "./scalable_executor.ts";
import {
  type BlockView,
  decideScaling,
  type ScalingPolicy,
  type StrategyName,
} from "./decide_scaling.ts";
import {
  type BlockFailureState,
  newBlockFailureState,
  trackBlockFailures,
} from "./block_failures.ts";
import { ScaleOutFailed } from "./scale_out_failed.ts";
import type { ProviderLogger } from "../execution_provider.ts";

/** Options of {@linkcode startScaling}. */
export interface ScalingOptions {
  /** A strategy name or a policy function. @default "simple" */
  strategy?: StrategyName | ScalingPolicy;
  /** Seconds between rounds. @default 5 */
  strategyPeriod?: number;
  /** Seconds of idleness before blocks are removed. @default 120 */
  maxIdletime?: number;
  /**
   * Failed blocks in a row (none of whose pools connected) before the executor gives up; it holds
   * for every strategy, `"none"` included. @default max(1, the provider's initBlocks), Parsl's
   * `simple_error_handler` threshold
   */
  maxBlockFailures?: number;
  /** Where decisions and block history are logged. */
  logger?: ProviderLogger;
}

/** A running scaling loop. */
export interface ScalingHandle {
  /** Stops the loop, waiting for a round in progress. */
  stop(): Promise<void>;
  /** Runs one round now (tests, and the kernel at shutdown). */
  runOnce(): Promise<void>;
}

interface ExecutorMemory {
  idleSince?: number;
  since: Map<string, { state: string; since: number }>;
  connected: Set<string>;
  failures: BlockFailureState;
  failed: boolean;
}

/** Reads the end of a file, for error messages. */
async function tail(path: string | undefined, bytes = 4000): Promise<string> {
  if (!path) return "";
  try {
    const text = await Deno.readTextFile(path);
    return text.slice(-bytes);
  } catch {
    return "";
  }
}

/**
 * Starts scaling the given executors. Each round: `pollBlocks()`, the block history logged, block
 * failures counted (after `maxBlockFailures` in a row, by default max(1, initBlocks) as in Parsl,
 * the executor's outstanding tasks fail with
 * {@linkcode ScaleOutFailed} showing the last job's stderr, and it gets no more blocks), then the
 * strategy's scale-out/scale-in applied. Rounds never overlap; a failing round is logged and the
 * next one runs on time.
 *
 * @param executors Executors with blocks.
 * @param opts Options.
 * @returns A handle to stop it.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: scales a HighThroughputExecutor's blocks of real worker pools (tests/e2e/providers_local_scaling_test.ts).
 * const scaling = startScaling([htex], { strategy: "htex_auto_scale", strategyPeriod: 5, maxIdletime: 60 });
 * // ... workflow runs ...
 * await scaling.stop();
 * ```
 */
export function startScaling(
  executors: ScalableExecutor[],
  opts: ScalingOptions = {},
): ScalingHandle {
  const period = (opts.strategyPeriod ?? 5) * 1000;
  const policy: ScalingPolicy = typeof opts.strategy === "function" ? opts.strategy : decideScaling;
  const name: StrategyName = typeof opts.strategy === "string" ? opts.strategy : "simple";
  const maxIdletime = opts.maxIdletime ?? 120;
  const log = opts.logger;
  const memory = new Map<ScalableExecutor, ExecutorMemory>(
    executors.map((
      e,
    ) => [e, {
      since: new Map(),
      connected: new Set(),
      failures: newBlockFailureState(),
      failed: false,
    }]),
  );

  // Parsl's simple_error_handler: as many failures as blocks started at once, at least one.
  const failureThreshold = (ex: ScalableExecutor): number =>
    opts.maxBlockFailures ?? Math.max(1, ex.provider.options.initBlocks ?? 1);

  async function roundFor(ex: ScalableExecutor, mem: ExecutorMemory): Promise<void> {
    await ex.pollBlocks();
    const now = Date.now();
    for (const m of ex.managers()) mem.connected.add(m.blockId);
    const views: BlockView[] = [];
    for (const [blockId, b] of ex.blocks()) {
      const prev = mem.since.get(blockId);
      if (!prev || prev.state !== b.status.state) {
        mem.since.set(blockId, { state: b.status.state, since: now });
        log?.info(`Block history: executor ${ex.label} block ${blockId} is ${b.status.state}`, {
          jobId: b.jobId,
          message: b.status.message,
        });
      }
      views.push({ blockId, state: b.status.state, since: mem.since.get(blockId)!.since });
    }
    if (mem.failed) return;
    const failures = trackBlockFailures(mem.failures, ex.blocks(), mem.connected);
    if (failures >= failureThreshold(ex)) {
      mem.failed = true;
      const last = mem.failures.last;
      const stderr = (await tail(last?.status.stderrPath)) || (last?.status.message ?? "");
      const err = new ScaleOutFailed(
        ex.label,
        `${failures} blocks in a row ended before any worker pool connected (last: block ${last?.blockId}, ` +
          `${last?.status.state}${
            last?.status.exitCode !== undefined ? `, exit code ${last.status.exitCode}` : ""
          })`,
        stderr,
      );
      log?.error(err.message);
      if (ex.failAll) ex.failAll(err);
      else {log?.error(
          `Executor ${ex.label} cannot fail its tasks (no failAll); it gets no more blocks`,
        );}
      return;
    }
    const p = ex.provider.options;
    const d = policy({
      strategy: name,
      now,
      outstanding: ex.outstanding(),
      slotsPerBlock: ex.slotsPerBlock(),
      parallelism: p.parallelism,
      minBlocks: p.minBlocks,
      maxBlocks: p.maxBlocks,
      maxIdletime,
      blocks: views,
      managers: ex.managers(),
      idleSince: mem.idleSince,
    });
    mem.idleSince = d.idleSince;
    if (d.scaleIn.length > 0) {
      log?.info(`Scaling in executor ${ex.label}: blocks ${d.scaleIn.join(",")} (${d.reason})`);
      await ex.scaleIn(d.scaleIn);
    }
    if (d.scaleOut > 0) {
      log?.info(`Scaling out executor ${ex.label} by ${d.scaleOut} blocks (${d.reason})`);
      await ex.scaleOut(d.scaleOut);
    }
  }

  // Each executor has its own round in flight, so a slow scheduler delays only its executor.
  const inFlight = new Map<ScalableExecutor, Promise<void>>();
  let stopped = false;
  const roundOf = (ex: ScalableExecutor, mem: ExecutorMemory): Promise<void> => {
    let p = inFlight.get(ex);
    if (!p) {
      p = roundFor(ex, mem)
        .catch((e) =>
          log?.error(`Scaling round for executor ${ex.label} failed: ${(e as Error).message}`)
        )
        .finally(() => inFlight.delete(ex));
      inFlight.set(ex, p);
    }
    return p;
  };
  const runOnce = async (): Promise<void> => {
    await Promise.all([...memory].map(([ex, mem]) => roundOf(ex, mem)));
  };
  const timer = setInterval(() => {
    if (!stopped) { for (const [ex, mem] of memory) void roundOf(ex, mem); }
  }, period);
  log?.info(
    `Scaling started: strategy ${typeof opts.strategy === "function" ? "custom" : name}, period ${
      period / 1000
    } s`,
  );
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all(inFlight.values());
    },
  };
}
