/**
 * Reads a workflow configuration from YAML (`tsflow run flow.ts --config site.yaml`). Keys are
 * those of `Config`; a plugin is a mapping with a `type:` naming a registered class (see
 * `config_types.ts`) and its options beside it:
 *
 * ```yaml
 * retries: 2
 * executors:
 *   - type: HighThroughputExecutor
 *     label: htex
 *     provider: {type: LocalProvider, initBlocks: 1}
 * dependencyResolver: deep        # or shallow
 * ```
 *
 * An unknown key, type or option is a `ConfigError` naming the file, the place and the closest
 * valid name.
 *
 * @module
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
// A full specifier, not the bare "yaml" of deno.json: tsflow's modules must load under a
// workflow's import map too (tsflow imported by URL or through the workflow's own deno.json).
// deno-lint-ignore no-import-prefix
import { parse } from "npm:yaml@2.9.1";
import { type Config, CONFIG_KEYS, validateConfig } from "../dfk/config.ts";
import { DEEP_DEPENDENCY_RESOLVER, SHALLOW_DEPENDENCY_RESOLVER } from "../dfk/dependencies.ts";
import { ConfigError } from "../dfk/errors.ts";
import { didYouMean } from "../dfk/suggest.ts";
import { registerBuiltinTypes } from "./builtin_types.ts";
import { configType, configTypeNames } from "./config_types.ts";

const RESOLVERS: Record<string, unknown> = {
  shallow: SHALLOW_DEPENDENCY_RESOLVER,
  deep: DEEP_DEPENDENCY_RESOLVER,
};

/** Config keys whose value is a function: only a registered `type:` can supply one. */
const FUNCTION_KEYS = new Set(["retryHandler", "stdNameGenerator"]);

type Mapping = Record<string, unknown>;

/** The closest valid name, or the list of valid names when none is close. */
function hint(word: string, valid: readonly string[]): string {
  return didYouMean(word, valid) || ` (valid: ${valid.join(", ")})`;
}

function isMapping(v: unknown): v is Mapping {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Builds a value: `{type: …}` mappings become instances, recursively. */
async function build(value: unknown, path: string, source: string): Promise<unknown> {
  if (Array.isArray(value)) {
    return await Promise.all(value.map((v, i) => build(v, `${path}[${i}]`, source)));
  }
  if (!isMapping(value)) return value;
  if (!("type" in value)) {
    const out: Mapping = {};
    for (const [k, v] of Object.entries(value)) out[k] = await build(v, `${path}.${k}`, source);
    return out;
  }
  const { type, ...options } = value;
  const name = String(type);
  const entry = configType(name);
  if (!entry) {
    throw new ConfigError(
      `${source}: ${path}: unknown type "${name}"${hint(name, configTypeNames())}`,
    );
  }
  const built: Mapping = {};
  for (const [k, v] of Object.entries(options)) {
    if (entry.keys && !entry.keys.includes(k)) {
      throw new ConfigError(
        `${source}: ${path}: unknown option "${k}" for ${name}${hint(k, entry.keys)}`,
      );
    }
    built[k] = await build(v, `${path}.${k}`, source);
  }
  try {
    return await entry.factory(built);
  } catch (e) {
    const err = e as Error;
    if (err instanceof ConfigError) {
      throw new ConfigError(`${source}: ${path}: ${err.message}`, { cause: e });
    }
    throw new ConfigError(`${source}: ${path}: cannot make ${name}: ${err.message}`, { cause: e });
  }
}

/**
 * Turns YAML text into a `Config`.
 *
 * @param text The YAML.
 * @param source Name used in error messages (the file name).
 * @returns The configuration, plugins instantiated.
 * @throws ConfigError on a YAML syntax error, unknown key, type or option, or an invalid value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfigYaml } from "./config_yaml.ts";
 * const config = await parseConfigYaml("retries: 2\nexecutors:\n  - {type: ThreadPoolExecutor}\n");
 * assert.equal(config.retries, 2);
 * assert.equal(config.executors?.[0].constructor.name, "ThreadPoolExecutor");
 * ```
 */
export async function parseConfigYaml(text: string, source = "config"): Promise<Config> {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: true });
  } catch (e) {
    throw new ConfigError(`${source}: invalid YAML: ${(e as Error).message}`, { cause: e });
  }
  if (doc === null || doc === undefined) return {};
  if (!isMapping(doc)) {
    throw new ConfigError(`${source}: the top level must be a mapping such as "retries: 2"`);
  }
  await registerBuiltinTypes();
  const config: Mapping = {};
  for (const [key, value] of Object.entries(doc)) {
    if (!CONFIG_KEYS.includes(key)) {
      throw new ConfigError(`${source}: unknown key "${key}"${hint(key, CONFIG_KEYS)}`);
    }
    if (key === "dependencyResolver" && typeof value === "string") {
      if (!(value in RESOLVERS)) {
        const names = Object.keys(RESOLVERS);
        throw new ConfigError(
          `${source}: dependencyResolver "${value}" is not one of ${names.join(", ")}${
            didYouMean(value, names)
          }`,
        );
      }
      config[key] = RESOLVERS[value];
      continue;
    }
    if (FUNCTION_KEYS.has(key) && !(isMapping(value) && "type" in value)) {
      throw new ConfigError(
        `${source}: ${key} is a function: set it in a TypeScript config (export const config), ` +
          `or register one with registerConfigType("MyHandler", ...) and write {type: MyHandler}`,
      );
    }
    if (key === "executors" && !Array.isArray(value)) {
      throw new ConfigError(
        `${source}: executors must be a list such as [{type: ThreadPoolExecutor}]`,
      );
    }
    config[key] = await build(value, key, source);
  }
  try {
    validateConfig(config as Config);
  } catch (e) {
    throw new ConfigError(`${source}: ${(e as Error).message}`, { cause: e });
  }
  return config as Config;
}

/**
 * Reads a configuration file: YAML (`.yaml`, `.yml`), or a TypeScript/JavaScript module whose
 * `config` export (or default export) is the configuration.
 *
 * @param path The file's path.
 * @returns The configuration.
 * @throws ConfigError when it cannot be read or is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfigFile } from "./config_yaml.ts";
 * const path = `${Deno.makeTempDirSync()}/site.yaml`;
 * Deno.writeTextFileSync(path, "retries: 3\n");
 * assert.equal((await loadConfigFile(path)).retries, 3);
 * ```
 */
export async function loadConfigFile(path: string): Promise<Config> {
  if (/\.(m?[jt]sx?)$/.test(path)) {
    let ns: Record<string, unknown>;
    try {
      ns = await import(pathToFileURL(resolve(path)).href);
    } catch (e) {
      throw new ConfigError(`Cannot import config module ${path}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const config = ns.config ?? ns.default;
    if (!isMapping(config)) {
      throw new ConfigError(
        `${path}: export a Config object as "config" (export const config = {...})`,
      );
    }
    return config as Config;
  }
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new ConfigError(`Cannot read config file ${path}: ${(e as Error).message}`, { cause: e });
  }
  return await parseConfigYaml(text, path);
}
