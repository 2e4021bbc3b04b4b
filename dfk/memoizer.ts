/**
 * The memoizer (Parsl's `Memoizer`): makes a task's memo key from its app identity (module URL +
 * export name, never the source text) and arguments, and finds earlier results: from this run
 * (an identical task's future) or from checkpoints of earlier runs.
 *
 * @module
 */
import { sha256Hash } from "./_sha256.ts";
import type { AppDefinition, CallOptions } from "./app.ts";
import { ConfigError } from "./errors.ts";
import type { FunctionRef } from "./executor.ts";
import type { AppFuture } from "./future.ts";
import { idForMemo } from "./memo_id.ts";
import { parameterNames } from "./parameter_names.ts";

const CALL_KEYS = ["inputs", "outputs", "stdout", "stderr"] as const;

/** What ignoreForCache resolves to for one app. */
interface Ignored {
  positions: Set<number>;
  callKeys: Set<string>;
}

const ignoredCache = new WeakMap<AppDefinition, Ignored>();

function ignoredOf(def: AppDefinition): Ignored {
  let ig = ignoredCache.get(def);
  if (ig) return ig;
  ig = { positions: new Set(), callKeys: new Set() };
  const names = parameterNames(def.fn);
  for (const item of def.options.ignoreForCache ?? []) {
    if (typeof item === "number") ig.positions.add(item);
    else if ((CALL_KEYS as readonly string[]).includes(item)) ig.callKeys.add(item);
    else if (!names) {
      throw new ConfigError(
        `ignoreForCache names "${item}", but the parameters of this app cannot be read for ` +
          `certain from its source (a template or regular expression in a default value): ` +
          `give its position instead, e.g. ignoreForCache: [2]`,
      );
    } else if (names.includes(item)) ig.positions.add(names.indexOf(item));
    else {
      throw new ConfigError(
        `ignoreForCache names "${item}", which is neither a parameter of the app ` +
          `(${names.join(", ") || "none found"}) nor one of ${
            CALL_KEYS.join(", ")
          }: use a name from those, or a position`,
      );
    }
  }
  ignoredCache.set(def, ig);
  return ig;
}

/**
 * The memo key of a call.
 *
 * @param def The app.
 * @param ref Its reference.
 * @param args Arguments, futures already replaced by values.
 * @param call Per-call options.
 * @returns A hex SHA-256.
 * @throws MemoKeyError for an argument with no memo rule.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs an app's internal definition record; tests/dfk/memo_test.ts covers it.
 * const k = memoKey(def, { module: "file:///f.ts", export: "add" }, [1, 2], {});
 * ```
 */
export function memoKey(
  def: AppDefinition,
  ref: FunctionRef,
  args: unknown[],
  call: CallOptions,
): string {
  const ig = ignoredOf(def);
  const h = sha256Hash();
  h.update(`${ref.module}#${ref.export}|${def.kind}|`);
  for (let i = 0; i < args.length; i++) {
    h.update(ig.positions.has(i) ? "_," : idForMemo.of(args[i], `args[${i}]`) + ",");
  }
  for (const k of CALL_KEYS) {
    const v = (call as Record<string, unknown>)[k];
    if (v !== undefined && !ig.callKeys.has(k)) h.update(`|${k}=` + idForMemo.of(v, k));
  }
  return h.digest("hex");
}

/** Where an earlier result was found. */
export type MemoHit =
  | { from: "run"; future: AppFuture<unknown> }
  | { from: "checkpoint"; value: unknown };

/**
 * Memo table of one run.
 *
 * @example
 * ```ts
 * import { Memoizer } from "./memoizer.ts";
 * import assert from "node:assert/strict";
 * const m = new Memoizer(new Map([["k", 42]]));
 * const hit = m.lookup("k");
 * assert(hit?.from === "checkpoint" && hit.value === 42);
 * ```
 */
export class Memoizer {
  #run = new Map<string, AppFuture<unknown>>();
  #checkpointed: Map<string, unknown>;

  /** @param checkpointed Results loaded from checkpoint files, by memo key. */
  constructor(checkpointed: Map<string, unknown> = new Map()) {
    this.#checkpointed = checkpointed;
  }

  /**
   * Finds an earlier result.
   * @param key Memo key.
   * @returns The hit, or undefined.
   */
  lookup(key: string): MemoHit | undefined {
    const f = this.#run.get(key);
    // A failure is memoized like a result (Parsl): the repeated call gets the same error.
    if (f) return { from: "run", future: f };
    if (this.#checkpointed.has(key)) {
      return { from: "checkpoint", value: this.#checkpointed.get(key) };
    }
    return undefined;
  }

  /**
   * Records the future of a task that will run.
   * @param key Memo key.
   * @param future Its future.
   */
  remember(key: string, future: AppFuture<unknown>): void {
    this.#run.set(key, future);
  }
}
