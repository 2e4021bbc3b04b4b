// Bad input on the interchange's pool port: each closes only its own connection, with a logged
// reason, while a real pool keeps running tasks and no task is lost.
import { assert, assertEquals } from "../_assert.ts";
import { hmacAnswer } from "../../interchange/auth.ts";
import { encodeFrame, FrameDecoder } from "../../interchange/framing.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { PROTOCOL_VERSION, TSFLOW_VERSION } from "../../interchange/protocol.ts";
import { makeHost, manualPools, reap, startPool, task } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

/** Reads frames until the server closes the connection (bounded); returns what it sent. */
async function readUntilClosed(conn: Deno.Conn, seconds = 10): Promise<unknown[]> {
  const d = new FrameDecoder();
  const got: unknown[] = [];
  const buf = new Uint8Array(65536);
  const timer = setTimeout(() => conn.close(), seconds * 1000);
  try {
    while (true) {
      const n = await conn.read(buf);
      if (n === null) break;
      got.push(...d.push(buf.subarray(0, n)));
    }
  } catch { /* reset or closed by the timer */ }
  clearTimeout(timer);
  try {
    conn.close();
  } catch { /* closed */ }
  return got;
}

function register(
  nonce: Uint8Array,
  secret: string,
  protocol = PROTOCOL_VERSION,
  id = crypto.randomUUID(),
) {
  return {
    k: "register",
    protocol,
    tsflowVersion: TSFLOW_VERSION,
    denoVersion: Deno.version.deno,
    hostname: "fake",
    blockId: "x",
    managerId: id,
    workerCount: 1,
    prefetchCapacity: 0,
    cpuCount: 1,
    totalMemory: 1,
    hmac: hmacAnswer(secret, nonce),
  };
}

async function challenge(port: number): Promise<{ conn: Deno.Conn; nonce: Uint8Array }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const d = new FrameDecoder();
  const buf = new Uint8Array(4096);
  while (true) {
    const n = await conn.read(buf);
    if (n === null) throw new Error("closed before the challenge");
    const [m] = d.push(buf.subarray(0, n)) as { k: string; nonce: Uint8Array }[];
    if (m) return { conn, nonce: m.nonce };
  }
}

Deno.test("bad input closes only the offending connection; a real pool keeps working", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-bad-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({
    provider: manualPools(),
    maxWorkersPerNode: 2,
    maxFrameBytes: 4096,
    heartbeatPeriod: 1,
    heartbeatThreshold: 5,
  });
  await htex.start(host);
  const pool = startPool(htex);
  const secret = Deno.readTextFileSync(`${dir}/htex/secret`).trim();
  const port = htex.workerPort;
  try {
    // Keep tasks flowing through the real pool the whole time.
    const work = Promise.all(
      Array.from({ length: 300 }, (_, i) => htex.submit(task("add", [i, i]))),
    );
    const cases: [string, (c: Deno.Conn, nonce: Uint8Array) => Promise<unknown>][] = [
      [
        "http request",
        (c) => c.write(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n".repeat(10))),
      ],
      ["garbage", (c) => c.write(Uint8Array.of(0, 0, 0, 4, 0xc1, 0xc1, 0xc1, 0xc1))],
      ["oversize", (c) => c.write(Uint8Array.of(0x7f, 0xff, 0xff, 0xff, 1, 2, 3))],
      [
        "truncated",
        (c) => c.write(encodeFrame([{ k: "hb" }]).subarray(0, 5)).then(() => c.closeWrite()),
      ],
      ["unknown kind", (c) => c.write(encodeFrame([{ k: "launch-missiles" }]))],
      [
        "before registering",
        (c) => c.write(encodeFrame([{ k: "result", id: 1, b: new Uint8Array(1) }])),
      ],
      ["wrong HMAC", (c, n) => c.write(encodeFrame([register(n, "not-the-secret")]))],
      [
        "wrong protocol",
        (c, n) => c.write(encodeFrame([register(n, secret, PROTOCOL_VERSION + 1)])),
      ],
    ];
    for (const [name, send] of cases) {
      const { conn, nonce } = await challenge(port);
      await send(conn, nonce);
      const replies = await readUntilClosed(conn);
      if (name === "wrong HMAC" || name === "wrong protocol") {
        const r = replies.find((m) => (m as { k: string }).k === "refused") as { reason: string };
        assert(r, `${name}: a refusal is sent`);
        assert(r.reason.includes(name === "wrong HMAC" ? "HMAC" : "protocol"), r.reason);
      }
    }
    const results = await work;
    assertEquals(results.length, 300);
    assertEquals(results[299], 598);
    assertEquals(await htex.submit(task("add", [2, 2])), 4, "the pool still works");
    // A valid registration on a fresh connection still succeeds after all that.
    const { conn, nonce } = await challenge(port);
    await conn.write(encodeFrame([register(nonce, secret)]));
    const d = new FrameDecoder();
    const buf = new Uint8Array(4096);
    const n = await conn.read(buf);
    assertEquals((d.push(buf.subarray(0, n!))[0] as { k: string }).k, "registered");
    conn.close();
    await host.logger.flush();
    const log = await (async () => {
      await waitFor(
        () => Deno.readTextFileSync(`${dir}/htex/interchange.log`).includes("wrong HMAC"),
        5,
        "log",
      );
      return Deno.readTextFileSync(`${dir}/htex/interchange.log`);
    })();
    for (
      const reason of [
        "oversize",
        "garbage",
        "truncated",
        "unknown-kind",
        'expected "register"',
        "protocol",
      ]
    ) {
      assert(log.includes(reason), `the log names the reason "${reason}"`);
    }
  } finally {
    await htex.shutdown();
    await reap(pool);
    await host.logger.close();
    assertEquals(await processesMatching(dir), []);
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a pool with the wrong secret is refused, says why, and exits 1", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-secret-" });
  const host = makeHost(dir);
  const htex = new HighThroughputExecutor({
    provider: manualPools(),
    heartbeatPeriod: 1,
    heartbeatThreshold: 5,
  });
  await htex.start(host);
  let pool: Deno.ChildProcess | undefined;
  try {
    Deno.writeTextFileSync(`${dir}/wrong`, "wrong-secret\n", { mode: 0o600 });
    const argv = htex.workerCommand("0");
    argv[argv.indexOf("--secret-file") + 1] = `${dir}/wrong`;
    pool = new Deno.Command(argv[0], { args: argv.slice(1), stdout: "null", stderr: "piped" })
      .spawn();
    const out = await pool.output();
    assertEquals(out.code, 1);
    assert(new TextDecoder().decode(out.stderr).includes("refused this pool: wrong HMAC"));
  } finally {
    await htex.shutdown();
    await reap(pool);
    await host.logger.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
