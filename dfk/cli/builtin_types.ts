/**
 * Registers tsflow's own plugin classes (executors, providers, launchers, monitoring, staging,
 * selectors) as YAML `type:` names. The classes are taken from the root `mod.ts` when a YAML
 * config is first read, so nothing here loads a plugin folder before it is needed, and a class
 * added to `mod.ts` is usable from YAML without a change here.
 *
 * @module
 */
import type { LocalProviderOptions } from "../../providers/mod.ts";
import type {
  LauncherOptions,
  MpiExecLauncherOptions,
  MpiRunLauncherOptions,
  SingleNodeLauncherOptions,
  SrunLauncherOptions,
} from "../../launchers/mod.ts";
import { configType, optionKeys, registerConfigType } from "./config_types.ts";

/** Names of plugin classes, by their conventional suffix. */
const PLUGIN_NAME = /^[A-Z]\w*(Executor|Provider|Launcher|Hub|Staging|Resolver|Selector|Strategy)$/;

const PROVIDER_KEYS = optionKeys<LocalProviderOptions>()(
  "initBlocks",
  "minBlocks",
  "maxBlocks",
  "nodesPerBlock",
  "parallelism",
  "walltime",
  "workerInit",
  "launcher",
  "cmdTimeout",
  "enforceWalltime",
  "killGrace",
);

/** Accepted options of classes whose option types are known here (others accept any key). */
const KEYS: Record<string, readonly string[]> = {
  LocalProvider: PROVIDER_KEYS,
  SimpleLauncher: optionKeys<LauncherOptions>()("debug"),
  GnuParallelLauncher: optionKeys<LauncherOptions>()("debug"),
  SingleNodeLauncher: optionKeys<SingleNodeLauncherOptions>()("debug", "failOnAny"),
  SrunLauncher: optionKeys<SrunLauncherOptions>()("debug", "overrides"),
  SrunMPILauncher: optionKeys<SrunLauncherOptions>()("debug", "overrides"),
  AprunLauncher: optionKeys<SrunLauncherOptions>()("debug", "overrides"),
  JsrunLauncher: optionKeys<SrunLauncherOptions>()("debug", "overrides"),
  MpiExecLauncher: optionKeys<MpiExecLauncherOptions>()("debug", "bindCmd", "overrides"),
  MpiRunLauncher: optionKeys<MpiRunLauncherOptions>()("debug", "bashLocation", "overrides"),
  WrappedLauncher: ["prepend"],
};

// deno-lint-ignore no-explicit-any
type Ctor = new (...args: any[]) => unknown;

/** Constructors whose argument is not one options object. */
const FACTORIES: Record<string, (cls: Ctor, o: Record<string, unknown>) => unknown> = {
  WrappedLauncher: (cls, o) => new cls(String(o.prepend ?? "")),
};

let done: Promise<void> | undefined;

/**
 * Registers every plugin class the root `mod.ts` exports, once; registrations made before (by
 * a workflow) are kept.
 *
 * @returns When done.
 *
 * @example
 * ```ts ignore
 * await registerBuiltinTypes();
 * console.assert(configType("LocalProvider") !== undefined);
 * ```
 */
export function registerBuiltinTypes(): Promise<void> {
  return done ??= (async () => {
    const ns = await import("../../mod.ts") as Record<string, unknown>;
    for (const [name, value] of Object.entries(ns)) {
      if (!PLUGIN_NAME.test(name) || typeof value !== "function" || configType(name)) continue;
      const cls = value as Ctor;
      const special = FACTORIES[name];
      registerConfigType(
        name,
        special ? (o) => special(cls, o) : (o) => new cls(o),
        { keys: KEYS[name] },
      );
    }
  })();
}
