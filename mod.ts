/**
 * tsflow: Parsl's architecture for TypeScript on Deno. Turn functions into apps, call them to
 * get futures, and run thousands to millions of tasks on a laptop, a cluster or a supercomputer.
 *
 * @example A workflow
 * ```ts ignore
 * import { app, load, ThreadPoolExecutor } from "./mod.ts";
 * export const add = app((x: number, y: number) => x + y);
 * export const twice = app((x: number) => 2 * x);
 * if (import.meta.main) {
 *   await using _dfk = await load({ executors: [new ThreadPoolExecutor()] });
 *   console.log(await twice(add(5, 3))); // 16
 * }
 * ```
 *
 * @module
 */
import { setDefaultExecutors } from "./dfk/load.ts";
import { ThreadPoolExecutor } from "./worker_pool/thread_pool/mod.ts";

export * from "./dfk/mod.ts";
export * from "./cli/mod.ts";
export * from "./worker_pool/thread_pool/mod.ts";
export * from "./providers/mod.ts";
export * from "./launchers/mod.ts";
// The user-facing names of the executor and monitoring folders; their internals stay in their
// own mod.ts files (`interchange/mod.ts`, `worker_pool/mod.ts`, `monitoring/mod.ts`).
export {
  blockIdSelector,
  HighThroughputExecutor,
  type HighThroughputExecutorOptions,
  type ManagerSelector,
  type ManagerView,
  mostIdleSelector,
  randomSelector,
  type ResolvedHtexOptions,
  type SelectorRef,
} from "./interchange/mod.ts";
export type { ManagerSummary, ScalableExecutor } from "./dfk/scaling/mod.ts";
export { MonitoringHub, type MonitoringHubOptions } from "./monitoring/mod.ts";

setDefaultExecutors(() => [new ThreadPoolExecutor()]);
