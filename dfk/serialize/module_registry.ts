/**
 * Modules this process has imported for tasks (workflow modules), keyed by URL. The error codec
 * uses it to name an error's class by module URL and export name on the worker, and to rebuild
 * that class on the driver. Kept on `globalThis` so two copies of tsflow share it.
 *
 * @module
 */

type Namespace = Record<string, unknown>;

const KEY = Symbol.for("tsflow.moduleRegistry");
const g = globalThis as unknown as Record<symbol, Map<string, Namespace>>;
const modules: Map<string, Namespace> = g[KEY] ??= new Map();

/**
 * Records a module namespace under its URL.
 *
 * @param url Absolute module URL.
 * @param ns The module's namespace object.
 *
 * @example
 * ```ts
 * import { registerModule, getModule } from "./module_registry.ts";
 * import assert from "node:assert/strict";
 * registerModule("file:///x.ts", { a: 1 });
 * assert(getModule("file:///x.ts")?.a === 1);
 * ```
 */
export function registerModule(url: string, ns: Namespace): void {
  modules.set(url, ns);
}

/**
 * The namespace registered for a URL, if any.
 *
 * @param url Module URL.
 * @returns Its namespace or undefined.
 *
 * @example
 * ```ts
 * import { getModule } from "./module_registry.ts";
 * import assert from "node:assert/strict";
 * assert(getModule("file:///nothing.ts") === undefined);
 * ```
 */
export function getModule(url: string): Namespace | undefined {
  return modules.get(url);
}

/**
 * Finds which registered module exports a value, and under what name.
 *
 * @param value A class or other exported value.
 * @returns `{ module, export }` or undefined.
 *
 * @example
 * ```ts
 * import { registerModule, findExport } from "./module_registry.ts";
 * import assert from "node:assert/strict";
 * class E extends Error {}
 * registerModule("file:///e.ts", { E });
 * assert(findExport(E)?.export === "E");
 * ```
 */
export function findExport(value: unknown): { module: string; export: string } | undefined {
  for (const [url, ns] of modules) {
    for (const name of Object.keys(ns)) {
      if (ns[name] === value) return { module: url, export: name };
    }
  }
  return undefined;
}
