/**
 * Where each worker of a pool runs: how many workers a node gets, which CPUs each is pinned to
 * (`cpuAffinity`, via `taskset`) and which accelerator each sees (`availableAccelerators`,
 * via `CUDA_VISIBLE_DEVICES` / `ROCR_VISIBLE_DEVICES` / `ZE_AFFINITY_MASK`), and starting it
 * that way. Same rules as Parsl.
 *
 * @module
 */

/** Inputs to {@linkcode workerCount}. */
export interface WorkerCountInput {
  /** Upper bound (Parsl's `max_workers_per_node`). */
  maxWorkersPerNode: number;
  /** Cores each worker needs. */
  coresPerWorker: number;
  /** GB each worker needs (0: no limit). */
  memPerWorker: number;
  /** Accelerators (each worker gets one); empty: no limit. */
  accelerators: string[];
  /** CPUs on the node. */
  cpuCount: number;
  /** Memory on the node, GB. */
  memoryGb: number;
}

/**
 * Number of workers on this node: the smallest of the limits, at least 1.
 *
 * @param o Limits and node size.
 * @returns The worker count.
 *
 * @example
 * ```ts
 * import { workerCount } from "./placement.ts";
 * import assert from "node:assert/strict";
 * const n = workerCount({ maxWorkersPerNode: 8, coresPerWorker: 1, memPerWorker: 0, accelerators: ["0", "1"], cpuCount: 4, memoryGb: 8 });
 * assert(n === 2);
 * ```
 */
export function workerCount(o: WorkerCountInput): number {
  let n = o.maxWorkersPerNode > 0 ? o.maxWorkersPerNode : Infinity;
  if (o.coresPerWorker > 0) n = Math.min(n, Math.floor(o.cpuCount / o.coresPerWorker));
  if (o.memPerWorker > 0) n = Math.min(n, Math.floor(o.memoryGb / o.memPerWorker));
  if (o.accelerators.length > 0) n = Math.min(n, o.accelerators.length);
  if (!Number.isFinite(n)) n = o.cpuCount;
  return Math.max(1, n);
}

/**
 * CPUs for one worker under a `cpuAffinity` policy: `none`, `block`, `block-reverse`,
 * `alternating`, or `list:0,1:2,3` (a colon-separated list per worker).
 *
 * @param policy The policy.
 * @param worker The worker's index.
 * @param workers Number of workers.
 * @param cpuCount CPUs on the node.
 * @returns CPU ids, or undefined for no pinning.
 *
 * @example
 * ```ts
 * import { cpusFor } from "./placement.ts";
 * import assert from "node:assert/strict";
 * assert(cpusFor("block", 1, 2, 4)!.join() === "2,3");
 * assert(cpusFor("alternating", 1, 2, 4)!.join() === "1,3");
 * ```
 */
export function cpusFor(
  policy: string,
  worker: number,
  workers: number,
  cpuCount: number,
): number[] | undefined {
  if (!policy || policy === "none") return undefined;
  if (policy.startsWith("list:")) {
    const lists = policy.slice(5).split(":");
    const mine = lists[worker % lists.length];
    return mine.split(",").filter((s) => s !== "").map(Number);
  }
  const per = Math.max(1, Math.floor(cpuCount / workers));
  const out: number[] = [];
  for (let j = 0; j < per; j++) {
    if (policy === "block") out.push((worker * per + j) % cpuCount);
    else if (policy === "block-reverse") out.push(cpuCount - 1 - ((worker * per + j) % cpuCount));
    else if (policy === "alternating") out.push((worker + j * workers) % cpuCount);
    else {throw new Error(
        `Unknown cpuAffinity "${policy}": use none, block, block-reverse, alternating or list:...`,
      );}
  }
  return out;
}

/**
 * Environment for a worker that owns one accelerator.
 *
 * @param accelerator The accelerator id, or undefined.
 * @returns Variables to set.
 *
 * @example
 * ```ts
 * import { acceleratorEnv } from "./placement.ts";
 * import assert from "node:assert/strict";
 * assert(acceleratorEnv("1").CUDA_VISIBLE_DEVICES === "1");
 * ```
 */
export function acceleratorEnv(accelerator: string | undefined): Record<string, string> {
  if (accelerator === undefined) return {};
  return {
    CUDA_VISIBLE_DEVICES: accelerator,
    ROCR_VISIBLE_DEVICES: accelerator,
    ZE_AFFINITY_MASK: accelerator,
    TSFLOW_WORKER_ACCELERATOR: accelerator,
  };
}

/**
 * What a worker is told about itself, as Parsl's `PARSL_WORKER_RANK`, `PARSL_WORKER_COUNT`,
 * `PARSL_WORKER_POOL_ID` and `PARSL_WORKER_BLOCK_ID` (`TSFLOW_WORKER_ID` is the rank too).
 *
 * @param worker Its index (rank) in the pool.
 * @param workers Workers in the pool.
 * @param pool The pool's manager id and block id.
 * @returns The environment variables.
 *
 * @example
 * ```ts
 * import { workerEnv } from "./placement.ts";
 * import assert from "node:assert/strict";
 * const env = workerEnv(1, 4, { managerId: "m", blockId: "0" });
 * assert(env.TSFLOW_WORKER_RANK === "1" && env.TSFLOW_WORKER_COUNT === "4");
 * ```
 */
export function workerEnv(
  worker: number,
  workers: number,
  pool: { managerId: string; blockId: string },
): Record<string, string> {
  return {
    TSFLOW_WORKER_ID: String(worker),
    TSFLOW_WORKER_RANK: String(worker),
    TSFLOW_WORKER_COUNT: String(workers),
    TSFLOW_WORKER_POOL_ID: pool.managerId,
    TSFLOW_WORKER_BLOCK_ID: pool.blockId,
  };
}

/**
 * Starts one worker process, pinned to its CPUs (via `taskset`) and given its accelerator.
 *
 * @param argv The worker's command.
 * @param worker Its index.
 * @param workers Workers in the pool.
 * @param cpuAffinity The `cpuAffinity` policy.
 * @param accelerators Accelerator ids, one per worker.
 * @param pool The pool's manager id and block id, told to the worker (see {@linkcode workerEnv}).
 * @returns The child (stdout and stderr go to the pool's).
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: starts a worker process under a pool manager (tests/worker_pool/).
 * const child = spawnWorker(["deno", "run", "w.ts"], 0, 2, "block", [], { managerId, blockId });
 * ```
 */
export function spawnWorker(
  argv: string[],
  worker: number,
  workers: number,
  cpuAffinity: string,
  accelerators: string[],
  pool: { managerId: string; blockId: string },
): Deno.ChildProcess {
  const cpus = cpusFor(cpuAffinity, worker, workers, navigator.hardwareConcurrency);
  if (cpus) argv = ["taskset", "-c", cpus.join(","), ...argv];
  return new Deno.Command(argv[0], {
    args: argv.slice(1),
    env: { ...acceleratorEnv(accelerators[worker]), ...workerEnv(worker, workers, pool) },
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
}
