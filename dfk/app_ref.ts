/**
 * Apps as arguments: an app passed to another app travels as a reference (module URL and export
 * name) and arrives on the worker as an async function that imports the module and calls the
 * app's function directly (a plain call inside the task, not a new task).
 *
 * @module
 */
import { type AppDefinition, appDefinition } from "./app.ts";
import { APP_BRAND } from "./brands.ts";
import { resolveRef } from "./function_ref.ts";
import { registerType } from "./serialize/codec.ts";

/**
 * The wire form of an app passed as an argument.
 *
 * @example
 * ```ts
 * import { AppRef } from "./app_ref.ts";
 * import assert from "node:assert/strict";
 * assert(new AppRef("file:///f.ts", "add").name === "add");
 * ```
 */
export class AppRef {
  /**
   * Creates a reference.
   * @param module Module URL.
   * @param name Export name.
   */
  constructor(readonly module: string, readonly name: string) {}
}

/** A function that calls the referenced app's body where it is decoded. */
function callable(ref: AppRef): (...args: unknown[]) => Promise<unknown> {
  const call = async (...args: unknown[]) => {
    const ns = await import(ref.module);
    const def = ns[ref.name]?.[APP_BRAND] as AppDefinition | undefined;
    if (!def) throw new TypeError(`Module ${ref.module} has no app export "${ref.name}"`);
    return await (def.fn as (...a: unknown[]) => unknown)(...args);
  };
  Object.defineProperty(call, "name", { value: ref.name });
  return call;
}

registerType(AppRef, "tsflow.AppRef", {
  toData: (r) => [r.module, r.name],
  // Decodes to a callable, not to the AppRef: the task body calls it.
  fromData: (d) => callable(new AppRef(...(d as [string, string]))) as unknown as AppRef,
});

function collect(v: unknown, out: Set<AppDefinition>, seen: Set<object>): void {
  const def = appDefinition(v);
  if (def) return void out.add(def);
  if (typeof v !== "object" || v === null || seen.has(v)) return;
  seen.add(v);
  const items = v instanceof Map
    ? [...v.keys(), ...v.values()]
    : v instanceof Set
    ? [...v]
    : Array.isArray(v)
    ? v
    : Object.getPrototypeOf(v) === Object.prototype
    ? Object.values(v)
    : [];
  for (const x of items) collect(x, out, seen);
}

function replace(v: unknown): unknown {
  const def = appDefinition(v);
  if (def) return new AppRef(def.ref!.module, def.ref!.export);
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) return v.map(replace);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [replace(k), replace(x)]));
  if (v instanceof Set) return new Set([...v].map(replace));
  if (Object.getPrototypeOf(v) !== Object.prototype) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = replace((v as Record<string, unknown>)[k]);
  return out;
}

/**
 * Replaces the apps inside task arguments by references, naming each app first.
 *
 * @param args Arguments (values, not futures).
 * @returns A copy with apps replaced by {@linkcode AppRef}s.
 * @throws UnresolvableApp for an app that is not a module export.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a step of the kernel on a task record it is running; tests/dfk/ drive it through load().
 * task.resolvedArgs = await appsToRefs(task.resolvedArgs);
 * ```
 */
export async function appsToRefs(args: unknown[]): Promise<unknown[]> {
  const defs = new Set<AppDefinition>();
  collect(args, defs, new Set());
  await Promise.all([...defs].map(resolveRef));
  return replace(args) as unknown[];
}
