/**
 * `tsflow worker --interchange HOST:PORT …` (or `--addresses A,B,… --port P`): a worker pool
 * (one manager plus N worker processes). Given several addresses, the pool connects to the first
 * that answers within `--address-probe-timeout` seconds (Parsl's address probe). The run's secret comes from `--secret-file` (0600) or `TSFLOW_HTEX_SECRET`, never
 * from the command line. With `--worker-process` the same entry runs one worker instead
 * (the manager starts its workers that way).
 *
 * Its flags, their defaults and help are defined once in `cli/worker_flags.ts`.
 *
 * @module
 */
import { emitFlags, parseFlags } from "../cli/flag_schema.ts";
import { WORKER_FLAGS } from "../cli/worker_flags.ts";
import { runMode } from "../cli/mode_entry.ts";
import { Logger } from "../dfk/logger.ts";
import { readSecret } from "../interchange/auth.ts";
import { modeCommand } from "../cli/self_command.ts";
import { workerCount } from "./placement.ts";
// The manager and a worker import only their own code (literal specifiers, so bundles keep
// both): each worker process starts faster, and a cold start waits on them.
const managerModule = () => import("./manager.ts");
const workerModule = () => import("./worker_process.ts");

/** `--available-accelerators`: ids, or one number meaning that many (`2`: ids 0 and 1). */
function accelerators(list: string[]): string[] {
  if (list.length === 1 && /^\d+$/.test(list[0])) {
    return Array.from({ length: Number(list[0]) }, (_, i) => String(i));
  }
  return list;
}

/** The interchange's `HOST:PORT`s from the command line, or what is wrong with it. */
function interchangeCandidates(
  interchange: string | undefined,
  addresses: string[],
  port: string | undefined,
): string[] | string {
  const out = interchange ? [interchange] : [];
  if (addresses.length > 0) {
    if (!/^\d+$/.test(port ?? "")) return "--addresses needs --port PORT";
    for (const a of addresses) {
      out.push(a.includes(":") && !a.startsWith("[") ? `[${a}]:${port}` : `${a}:${port}`);
    }
  }
  return out.length > 0
    ? out
    : "--interchange HOST:PORT (or --addresses A,B --port PORT) is required";
}

/**
 * Runs a worker pool (or, with `--worker-process`, one worker).
 *
 * @param args Command-line arguments after the mode word.
 * @returns The exit code: 0 when stopped or drained, 1 when refused or failed.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a process entry point: runs until the interchange stops it.
 * Deno.exit(await runWorkerPool(["--interchange", "127.0.0.1:9000", "--secret-file", "/run/secret"]));
 * ```
 */
export async function runWorkerPool(args: string[]): Promise<number> {
  const importedAt = Date.now();
  const { values: v } = parseFlags(WORKER_FLAGS, args);
  const maxFrameBytes = v.maxFrameBytes;
  if (!(maxFrameBytes > 0)) {
    console.error(`tsflow worker: bad --max-frame-bytes ${v.maxFrameBytes}: use a byte count`);
    return 2;
  }
  if (v.workerProcess) {
    const { runWorkerProcess } = await workerModule();
    return await runWorkerProcess(
      v.managerSocket!,
      Number(v.workerId),
      maxFrameBytes,
      v.sampleResources,
    );
  }
  const candidates = interchangeCandidates(v.interchange, v.addresses, v.port);
  if (typeof candidates === "string") {
    console.error(`tsflow worker: ${candidates}`);
    return 2;
  }
  const probe = v.addressProbeTimeout;
  if (!(probe > 0)) {
    console.error("tsflow worker: --address-probe-timeout must be a number of seconds > 0");
    return 2;
  }
  const managerId = v.managerId ?? crypto.randomUUID().slice(0, 12);
  let logger = new Logger("manager");
  if (v.logDir) {
    const dir = `${v.logDir}/block-${v.blockId}`;
    Deno.mkdirSync(dir, { recursive: true });
    logger = new Logger(
      `manager ${managerId}`,
      `${dir}/manager_${managerId}.log`,
      v.workerDebug ? "debug" : "info",
    );
  }
  let secret: string;
  try {
    secret = readSecret(v.secretFile);
  } catch (e) {
    console.error(`tsflow worker: ${(e as Error).message}`);
    return 1;
  }
  const accs = accelerators(v.availableAccelerators);
  const workers = workerCount({
    maxWorkersPerNode: v.maxWorkersPerNode,
    coresPerWorker: v.coresPerWorker,
    memPerWorker: v.memPerWorker,
    accelerators: accs,
    cpuCount: navigator.hardwareConcurrency,
    memoryGb: Deno.systemMemoryInfo().total / 2 ** 30,
  });
  const { PoolManager } = await managerModule();
  const manager = new PoolManager({
    interchange: candidates,
    addressProbeTimeout: probe,
    secret,
    blockId: v.blockId,
    managerId,
    workers,
    prefetchCapacity: v.prefetchCapacity,
    heartbeatPeriod: v.heartbeatPeriod,
    heartbeatThreshold: v.heartbeatThreshold,
    drainPeriod: v.drainPeriod,
    cpuAffinity: v.cpuAffinity,
    accelerators: accs,
    caCert: v.caFile ? Deno.readTextFileSync(v.caFile) : undefined,
    resourceInterval: v.resourceMonitoringInterval,
    maxFrameBytes,
    reportRunning: v.reportRunning,
    stampStarts: v.stampStarts,
    workerArgv: (id, socket) =>
      modeCommand(
        "worker",
        emitFlags(WORKER_FLAGS, {
          workerProcess: true,
          managerSocket: socket,
          workerId: String(id),
          maxFrameBytes,
          sampleResources: v.resourceMonitoringInterval > 0,
        }),
      ),
    logger,
  });
  // A batch system (or LocalProvider.cancel) ends a block with SIGTERM: the pool then stops as
  // when asked (workers killed, socket directory removed, log written), not mid-write. Bound
  // before the workers start: a SIGTERM that comes once they exist must find it in place.
  const onTerm = () => manager.stop(143, "terminated by SIGTERM");
  Deno.addSignalListener("SIGTERM", onTerm);
  // run() starts the workers before its first await, and they are a cold start's tail: log after
  // it, since a first log line starts a timer, and Deno's first timer starts its Node layer
  // (~5 ms of CPU) first.
  const running = manager.run();
  // Where a cold start's time goes: when this process's JS began and its module graph was in.
  logger.info("Process started", { runtimeAt: Math.round(performance.timeOrigin), importedAt });
  logger.info(`Pool ${managerId} starting ${workers} worker(s) for ${candidates.join(" | ")}`);
  const exit = await running;
  Deno.removeSignalListener("SIGTERM", onTerm);
  if (exit.code !== 0) console.error(`tsflow worker: ${exit.reason}`);
  logger.info(`Pool exiting with code ${exit.code}: ${exit.reason}`);
  await logger.close();
  return exit.code;
}

// Started directly (the executor and pools do so from source): as `tsflow worker` would run it.
if (import.meta.main) Deno.exit(await runMode("worker", runWorkerPool, Deno.args));
