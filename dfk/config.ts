/**
 * `Config`: a plain, typed options object (Parsl's `parsl.config.Config`). Executors, providers
 * and monitoring are class instances handed in; the kernel imports none of them.
 *
 * @module
 */
import type { DependencyResolver } from "./dependencies.ts";
import { ConfigError } from "./errors.ts";
import type { Executor } from "./executor.ts";
import type { MonitoringSink } from "./monitoring_event.ts";
import type { RetryHandler } from "./retries.ts";
import { didYouMean } from "./suggest.ts";

/** When checkpoints are written (Parsl's `checkpoint_mode`). */
export type CheckpointMode = "task_exit" | "periodic" | "dfk_exit" | "manual";

/** Names stdout/stderr files of apps that set none. */
export type StdNameGenerator = (
  appName: string,
  taskId: number,
  stream: "stdout" | "stderr",
) => string | undefined;

/**
 * The workflow configuration.
 *
 * @example
 * ```ts
 * import type { Config } from "./config.ts";
 * export const config: Config = { retries: 2, checkpointMode: "task_exit" };
 * ```
 */
export interface Config {
  /** Executors tasks run on. @default [new ThreadPoolExecutor()] */
  executors?: Executor[];
  /** Retry budget per task (each failure costs 1 unless retryHandler says otherwise). @default 0 */
  retries?: number;
  /** Cost of a failure: `(error, task) => number`. */
  retryHandler?: RetryHandler;
  /** When to write checkpoints. @default undefined (none) */
  checkpointMode?: CheckpointMode;
  /** Period of `periodic` checkpoints: seconds or `"HH:MM:SS"`. @default "00:30:00" */
  checkpointPeriod?: number | string;
  /**
   * Checkpoint directories of earlier runs to reuse results from, e.g. `getLastCheckpoint()`.
   * @default with a `checkpointMode`, every earlier run's (`getAllCheckpoints(runDir)`), as in
   * Parsl; without one, none
   */
  checkpointFiles?: string[];
  /** Parent of the per-run directories (`NNN`). @default "runinfo" */
  runDir?: string;
  /** Whether `cache: true` apps are memoized. @default true */
  appCache?: boolean;
  /** Where futures are looked for in arguments. @default SHALLOW_DEPENDENCY_RESOLVER */
  dependencyResolver?: DependencyResolver;
  /** Block scaling strategy. @default "simple" */
  strategy?: "none" | "simple" | "htex_auto_scale";
  /** Seconds between strategy rounds. @default 5 */
  strategyPeriod?: number;
  /** Seconds a block may stay idle before `htex_auto_scale` removes it. @default 120 */
  maxIdletime?: number;
  /** Monitoring sink (a MonitoringHub). */
  monitoring?: MonitoringSink;
  /** Whether the run writes its log file. @default true */
  initializeLogging?: boolean;
  /** Default stdout/stderr names for apps that set none. */
  stdNameGenerator?: StdNameGenerator;
  /** Name of the workflow in monitoring. @default the main module's file name */
  workflowName?: string;
  /** Version of the workflow in monitoring. @default the run's start time, local `YYYY-MM-DD HH:MM:SS` (Parsl's) */
  workflowVersion?: string;
}

const KEYS: (keyof Config)[] = [
  "executors",
  "retries",
  "retryHandler",
  "checkpointMode",
  "checkpointPeriod",
  "checkpointFiles",
  "runDir",
  "appCache",
  "dependencyResolver",
  "strategy",
  "strategyPeriod",
  "maxIdletime",
  "monitoring",
  "initializeLogging",
  "stdNameGenerator",
  "workflowName",
  "workflowVersion",
];

/** The config keys, for tools (YAML loader). */
export const CONFIG_KEYS: readonly string[] = KEYS;

const MODES = ["task_exit", "periodic", "dfk_exit", "manual"];

/**
 * Parses a period: seconds, or `"HH:MM:SS"`.
 *
 * @param p The period.
 * @returns Seconds.
 *
 * @example
 * ```ts
 * import { parsePeriod } from "./config.ts";
 * import assert from "node:assert/strict";
 * assert(parsePeriod("00:01:30") === 90 && parsePeriod(5) === 5);
 * ```
 */
export function parsePeriod(p: number | string): number {
  if (typeof p === "number") return p;
  const m = /^(\d+):(\d{1,2}):(\d{1,2})$/.exec(p);
  if (!m) throw new ConfigError(`checkpointPeriod "${p}" is not seconds or "HH:MM:SS"`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/**
 * Checks a config and throws {@linkcode ConfigError} with a suggestion for what is wrong.
 *
 * @param config The config.
 *
 * @example
 * ```ts
 * import { validateConfig } from "./config.ts";
 * import assert from "node:assert/strict";
 * try {
 *   validateConfig({ retry: 2 } as never);
 * } catch (e) {
 *   assert((e as Error).message.includes("retries"));
 * }
 * ```
 */
export function validateConfig(config: Config): void {
  if (typeof config !== "object" || config === null) {
    throw new ConfigError("The config must be an object such as { executors: [...], retries: 2 }");
  }
  for (const k of Object.keys(config)) {
    if (!(KEYS as string[]).includes(k)) {
      throw new ConfigError(`Unknown config key "${k}"${didYouMean(k, KEYS)}`);
    }
  }
  const r = config.retries;
  if (r !== undefined && (!Number.isInteger(r) || r < 0)) {
    throw new ConfigError(`retries must be a whole number ≥ 0, got ${r}`);
  }
  if (config.checkpointMode !== undefined && !MODES.includes(config.checkpointMode)) {
    throw new ConfigError(
      `checkpointMode "${config.checkpointMode}" is not one of ${MODES.join(", ")}` +
        didYouMean(config.checkpointMode, MODES),
    );
  }
  if (config.checkpointPeriod !== undefined) parsePeriod(config.checkpointPeriod);
  const labels = new Set<string>();
  for (const ex of config.executors ?? []) {
    if (typeof ex?.submit !== "function" || typeof ex?.label !== "string") {
      throw new ConfigError(
        'Each entry of executors must be an executor instance, e.g. new ThreadPoolExecutor({ label: "local" })',
      );
    }
    if (labels.has(ex.label)) {
      throw new ConfigError(`Two executors are labelled "${ex.label}": labels must be unique`);
    }
    labels.add(ex.label);
  }
}
