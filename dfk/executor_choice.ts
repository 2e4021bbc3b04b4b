/**
 * Which executor a task runs on: one of the labels the app asks for (or any, Parsl's `"all"`),
 * chosen at random among several, as Parsl does.
 *
 * @module
 */
import { ConfigError } from "./errors.ts";
import type { Executor } from "./executor.ts";

/**
 * Picks the executor for a task.
 *
 * @param executors The configured executors by label.
 * @param wanted Labels the app allows, or `"all"`/undefined for any.
 * @returns The executor.
 * @throws ConfigError naming the configured labels when a wanted one is missing.
 *
 * @example
 * ```ts
 * import { pickExecutor } from "./executor_choice.ts";
 * import assert from "node:assert/strict";
 * const ex = { label: "a" } as never;
 * assert(pickExecutor(new Map([["a", ex]]), "all") === ex);
 * ```
 */
export function pickExecutor(
  executors: ReadonlyMap<string, Executor>,
  wanted: string[] | "all" | undefined,
): Executor {
  const any = wanted === undefined || wanted === "all";
  if (any && executors.size === 1) return executors.values().next().value!;
  const pool = any ? [...executors.values()] : wanted.map((l) => {
    const ex = executors.get(l);
    if (!ex) {
      const have = [...executors.keys()].map((k) => `"${k}"`).join(", ");
      throw new ConfigError(
        `App asks for executor "${l}" but the config has ${have}: use one of those labels`,
      );
    }
    return ex;
  });
  if (pool.length === 0) throw new ConfigError("No executors are configured");
  return pool.length === 1 ? pool[0] : pool[Math.floor(Math.random() * pool.length)];
}
