/**
 * The command lines a HighThroughputExecutor's options imply: the arguments of `tsflow worker`
 * for a block and of `tsflow interchange`, emitted from the flag schemas in `cli/`.
 *
 * @module
 */
import { emitFlags, type FlagValues } from "../cli/flag_schema.ts";
import { INTERCHANGE_FLAGS } from "../cli/interchange_flags.ts";
import { WORKER_FLAGS } from "../cli/worker_flags.ts";
import type { ResolvedHtexOptions } from "./htex_options.ts";
import { loopbackOnly } from "./interchange_addresses.ts";

/**
 * The `--selector` argument of `tsflow interchange` for a selector option.
 *
 * @param s A built-in name or a module reference.
 * @returns `random`, `most-idle-first`, or `URL#export`.
 *
 * @example
 * ```ts
 * import { selectorArg } from "./process_args.ts";
 * import assert from "node:assert/strict";
 * assert(selectorArg({ module: "file:///s.ts", export: "x" }) === "file:///s.ts#x");
 * ```
 */
export function selectorArg(s: ResolvedHtexOptions["managerSelector"]): string {
  return typeof s === "string" ? s : `${s.module}#${s.export}`;
}

/**
 * The arguments of `tsflow worker` for one block of this executor.
 *
 * @param o Resolved options.
 * @param addresses The interchange's addresses (the pool keeps the first that answers).
 * @param port The interchange's port for pools.
 * @param secretFile Path of the 0600 secret file.
 * @param blockId Block id.
 * @param logDir Pool log directory.
 * @param caFile The run's CA (when encrypted).
 * @returns argv after the mode word.
 *
 * @example
 * ```ts
 * import { workerArgs } from "./process_args.ts";
 * import { resolveHtexOptions } from "./htex_options.ts";
 * import assert from "node:assert/strict";
 * const a = workerArgs(resolveHtexOptions({}), ["10.0.0.5", "127.0.0.1"], 9000, "/s", "0", "/l");
 * assert(a.join(" ").includes("--addresses 10.0.0.5,127.0.0.1 --port 9000"));
 * ```
 */
export function workerArgs(
  o: ResolvedHtexOptions,
  addresses: string[],
  port: number,
  secretFile: string,
  blockId: string,
  logDir: string,
  caFile?: string,
): string[] {
  return emitFlags(WORKER_FLAGS, {
    ...poolOptions(o),
    addresses,
    port: String(port),
    blockId,
    secretFile,
    logDir,
    caFile,
  });
}

/** The executor's options a pool takes under the same name (see `cli/worker_flags.ts`). */
function poolOptions(o: ResolvedHtexOptions): Partial<FlagValues<typeof WORKER_FLAGS>> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(WORKER_FLAGS)) {
    if (k in o) out[k] = (o as unknown as Record<string, unknown>)[k];
  }
  return out;
}

/**
 * The options of `tsflow worker` that are neither where the interchange is nor the block id
 * (the `{options}` of a `launchCmd`).
 *
 * @param o Resolved options.
 * @param secretFile Path of the 0600 secret file.
 * @param logDir Pool log directory.
 * @param caFile The run's CA (when encrypted).
 * @returns argv fragment.
 *
 * @example
 * ```ts
 * import { workerOptions } from "./process_args.ts";
 * import { resolveHtexOptions } from "./htex_options.ts";
 * import assert from "node:assert/strict";
 * assert(workerOptions(resolveHtexOptions({}), "/s", "/logs").includes("--secret-file"));
 * ```
 */
export function workerOptions(
  o: ResolvedHtexOptions,
  secretFile: string,
  logDir: string,
  caFile?: string,
): string[] {
  return emitFlags(WORKER_FLAGS, { ...poolOptions(o), secretFile, logDir, caFile });
}

/**
 * The interchange's command-line arguments (after the mode word) for an executor.
 *
 * @param o Resolved options.
 * @param addresses The addresses pools are given (loopback only: listen on loopback only).
 * @param dir The executor's run directory (logs).
 * @param secretFile Path of the 0600 secret file.
 * @param tls The run's certificate and key, when encrypted.
 * @returns argv after the mode word.
 *
 * @example
 * ```ts
 * import { interchangeArgs } from "./process_args.ts";
 * import { resolveHtexOptions } from "./htex_options.ts";
 * import assert from "node:assert/strict";
 * const a = interchangeArgs(resolveHtexOptions({}), ["127.0.0.1"], "/run/htex", "/run/htex/s");
 * assert(a.includes("--secret-file") && a.includes("127.0.0.1"));
 * ```
 */
export function interchangeArgs(
  o: ResolvedHtexOptions,
  addresses: string[],
  dir: string,
  secretFile: string,
  tls?: { certFile: string; keyFile: string },
): string[] {
  return emitFlags(INTERCHANGE_FLAGS, {
    address: loopbackOnly(addresses) ? "127.0.0.1" : "0.0.0.0",
    ...(o.workerPortRange
      ? { portRange: o.workerPortRange.join("-") }
      : { port: String(o.workerPort) }),
    heartbeatPeriod: o.heartbeatPeriod,
    heartbeatThreshold: o.heartbeatThreshold,
    maxFrameBytes: o.maxFrameBytes,
    registrationTimeout: o.registrationTimeout,
    selector: selectorArg(o.managerSelector),
    logFile: `${dir}/interchange.log`,
    // Parsl's interchange logs at DEBUG only with worker_debug (per-task lines cost per task).
    debug: o.workerDebug,
    secretFile,
    tlsCert: tls?.certFile,
    tlsKey: tls?.keyFile,
  });
}
