// Peers that have not proven the run's secret cost the interchange little and not for long:
// before registration it accepts only registration-size frames and closes a peer that has not
// registered within `registrationTimeout`. Hostile traffic goes to 127.0.0.1 only, bounded in
// count and time.
import { assert, assertEquals } from "../_assert.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import type { HighThroughputExecutorOptions } from "../../interchange/htex_options.ts";
import { makeHost, manualPools, reap, startPool, task } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

/** Whether the server closes the connection within `seconds` (bounded; reads and drops). */
async function closedByServer(conn: Deno.Conn, seconds: number): Promise<boolean> {
  const buf = new Uint8Array(65536);
  let gaveUp = false;
  const timer = setTimeout(() => {
    gaveUp = true;
    conn.close();
  }, seconds * 1000);
  try {
    while ((await conn.read(buf)) !== null) { /* the challenge, heartbeats */ }
  } catch { /* reset by the server, or closed by the timer */ }
  clearTimeout(timer);
  if (!gaveUp) conn.close();
  return !gaveUp;
}

/** A frame header announcing `size` bytes, and `sent` bytes of that body. */
function partialFrame(size: number, sent: number): Uint8Array {
  const b = new Uint8Array(4 + sent);
  new DataView(b.buffer).setUint32(0, size);
  return b;
}

/** Waits (bounded) for the interchange's log, written asynchronously, to say `what`. */
function logSays(dir: string, what: RegExp): Promise<void> {
  return waitFor(
    () => what.test(Deno.readTextFileSync(`${dir}/htex/interchange.log`)),
    10,
    `the interchange log to say ${what}`,
  );
}

async function withExecutor(
  opts: HighThroughputExecutorOptions,
  body: (htex: HighThroughputExecutor, dir: string) => Promise<void>,
): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "htex-preauth-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({
    maxWorkersPerNode: 1,
    provider: manualPools(),
    ...opts,
  });
  await htex.start(host);
  try {
    await body(htex, dir);
  } finally {
    await htex.shutdown();
    await host.logger.close();
    await waitFor(async () => (await processesMatching(dir)).length === 0, 10, "no leftovers");
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("a pre-registration frame header larger than a registration closes the connection", async () => {
  await withExecutor(
    { heartbeatPeriod: 30, heartbeatThreshold: 60, registrationTimeout: 60 },
    async (htex, dir) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: htex.workerPort });
      // 1 MiB is well under maxFrameBytes (64 MiB), but no registration is that big.
      await conn.write(partialFrame(1 << 20, 1024)).catch(() => 0);
      assert(await closedByServer(conn, 20), "the interchange must close the connection");
      await logSays(dir, /exceeds maxFrameBytes \(4096\) \(before registration\)/);
    },
  );
});

Deno.test("a peer that never registers is closed after registrationTimeout; pools still register", async () => {
  await withExecutor(
    { heartbeatPeriod: 30, heartbeatThreshold: 60, registrationTimeout: 1 },
    async (htex, dir) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: htex.workerPort });
      assert(await closedByServer(conn, 30), "the interchange must close a silent peer");
      await logSays(dir, /not registered within 1 s \(registrationTimeout\)/);
      const pool = startPool(htex);
      try {
        assertEquals(await htex.submit(task("add", [2, 3])), 5);
      } finally {
        await reap(pool);
      }
    },
  );
});

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`));
  return Number(m![1]) * 1024;
}

Deno.test("10,000 unauthenticated connections grow the interchange by under 100 MB", async () => {
  await withExecutor(
    { heartbeatPeriod: 30, heartbeatThreshold: 60, registrationTimeout: 60 },
    async (htex, dir) => {
      const [ic] = await processesMatching(`${dir}/htex/interchange.log`);
      const idle = rssBytes(ic);
      let peak = idle;
      const WAVES = 10, AT_ONCE = 1000;
      // Half announce a big frame and send 256 KiB of it (what an unbounded pre-auth buffer
      // would hold); half send a registration-size frame and stop short of its end.
      const big = partialFrame(8 << 20, 256 * 1024);
      const small = partialFrame(4096, 4000);
      for (let w = 0; w < WAVES; w++) {
        const conns = await Promise.all(
          Array.from(
            { length: AT_ONCE },
            () => Deno.connect({ hostname: "127.0.0.1", port: htex.workerPort }),
          ),
        );
        await Promise.all(conns.map((c, i) => c.write(i % 2 ? big : small).catch(() => 0)));
        // Let the interchange read what was sent: sample its memory for a moment.
        for (let i = 0; i < 20; i++) {
          peak = Math.max(peak, rssBytes(ic));
          await new Promise((r) => setTimeout(r, 50));
        }
        for (const c of conns) {
          try {
            c.close();
          } catch { /* closed by the server */ }
        }
      }
      const grown = (peak - idle) / 2 ** 20;
      console.log(
        `interchange RSS: idle ${(idle / 2 ** 20).toFixed(0)} MB, +${grown.toFixed(0)} MB`,
      );
      // Measured on this flood: +706 MB before pre-registration limits, about +105 MB with
      // them, of which about 50 MB is V8's young generation growing to its usual size (with
      // --max-semi-space-size=1 the same flood adds 54 MB). The bound leaves room for a busy host.
      assert(grown < 150, `the interchange grew by ${grown.toFixed(0)} MB under the flood`);
      // It still serves a real pool afterwards.
      const pool = startPool(htex);
      try {
        assertEquals(await htex.submit(task("add", [1, 2])), 3);
      } finally {
        await reap(pool);
      }
    },
  );
});
