/**
 * The settings of a worker pool's manager ({@linkcode PoolOptions}): where the interchange is,
 * how the pool keeps in touch with it, how it places and starts its workers, and what it reports.
 * `worker_pool_main.ts` fills them in from the worker mode's flags.
 *
 * @module
 */
import type { Logger } from "../dfk/logger.ts";
import type { PoolIdentity } from "./connect.ts";

/** Settings of a pool manager (`PoolManager`). */
export interface PoolOptions extends PoolIdentity {
  /** The interchange's `HOST:PORT`s; the pool keeps the first that answers. */
  interchange: string[];
  /** Seconds to find an address of the interchange that answers. */
  addressProbeTimeout: number;
  /** Seconds between heartbeats. */
  heartbeatPeriod: number;
  /** Seconds of interchange silence before the pool gives up. */
  heartbeatThreshold: number;
  /** Seconds after which the pool drains and exits (0: never). */
  drainPeriod: number;
  /** `cpuAffinity` policy. */
  cpuAffinity: string;
  /** Accelerator ids, one per worker. */
  accelerators: string[];
  /** PEM of the run's CA: connect with TLS and trust only it. */
  caCert?: string;
  /** Largest frame body on the pool's links (the executor's `maxFrameBytes`). */
  maxFrameBytes: number;
  /** Seconds between resource samples of busy workers (0: off). */
  resourceInterval: number;
  /** Whether to report `running` events. */
  reportRunning: boolean;
  /**
   * Whether a task that ends before its running report carries its start on its result (else
   * the result goes on as the worker's bytes: no one records that start).
   * @default false
   */
  stampStarts?: boolean;
  /** argv that starts worker `id` connecting to `socket`. */
  workerArgv(id: number, socket: string): string[];
  /** Log. */
  logger: Logger;
}
