/**
 * The type of a class (constructor), shared by the registries that key rules by class.
 *
 * @module
 */

/**
 * Any class whose instances are `T`.
 *
 * @example
 * ```ts
 * import type { Class } from "./class_type.ts";
 * import assert from "node:assert/strict";
 * const c: Class<Date> = Date;
 * assert(c.name === "Date");
 * ```
 */
// deno-lint-ignore no-explicit-any
export type Class<T = unknown> = abstract new (...args: any[]) => T;
