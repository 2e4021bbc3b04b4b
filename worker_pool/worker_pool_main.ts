/**
 * `tsflow worker --interchange HOST:PORT …` (or `--addresses A,B,… --port P`): a worker pool
 * (one manager plus N worker processes). Given several addresses, the pool connects to the first
 * that answers within `--address-probe-timeout` seconds (Parsl's address probe). The run's secret comes from `--secret-file` (0600) or `TSFLOW_HTEX_SECRET`, never
 * from the command line. With `--worker-process` the same entry runs one worker instead
 * (the manager starts its workers that way).
 *
 * Options: `--block-id ID`, `--manager-id ID`, `--max-workers-per-node N`,
 * `--cores-per-worker C`, `--mem-per-worker GB`, `--available-accelerators 0,1|N`,
 * `--cpu-affinity none|block|block-reverse|alternating|list:…`, `--prefetch-capacity N`,
 * `--heartbeat-period S`, `--heartbeat-threshold S`, `--drain-period S`, `--secret-file PATH`,
 * `--ca-file PATH` (TLS, trusting only that CA), `--log-dir DIR`, `--debug`,
 * `--resource-interval S`, `--report-running`, `--max-frame-bytes N`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DEFAULT_MAX_FRAME_BYTES } from "../interchange/framing.ts";
import { Logger } from "../dfk/logger.ts";
import { readSecret } from "../interchange/auth.ts";
import { PoolManager } from "./manager.ts";
import { DEFAULT_ADDRESS_PROBE_TIMEOUT } from "./connect.ts";
import { modeCommand } from "../cli/self_command.ts";
import { workerCount } from "./placement.ts";
import { runWorkerProcess } from "./worker_process.ts";

function accelerators(spec: string | undefined): string[] {
  if (!spec) return [];
  if (/^\d+$/.test(spec)) return Array.from({ length: Number(spec) }, (_, i) => String(i));
  return spec.split(",").filter((s) => s !== "");
}

/** The interchange's `HOST:PORT`s from the command line, or what is wrong with it. */
function interchangeCandidates(
  interchange: string | undefined,
  addresses: string | undefined,
  port: string | undefined,
): string[] | string {
  const out = interchange ? [interchange] : [];
  if (addresses) {
    if (!/^\d+$/.test(port ?? "")) return "--addresses needs --port PORT";
    for (const a of addresses.split(",").map((x) => x.trim()).filter((x) => x)) {
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
 * Deno.exit(await runWorkerPool(["--interchange", "127.0.0.1:9000", "--secret-file", "/run/secret"]));
 * ```
 */
export async function runWorkerPool(args: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args,
    options: {
      "interchange": { type: "string" },
      "addresses": { type: "string" },
      "port": { type: "string" },
      "address-probe-timeout": { type: "string", default: String(DEFAULT_ADDRESS_PROBE_TIMEOUT) },
      "block-id": { type: "string", default: "0" },
      "manager-id": { type: "string" },
      "max-workers-per-node": { type: "string", default: "0" },
      "cores-per-worker": { type: "string", default: "1" },
      "mem-per-worker": { type: "string", default: "0" },
      "available-accelerators": { type: "string" },
      "cpu-affinity": { type: "string", default: "none" },
      "prefetch-capacity": { type: "string", default: "0" },
      "heartbeat-period": { type: "string", default: "30" },
      "heartbeat-threshold": { type: "string", default: "120" },
      "drain-period": { type: "string", default: "0" },
      "secret-file": { type: "string" },
      "ca-file": { type: "string" },
      "log-dir": { type: "string" },
      "debug": { type: "boolean", default: false },
      "resource-interval": { type: "string", default: "0" },
      "report-running": { type: "boolean", default: false },
      "max-frame-bytes": { type: "string", default: String(DEFAULT_MAX_FRAME_BYTES) },
      "worker-process": { type: "boolean", default: false },
      "manager-socket": { type: "string" },
      "worker-id": { type: "string", default: "0" },
    },
  });
  const maxFrameBytes = Number(v["max-frame-bytes"]);
  if (!(maxFrameBytes > 0)) {
    console.error(`tsflow worker: bad --max-frame-bytes ${v["max-frame-bytes"]}: use a byte count`);
    return 2;
  }
  if (v["worker-process"]) {
    return await runWorkerProcess(v["manager-socket"]!, Number(v["worker-id"]), maxFrameBytes);
  }
  const candidates = interchangeCandidates(v.interchange, v.addresses, v.port);
  if (typeof candidates === "string") {
    console.error(`tsflow worker: ${candidates}`);
    return 2;
  }
  const probe = Number(v["address-probe-timeout"]);
  if (!(probe > 0)) {
    console.error("tsflow worker: --address-probe-timeout must be a number of seconds > 0");
    return 2;
  }
  const managerId = v["manager-id"] ?? crypto.randomUUID().slice(0, 12);
  let logger = new Logger("manager");
  if (v["log-dir"]) {
    const dir = `${v["log-dir"]}/block-${v["block-id"]}`;
    Deno.mkdirSync(dir, { recursive: true });
    logger = new Logger(
      `manager ${managerId}`,
      `${dir}/manager_${managerId}.log`,
      v.debug ? "debug" : "info",
    );
  }
  let secret: string;
  try {
    secret = readSecret(v["secret-file"]);
  } catch (e) {
    console.error(`tsflow worker: ${(e as Error).message}`);
    return 1;
  }
  const accs = accelerators(v["available-accelerators"]);
  const workers = workerCount({
    maxWorkersPerNode: Number(v["max-workers-per-node"]),
    coresPerWorker: Number(v["cores-per-worker"]),
    memPerWorker: Number(v["mem-per-worker"]),
    accelerators: accs,
    cpuCount: navigator.hardwareConcurrency,
    memoryGb: Deno.systemMemoryInfo().total / 2 ** 30,
  });
  const manager = new PoolManager({
    interchange: candidates,
    addressProbeTimeout: probe,
    secret,
    blockId: v["block-id"]!,
    managerId,
    workers,
    prefetchCapacity: Number(v["prefetch-capacity"]),
    heartbeatPeriod: Number(v["heartbeat-period"]),
    heartbeatThreshold: Number(v["heartbeat-threshold"]),
    drainPeriod: Number(v["drain-period"]),
    cpuAffinity: v["cpu-affinity"]!,
    accelerators: accs,
    caCert: v["ca-file"] ? Deno.readTextFileSync(v["ca-file"]) : undefined,
    resourceInterval: Number(v["resource-interval"]),
    maxFrameBytes,
    reportRunning: v["report-running"]!,
    workerArgv: (id, socket) =>
      modeCommand("worker", [
        "--worker-process",
        "--manager-socket",
        socket,
        "--worker-id",
        String(id),
        "--max-frame-bytes",
        String(maxFrameBytes),
      ]),
    logger,
  });
  logger.info(`Pool ${managerId} starting ${workers} worker(s) for ${candidates.join(" | ")}`);
  const exit = await manager.run();
  if (exit.code !== 0) console.error(`tsflow worker: ${exit.reason}`);
  logger.info(`Pool exiting with code ${exit.code}: ${exit.reason}`);
  await logger.close();
  return exit.code;
}

if (import.meta.main) Deno.exit(await runWorkerPool(Deno.args));
