/**
 * Simulated worker pools for scale tests and benchmarks: many lightweight connections from one
 * process that register with an interchange (real challenge and HMAC), heartbeat, and answer
 * every task at once with a `null` result.
 *
 * @module
 */
import { encodeOutcome } from "../interchange/task_codec.ts";
import { hmacAnswer } from "../interchange/auth.ts";
import { connSink, FrameDecoder, FrameWriter, readMessages } from "../interchange/framing.ts";
import { PROTOCOL_VERSION, TSFLOW_VERSION } from "../interchange/protocol.ts";

/** A set of simulated pools. */
export interface SimPools {
  /** Tasks answered so far. */
  answered(): number;
  /** Closes every connection. */
  close(): Promise<void>;
}

// The result message carries the task's id; the outcome's own id is not read.
const NULL_RESULT = encodeOutcome({ id: 0, tryId: 0, ok: true, value: null });

/**
 * Connects `n` simulated pools (in batches, so the listen backlog never overflows) and waits
 * until each has been accepted (`registered`).
 *
 * @param port Interchange port on 127.0.0.1.
 * @param secret The run's secret.
 * @param n Number of pools.
 * @param heartbeatSeconds Heartbeat period.
 * @returns The pools.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: opens thousands of pool connections to a running interchange (a benchmark).
 * const pools = await simulatePools(htex.workerPort, secret, 1000);
 * ```
 */
export async function simulatePools(
  port: number,
  secret: string,
  n: number,
  heartbeatSeconds = 10,
): Promise<SimPools> {
  let answered = 0;
  const conns: Deno.Conn[] = [];
  const writers: FrameWriter[] = [];
  const reads: Promise<void>[] = [];
  const one = async (i: number) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true);
    conns.push(conn);
    const w = new FrameWriter(connSink(conn));
    writers.push(w);
    let registered!: () => void;
    const ok = new Promise<void>((r) => registered = r);
    reads.push(
      readMessages(conn, new FrameDecoder(), (msgs) => {
        for (const m of msgs as { k: string; id: number; nonce: Uint8Array }[]) {
          if (m.k === "task") {
            answered++;
            w.send({ k: "result", id: m.id, b: NULL_RESULT });
          } else if (m.k === "challenge") {
            w.send({
              k: "register",
              protocol: PROTOCOL_VERSION,
              tsflowVersion: TSFLOW_VERSION,
              denoVersion: Deno.version.deno,
              hostname: "sim",
              blockId: String(i),
              managerId: `sim-${i}-${crypto.randomUUID().slice(0, 8)}`,
              workerCount: 1,
              prefetchCapacity: 0,
              cpuCount: 1,
              totalMemory: 1,
              hmac: hmacAnswer(secret, m.nonce),
            });
          } else if (m.k === "registered") registered();
        }
      }).catch(() => {}),
    );
    await ok;
  };
  for (let i = 0; i < n; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, n - i) }, (_, j) => one(i + j)));
  }
  const hb = setInterval(() => {
    for (const w of writers) w.send({ k: "hb" });
  }, heartbeatSeconds * 1000);
  return {
    answered: () => answered,
    async close() {
      clearInterval(hb);
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await Promise.all(reads);
    },
  };
}

/** This process's soft open-files limit, from /proc. */
function openFilesLimit(): number {
  const line = Deno.readTextFileSync("/proc/self/limits").split("\n").find((l) =>
    l.startsWith("Max open files")
  );
  return Number(line?.split(/\s+/)[3] ?? 0);
}

/**
 * Raises this process's open-files limit with `prlimit` when allowed (root with
 * CAP_SYS_RESOURCE); otherwise up to the hard limit.
 *
 * @param n Wanted limit.
 * @returns Whether the limit is now at least `n`.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: changes this process's open-file limit.
 * await raiseOpenFiles(30000);
 * ```
 */
export async function raiseOpenFiles(n: number): Promise<boolean> {
  if (openFilesLimit() >= n) return true;
  try {
    const out = await new Deno.Command("prlimit", {
      args: ["--pid", String(Deno.pid), `--nofile=${n}:${n}`],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!out.success) {
      // No privilege: the soft limit can still rise to the hard one.
      await new Deno.Command("prlimit", {
        args: ["--pid", String(Deno.pid), "--nofile=unlimited:"],
        stdout: "null",
        stderr: "null",
      }).output();
    }
  } catch { /* no prlimit */ }
  return openFilesLimit() >= n;
}
