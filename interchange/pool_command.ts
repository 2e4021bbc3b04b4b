/**
 * The command that starts one worker pool of a HighThroughputExecutor: this program's `worker`
 * mode with the executor's pool flags, or the user's `launchCmd` with its placeholders filled in.
 *
 * @module
 */
import { modeCommand, modeCommandLine } from "../cli/self_command.ts";
import { fillLaunchCmd } from "./launch_cmd.ts";
import type { ResolvedHtexOptions } from "./htex_options.ts";
import { workerArgs, workerOptions } from "./process_args.ts";

/** Where a pool reaches its interchange, and what it proves itself with. */
export interface PoolTarget {
  /** The executor's options after defaults. */
  options: ResolvedHtexOptions;
  /** Interchange addresses the pool tries, in order. */
  addresses: string[];
  /** The interchange's worker port. */
  port: number;
  /** File holding the run's shared secret. */
  secretFile: string;
  /** Where pools log when `workerLogdirRoot` is unset: the executor's run directory. */
  runDir: string;
  /** CA certificate pools trust (encrypted runs). */
  caFile?: string;
}

/**
 * The argv that starts one pool of a block in this program's `worker` mode.
 *
 * @param t Where the pool connects.
 * @param blockId Block id the pool reports.
 * @returns argv, program first.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { poolCommand } from "./pool_command.ts";
 * import { resolveHtexOptions } from "./htex_options.ts";
 * const argv = poolCommand({
 *   options: resolveHtexOptions({}),
 *   addresses: ["127.0.0.1"],
 *   port: 54000,
 *   secretFile: "/tmp/secret",
 *   runDir: "/tmp/run",
 * }, "0");
 * // `tsflow worker …` (from source: worker_pool/worker_pool_main.ts …) with the pool's flags.
 * assert.equal(argv[argv.indexOf("--block-id") + 1], "0");
 * ```
 */
export function poolCommand(t: PoolTarget, blockId: string): string[] {
  return modeCommand("worker", poolArgs(t, blockId));
}

/**
 * The shell command line that starts one pool of a block: `launchCmd` filled in when set, else
 * this program's `worker` mode.
 *
 * @param t Where the pool connects.
 * @param blockId Block id the pool reports.
 * @returns The command line.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { poolCommandLine } from "./pool_command.ts";
 * import { resolveHtexOptions } from "./htex_options.ts";
 * const line = poolCommandLine({
 *   options: resolveHtexOptions({ launchCmd: "my_pool --block {block_id} --at {interchange}" }),
 *   addresses: ["127.0.0.1"],
 *   port: 54000,
 *   secretFile: "/tmp/secret",
 *   runDir: "/tmp/run",
 * }, "7");
 * assert.ok(line.startsWith("my_pool --block 7"));
 * ```
 */
export function poolCommandLine(t: PoolTarget, blockId: string): string {
  const o = t.options;
  if (!o.launchCmd) return modeCommandLine("worker", poolArgs(t, blockId));
  return fillLaunchCmd(o.launchCmd, {
    addresses: t.addresses,
    port: t.port,
    blockId,
    options: workerOptions(o, t.secretFile, o.workerLogdirRoot ?? t.runDir, t.caFile),
  });
}

function poolArgs(t: PoolTarget, blockId: string): string[] {
  return workerArgs(
    t.options,
    t.addresses,
    t.port,
    t.secretFile,
    blockId,
    t.options.workerLogdirRoot ?? t.runDir,
    t.caFile,
  );
}
