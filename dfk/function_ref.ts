/**
 * Names apps: finds each app's module URL and export name, the reference workers use to load
 * it. Names come from scanning a module's namespace once it has finished evaluating
 * (`bindModule`, which `tsflow run` calls), or lazily at first submit. A script run directly
 * (`deno run flow.ts`) is still evaluating when it submits, so its namespace is read from a second
 * evaluation of the same module, matched by creation order and function text (workers evaluate
 * the module too, so import-time side effects happen there anyway).
 *
 * @module
 */
import { type AppDefinition, appDefinition, setScanning } from "./app.ts";
import { UnresolvableApp } from "./errors.ts";
import type { FunctionRef } from "./executor.ts";
import { registerModule } from "./serialize/module_registry.ts";

/** A module's namespace object, as `import()` returns it. */
export type Namespace = Record<string, unknown>;

/**
 * Names every app a module exports, from its namespace.
 *
 * @param url The module's URL.
 * @param ns Its namespace (`await import(url)`).
 * @returns Number of apps named.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bindModule } from "./function_ref.ts";
 * const url = new URL("../examples/add.ts", import.meta.url).href;
 * assert.equal(bindModule(url, await import(url)), 2); // two apps: add and twice
 * ```
 */
export function bindModule(url: string, ns: Namespace): number {
  registerModule(url, ns);
  let n = 0;
  for (const name of Object.keys(ns)) {
    const def = appDefinition(ns[name]);
    if (def && !def.ref) {
      def.ref = { module: url, export: name };
      n++;
    }
  }
  return n;
}

const scans = new Map<string, Promise<Namespace>>();

function unexported(def: AppDefinition, why: string): UnresolvableApp {
  const fnName = def.fn.name || "anonymous";
  return new UnresolvableApp(
    `Cannot send app "${fnName}" to workers: ${why}. Workers load apps by module URL and ` +
      `export name, so create the app at the top level of a module and export it ` +
      `(export const ${fnName === "anonymous" ? "myApp" : fnName} = app(...)), or give ` +
      `app(fn, { name }) the export's name`,
  );
}

async function scanCopy(module: string): Promise<Namespace> {
  let p = scans.get(module);
  if (!p) {
    setScanning(module);
    p = (import(module + "#tsflow-scan") as Promise<Namespace>).finally(() =>
      setScanning(undefined)
    );
    scans.set(module, p);
  }
  return await p;
}

/**
 * The reference of an app, resolving it on first use.
 *
 * @param def The app's definition.
 * @returns Module URL and export name.
 * @throws UnresolvableApp when the app is not exported from an importable module.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a step of the kernel on a task record it is running; tests/dfk/ drive it through load().
 * const ref = await resolveRef(appDefinition(add)!);
 * ```
 */
export async function resolveRef(def: AppDefinition): Promise<FunctionRef> {
  if (def.ref) return def.ref;
  const module = def.module;
  if (!module) throw unexported(def, "its module could not be told from the call stack");
  if (def.options.name) return def.ref = { module, export: def.options.name };
  if (module === Deno.mainModule) {
    let ns: Namespace;
    try {
      ns = await scanCopy(module);
    } catch (e) {
      throw unexported(def, `its module ${module} cannot be imported (${(e as Error).message})`);
    }
    const text = def.fn.toString();
    for (const name of Object.keys(ns)) {
      const other = appDefinition(ns[name]);
      if (other && other.ordinal === def.ordinal && other.fn.toString() === text) {
        return def.ref = { module, export: name };
      }
    }
    throw unexported(def, `module ${module} does not export it`);
  }
  let ns: Namespace;
  try {
    ns = await import(module);
  } catch (e) {
    throw unexported(def, `its module ${module} cannot be imported (${(e as Error).message})`);
  }
  bindModule(module, ns);
  if (def.ref) return def.ref;
  throw unexported(def, `module ${module} does not export it`);
}
