/**
 * The ThreadPoolExecutor: a pool of Web Workers inside the driver.
 *
 * @module
 */
export { ThreadPoolExecutor, type ThreadPoolExecutorOptions } from "./thread_pool_executor.ts";
