/**
 * Registers tsflow's own plugin classes (executors, providers, launchers, monitoring, staging,
 * selectors) as YAML `type:` names. The classes are taken from the root `mod.ts` when a YAML
 * config is first read, so nothing here loads a plugin folder before it is needed, and a class
 * added to `mod.ts` is usable from YAML without a change here. Each class declares the option keys
 * it accepts itself (`static configKeys`, next to its options interface, checked complete by
 * `optionKeys` in `dfk/option_keys.ts`); a class whose constructor takes something else than
 * one options object declares `static fromConfig(options)`.
 *
 * @module
 */
import { configType, registerConfigType } from "./config_types.ts";

/** Names of plugin classes, by their conventional suffix. */
const PLUGIN_NAME = /^[A-Z]\w*(Executor|Provider|Launcher|Hub|Staging|Resolver|Selector|Strategy)$/;

// deno-lint-ignore no-explicit-any
type Ctor = new (...args: any[]) => unknown;

/**
 * What a plugin class may declare for YAML: the option keys it accepts (its own, not inherited:
 * an abstract base's keys say nothing of a subclass), and a factory when its constructor does not
 * take one options object. A class without keys accepts any key.
 */
interface ConfigurableClass {
  configKeys?: readonly string[];
  fromConfig?: (options: Record<string, unknown>) => unknown;
}

let done: Promise<void> | undefined;

/**
 * Registers every plugin class the root `mod.ts` exports, once; registrations made before (by
 * a workflow) are kept.
 *
 * @returns When done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registerBuiltinTypes } from "./builtin_types.ts";
 * import { configType } from "./config_types.ts";
 * await registerBuiltinTypes();
 * assert(configType("LocalProvider") !== undefined);
 * ```
 */
export function registerBuiltinTypes(): Promise<void> {
  return done ??= (async () => {
    const ns = await import("../mod.ts") as Record<string, unknown>;
    for (const [name, value] of Object.entries(ns)) {
      if (!PLUGIN_NAME.test(name) || typeof value !== "function" || configType(name)) continue;
      const cls = value as Ctor & ConfigurableClass;
      const own = (k: keyof ConfigurableClass) => Object.hasOwn(cls, k) ? cls[k] : undefined;
      const fromConfig = own("fromConfig") as ConfigurableClass["fromConfig"];
      registerConfigType(
        name,
        fromConfig ? (o) => fromConfig.call(cls, o) : (o) => new cls(o),
        { keys: own("configKeys") as readonly string[] | undefined },
      );
    }
  })();
}
