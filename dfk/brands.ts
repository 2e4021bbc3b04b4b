/**
 * `Symbol.for` brands by which tsflow recognises its own objects, so two copies of tsflow in one
 * process (the binary's and a workflow's URL import) work together. Never use `instanceof` on
 * apps, futures or files; use these.
 *
 * @module
 */

/** Marks an app function; its value is the app's {@linkcode AppDefinition}-shaped record. */
export const APP_BRAND: unique symbol = Symbol.for("tsflow.app.v1") as never;
/** Marks an AppFuture or DataFuture. */
export const FUTURE_BRAND: unique symbol = Symbol.for("tsflow.future.v1") as never;
/** Marks a File. */
export const FILE_BRAND: unique symbol = Symbol.for("tsflow.file.v1") as never;
/** Key of the running kernel on `globalThis`. */
export const KERNEL_KEY: unique symbol = Symbol.for("tsflow.kernel.v1") as never;
/** Key of the current task's context on `globalThis` (set by the worker around each task). */
export const TASK_CONTEXT_KEY: unique symbol = Symbol.for("tsflow.taskContext.v1") as never;

/**
 * Whether a value is a tsflow future (AppFuture or DataFuture) from any copy of tsflow.
 *
 * @param v Any value.
 * @returns True for futures.
 *
 * @example
 * ```ts
 * import { isTsflowFuture } from "./brands.ts";
 * import assert from "node:assert/strict";
 * assert(!isTsflowFuture(Promise.resolve(1)));
 * ```
 */
export function isTsflowFuture(v: unknown): boolean {
  return typeof v === "object" && v !== null && FUTURE_BRAND in v;
}

/**
 * Whether a value is a thenable (a tsflow future, a Promise, or any object with `then`).
 *
 * @param v Any value.
 * @returns True for thenables.
 *
 * @example
 * ```ts
 * import { isThenable } from "./brands.ts";
 * import assert from "node:assert/strict";
 * assert(isThenable(Promise.resolve(1)) && !isThenable(1));
 * ```
 */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === "object" || typeof v === "function") && v !== null &&
    typeof (v as { then?: unknown }).then === "function";
}
