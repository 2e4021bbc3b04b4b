/**
 * The registry that maps the `type:` names of a YAML configuration to plugin classes
 * (`type: HighThroughputExecutor` → `new HighThroughputExecutor({...})`). The kernel never
 * imports it: the CLI registers the built-in classes (see `builtin_types.ts`) and a workflow
 * module may register its own with {@linkcode registerConfigType}. Kept on `globalThis`, so a
 * workflow that imports tsflow from another copy (a URL) registers into the same table.
 *
 * @module
 */

/** Builds a plugin instance from its YAML options (the mapping without `type`). */
export type ConfigFactory = (options: Record<string, unknown>) => unknown | Promise<unknown>;

/** Options of a registered type. */
export interface ConfigTypeOptions {
  /** The option names the type accepts; others are rejected with a suggestion. Omit to accept any. */
  keys?: readonly string[];
}

/** A registered type. */
export interface ConfigTypeEntry extends ConfigTypeOptions {
  /** Builds an instance. */
  factory: ConfigFactory;
}

const KEY = Symbol.for("tsflow.configTypes.v1");
const g = globalThis as unknown as Record<symbol, Map<string, ConfigTypeEntry> | undefined>;
const registry: Map<string, ConfigTypeEntry> = g[KEY] ??= new Map();

/**
 * Makes a class (or any value) available to YAML configurations under a `type:` name. A later
 * registration of the same name replaces the earlier one.
 *
 * @param name The name YAML uses, usually the class name.
 * @param factory Builds the value from the YAML options.
 * @param options The accepted option names, for "unknown option" errors.
 *
 * @example Register a custom executor for YAML configs
 * ```ts
 * import { registerConfigType, configType } from "./config_types.ts";
 * import assert from "node:assert/strict";
 * class EchoExecutor { constructor(readonly opts: Record<string, unknown>) {} }
 * registerConfigType("EchoExecutor", (o) => new EchoExecutor(o), { keys: ["label"] });
 * assert(configType("EchoExecutor")?.keys?.includes("label"));
 * ```
 */
export function registerConfigType(
  name: string,
  factory: ConfigFactory,
  options: ConfigTypeOptions = {},
): void {
  registry.set(name, { factory, ...options });
}

/**
 * The registration of a `type:` name, if any.
 *
 * @param name The name.
 * @returns Its entry or undefined.
 *
 * @example
 * ```ts
 * import { configType } from "./config_types.ts";
 * import assert from "node:assert/strict";
 * assert(configType("NoSuchType") === undefined);
 * ```
 */
export function configType(name: string): ConfigTypeEntry | undefined {
  return registry.get(name);
}

/**
 * Every registered `type:` name, for suggestions and help.
 *
 * @returns The names, sorted.
 *
 * @example
 * ```ts
 * import { configTypeNames } from "./config_types.ts";
 * import assert from "node:assert/strict";
 * assert(Array.isArray(configTypeNames()));
 * ```
 */
export function configTypeNames(): string[] {
  return [...registry.keys()].sort();
}
