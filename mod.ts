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
export * from "./worker_pool/thread_pool/mod.ts";
export * from "./interchange/mod.ts";
export * from "./worker_pool/mod.ts";
export * from "./providers/mod.ts";
export * from "./launchers/mod.ts";
export * from "./monitoring/mod.ts";

setDefaultExecutors(() => [new ThreadPoolExecutor()]);
