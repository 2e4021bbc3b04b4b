/**
 * The batch script every provider writes for a block: scheduler directives, the environment a
 * pool needs (job name, script directory, the block's end time), `workerInit`, and the launched
 * worker command. Also the shared option defaults.
 *
 * @module
 */
import type { ProviderOptions } from "./execution_provider.ts";
import type { Launcher } from "../launchers/launcher.ts";
import { shellQuote } from "./shell_quote.ts";

/** What goes into a block's script. */
export interface BlockScriptParts {
  /** Scheduler directive lines (`#SBATCH …`), already rendered; may be empty. */
  header: string;
  /** Job name. */
  jobName: string;
  /** Directory holding scripts and the launchers' helper files. */
  scriptDir: string;
  /** Walltime in seconds, for `TSFLOW_BLOCK_END_TIME`; 0 leaves it unset. */
  walltimeSeconds: number;
  /** Shell lines run before the worker command. */
  workerInit: string;
  /**
   * A shell word naming the folder the job must start in, for schedulers that do not start jobs
   * where they were submitted (PBS: `"$PBS_O_WORKDIR"`). Unset: the scheduler's start folder.
   */
  startDir?: string;
  /** The launched worker command (launcher output). */
  command: string;
}

/**
 * Renders the block script. `TSFLOW_BLOCK_END_TIME` (epoch seconds) is computed when the job
 * starts, which is when schedulers start counting its walltime; pools read it to stop taking
 * tasks that would not finish in time.
 *
 * @param parts The script's parts.
 * @returns The script text.
 *
 * @example
 * ```ts
 * import { blockScript } from "./batch_script.ts";
 * import assert from "node:assert/strict";
 * const s = blockScript({ header: "#SBATCH --nodes=1", jobName: "b0", scriptDir: "/tmp",
 *   walltimeSeconds: 60, workerInit: "", command: "echo hi" });
 * assert(s.startsWith("#!/bin/bash\n#SBATCH --nodes=1"));
 * ```
 */
export function blockScript(parts: BlockScriptParts): string {
  const lines = ["#!/bin/bash"];
  if (parts.header.trim()) lines.push(parts.header.trimEnd());
  lines.push(`# tsflow block ${parts.jobName}`);
  lines.push(`export JOBNAME=${shellQuote(parts.jobName)}`);
  lines.push(`export TSFLOW_SCRIPT_DIR=${shellQuote(parts.scriptDir)}`);
  // Tasks run in the driver's working directory, where the job was submitted (Parsl's rule).
  if (parts.startDir) lines.push(`cd ${parts.startDir} || echo "tsflow: staying in $PWD" >&2`);
  if (parts.walltimeSeconds > 0) {
    lines.push(`export TSFLOW_BLOCK_END_TIME=$(( $(date +%s) + ${parts.walltimeSeconds} ))`);
  }
  if (parts.workerInit.trim()) lines.push(parts.workerInit.trimEnd());
  lines.push(parts.command.trimEnd(), "");
  return lines.join("\n");
}

/** The resolved shared options of a provider (`ExecutionProvider.options`). */
export type ResolvedProviderOptions =
  & Required<Omit<ProviderOptions, "launcher" | "workerInit">>
  & { launcher?: Launcher; workerInit: string };

/**
 * Fills in the shared option defaults (Parsl's: 1 init block, 0 min, 1 max, 1 node, parallelism
 * 1, walltime 10 minutes, commands bounded to 10 s).
 *
 * @param opts User options.
 * @param defaults Provider-specific defaults that differ.
 * @returns Options with every field set.
 *
 * @example
 * ```ts
 * import { resolveProviderOptions } from "./batch_script.ts";
 * import assert from "node:assert/strict";
 * assert(resolveProviderOptions({ maxBlocks: 3 }).initBlocks === 1);
 * ```
 */
export function resolveProviderOptions(
  opts: ProviderOptions,
  defaults: Partial<ProviderOptions> = {},
): ResolvedProviderOptions {
  const pick = <K extends keyof ProviderOptions>(k: K, d: NonNullable<ProviderOptions[K]>) =>
    (opts[k] ?? defaults[k] ?? d) as NonNullable<ProviderOptions[K]>;
  return {
    initBlocks: pick("initBlocks", 1),
    minBlocks: pick("minBlocks", 0),
    maxBlocks: pick("maxBlocks", 1),
    nodesPerBlock: pick("nodesPerBlock", 1),
    parallelism: pick("parallelism", 1),
    walltime: pick("walltime", "00:10:00"),
    cmdTimeout: pick("cmdTimeout", 10),
    workerInit: opts.workerInit ?? defaults.workerInit ?? "",
    launcher: opts.launcher ?? defaults.launcher,
  };
}

/**
 * The default script directory when the executor set none.
 *
 * @returns `runinfo/submit_scripts` under the working directory, absolute.
 *
 * @example
 * ```ts
 * import { defaultScriptDir } from "./batch_script.ts";
 * import assert from "node:assert/strict";
 * assert(defaultScriptDir().endsWith("submit_scripts"));
 * ```
 */
export function defaultScriptDir(): string {
  return `${Deno.cwd()}/runinfo/submit_scripts`;
}
