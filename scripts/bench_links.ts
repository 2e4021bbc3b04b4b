/**
 * The transport floor under HTEX's sequential round trip: the same chain of processes (driver ->
 * interchange -> manager -> worker and back, over TCP and a Unix socket) built from bare Deno
 * processes that only forward a 64-byte message, with no tsflow code at all. Prints the median
 * and p99 round trip of that chain and of a single two-process ping-pong, measured now, so
 * `bench_htex`'s `kernel_roundtrip_median_ms` can be read against what Deno's I/O alone costs
 * on this machine; and the writer's CPU for one awaited 64-byte write on a Unix socket (what a
 * worker pays per result), with a synchronous pipe write for scale.
 *
 *   deno run -A scripts/bench_links.ts [--quick]
 *
 * @module
 */
import { cpuSeconds } from "./_bench_procs.ts";

const SIZE = 64;
const role = Deno.args[0];

async function readFull(conn: Deno.Conn, buf: Uint8Array): Promise<boolean> {
  let n = 0;
  while (n < buf.length) {
    const k = await conn.read(buf.subarray(n));
    if (k === null) return false;
    n += k;
  }
  return true;
}

async function writeFull(conn: Deno.Conn, buf: Uint8Array): Promise<void> {
  let n = 0;
  while (n < buf.length) n += await conn.write(buf.subarray(n));
}

function listen(unix: boolean): Deno.Listener {
  return unix
    ? Deno.listen({ transport: "unix", path: Deno.makeTempFileSync({ suffix: ".sock" }) + "x" })
    : Deno.listen({ hostname: "127.0.0.1", port: 0 });
}

function addressOf(l: Deno.Listener): string {
  const a = l.addr as Deno.NetAddr | Deno.UnixAddr;
  return "path" in a ? `unix:${a.path}` : `${a.hostname}:${a.port}`;
}

function connect(address: string): Promise<Deno.Conn> {
  if (address.startsWith("unix:")) {
    return Deno.connect({ transport: "unix", path: address.slice(5) });
  }
  const [hostname, port] = address.split(":");
  return Deno.connect({ hostname, port: Number(port) });
}

/** A process of the chain: echoes (the last), or forwards both ways between upstream and next. */
async function serve(kind: "echo" | "relay", unix: boolean, next?: string): Promise<void> {
  const l = listen(unix);
  console.log(addressOf(l));
  const up = await l.accept();
  (up as Deno.TcpConn).setNoDelay?.(true);
  const buf = new Uint8Array(SIZE);
  if (kind === "echo") {
    while (await readFull(up, buf)) await writeFull(up, buf);
    return;
  }
  const down = await connect(next!);
  (down as Deno.TcpConn).setNoDelay?.(true);
  const back = new Uint8Array(SIZE);
  await Promise.all([
    (async () => {
      while (await readFull(up, buf)) await writeFull(down, buf);
    })(),
    (async () => {
      while (await readFull(down, back)) await writeFull(up, back);
    })(),
  ]);
}

async function spawn(args: string[]): Promise<{ address: string; child: Deno.ChildProcess }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, ...args],
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`bench_links: ${args[0]} exited before listening`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return { address: text.trim(), child };
}

/** Median and p99 of `n` sequential round trips through the chain whose head is `address`. */
async function roundTrips(address: string, n: number): Promise<[number, number]> {
  const conn = await connect(address);
  (conn as Deno.TcpConn).setNoDelay?.(true);
  const buf = new Uint8Array(SIZE);
  const lat: number[] = [];
  for (let i = 0; i < n + 500; i++) {
    const t = performance.now();
    await writeFull(conn, buf);
    await readFull(conn, buf);
    if (i >= 500) lat.push(performance.now() - t); // the first 500 warm the JIT
  }
  conn.close();
  lat.sort((a, b) => a - b);
  return [lat[Math.floor(n / 2)], lat[Math.floor(n * 0.99)]];
}

/** CPU µs per 64-byte write from this process, `n` of them, after 2,000 to warm up. */
async function timeWrites(n: number, write: () => unknown): Promise<number> {
  let c0 = 0;
  for (let i = -2_000; i < n; i++) {
    if (i === 0) c0 = cpuSeconds(Deno.pid); // the first 2,000 warm up
    const r = write();
    if (r instanceof Promise) await r;
  }
  return ((cpuSeconds(Deno.pid) - c0) * 1e6) / n;
}

/**
 * What one write costs the writer when each must leave before the next step, as a worker hands
 * each result to its pool before the next task's body: an awaited write on a Unix socket (the
 * only kind Deno has), and for scale a synchronous write on a pipe (stdout). A reader drains both.
 */
async function writeCosts(n: number): Promise<{ unix: number; pipeSync: number }> {
  const l = listen(true);
  const drain = (async () => {
    const c = await l.accept();
    const buf = new Uint8Array(1 << 16);
    while (await c.read(buf) !== null) { /* drain */ }
    c.close();
  })();
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL(import.meta.url).pathname, ...args, String(n)],
      stdout: "piped",
      stderr: "piped",
    }).output();
  const unix = await run(["unix-writer", addressOf(l).slice(5)]);
  l.close(); // a writer that never connected leaves the accept waiting: this ends it
  await drain.catch(() => {});
  // The pipe writer's figure comes on stderr (its last line): its stdout is the pipe under test.
  const pipe = await run(["pipe-writer"]);
  const figure = (o: Deno.CommandOutput, b: Uint8Array, who: string) => {
    const text = new TextDecoder().decode(b).trim();
    const us = Number(text.split("\n").at(-1));
    if (!o.success || text === "" || !Number.isFinite(us)) {
      throw new Error(`bench_links: the ${who} failed (exit ${o.code}): ${text}`);
    }
    return us;
  };
  return {
    unix: figure(unix, unix.stdout, "Unix-socket writer"),
    pipeSync: figure(pipe, pipe.stderr, "pipe writer"),
  };
}

if (role === "echo" || role === "relay") {
  await serve(role, Deno.args[1] === "unix", Deno.args[2]);
} else if (role === "unix-writer") {
  const conn = await Deno.connect({ transport: "unix", path: Deno.args[1] });
  const buf = new Uint8Array(SIZE);
  const us = await timeWrites(Number(Deno.args[2]), () => conn.write(buf));
  conn.close();
  console.log(us);
} else if (role === "pipe-writer") {
  const buf = new Uint8Array(SIZE);
  const us = await timeWrites(Number(Deno.args[1]), () => Deno.stdout.writeSync(buf));
  console.error(us);
} else {
  const n = Deno.args.includes("--quick") ? 2_000 : 10_000;
  const out = (name: string, ms: number) => console.log(`${name}=${ms.toFixed(3)}`);
  // Two processes: the least any cross-process round trip costs here.
  const echo = await spawn(["echo", "tcp"]);
  const [pp, pp99] = await roundTrips(echo.address, n);
  out("links_pingpong_2proc_median_ms", pp);
  out("links_pingpong_2proc_p99_ms", pp99);
  echo.child.kill();
  await echo.child.status;
  // HTEX's shape: driver -> interchange (TCP) -> manager (TCP) -> worker (Unix socket).
  const worker = await spawn(["echo", "unix"]);
  const manager = await spawn(["relay", "tcp", worker.address]);
  const interchange = await spawn(["relay", "tcp", manager.address]);
  const procs = { interchange, manager, worker };
  const cpu = () => Object.values(procs).map((p) => cpuSeconds(p.child.pid));
  const before = cpu(), self0 = cpuSeconds(Deno.pid);
  const [chain, chain99] = await roundTrips(interchange.address, n);
  const after = cpu(), self1 = cpuSeconds(Deno.pid);
  out("links_htex_chain_median_ms", chain);
  out("links_htex_chain_p99_ms", chain99);
  // CPU per round trip in each process: what forwarding one message each way costs with no
  // decoding at all (compare bench_htex's kernel_roundtrip_cpu_us_<role>).
  out("links_htex_chain_cpu_us_driver", ((self1 - self0) * 1e6) / (n + 500));
  Object.keys(procs).forEach((role, i) =>
    out(`links_htex_chain_cpu_us_${role}`, ((after[i] - before[i]) * 1e6) / (n + 500))
  );
  for (const p of [interchange, manager, worker]) {
    p.child.kill();
    await p.child.status;
  }
  // The floor under a pipelining worker's CPU per task (bench_htex's cpu_us_per_task_worker):
  // one awaited socket write per result.
  const w = await writeCosts(n * 20);
  console.log(`links_unix_write_cpu_us=${w.unix.toFixed(2)}`);
  console.log(`links_pipe_write_sync_cpu_us=${w.pipeSync.toFixed(2)}`);
}
