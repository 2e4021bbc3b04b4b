// The interchange's two executor links, with a real interchange process: over a Unix socket
// (what the executor uses; stdin only signals the driver's death) and over stdin/stdout.
import { assertEquals } from "../_assert.ts";
import { encodeFrame, FrameDecoder, readMessages } from "../../interchange/framing.ts";
import { modeCommand } from "../../cli/self_command.ts";

function spawn(dir: string, extra: string[]): Deno.ChildProcess {
  Deno.writeTextFileSync(`${dir}/secret`, "s3cret");
  const argv = modeCommand("interchange", [
    "--port",
    "0",
    "--log-file",
    `${dir}/interchange.log`,
    "--secret-file",
    `${dir}/secret`,
    ...extra,
  ]);
  return new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
}

/** Kills the child after 20 s, so no read of its output can wait for ever. */
function guard(child: Deno.ChildProcess): () => void {
  const t = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
  }, 20_000);
  return () => clearTimeout(t);
}

/** The child's exit code, or "still running" after `ms`. */
async function exitWithin(child: Deno.ChildProcess, ms: number): Promise<number | string> {
  let t: ReturnType<typeof setTimeout> | undefined;
  const r = await Promise.race([
    child.status.then((st) => st.code),
    new Promise<string>((ok) => t = setTimeout(() => ok("still running"), ms)),
  ]);
  clearTimeout(t);
  return r;
}

/** Reads messages until `stop` says so (bounded by the stream's end). */
async function readUntil(
  source: Deno.Conn | ReadableStream<Uint8Array>,
  stop: (m: { k: string }) => boolean,
): Promise<{ k: string; sock?: string }[]> {
  const got: { k: string; sock?: string }[] = [];
  class Enough extends Error {}
  await readMessages(source, new FrameDecoder(), (msgs) => {
    for (const m of msgs as { k: string }[]) {
      got.push(m);
      if (stop(m)) throw new Enough();
    }
  }).catch((e) => {
    if (!(e instanceof Enough)) throw e;
  });
  return got;
}

Deno.test("executor socket: announced on stdout, carries messages, stdin's end stops the interchange", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "ic-link-" });
  const sock = `${dir}/executor.sock`;
  const child = spawn(dir, ["--executor-socket", sock]);
  const unguard = guard(child);
  let conn: Deno.Conn | undefined;
  try {
    const [started] = await readUntil(child.stdout, (m) => m.k === "started");
    assertEquals(started.sock, sock);
    conn = await Deno.connect({ transport: "unix", path: sock });
    await conn.write(encodeFrame([{ k: "hb" }]));
    // The driver "dies": its end of stdin closes, and the interchange exits on its own.
    await child.stdin.close();
    assertEquals(await exitWithin(child, 10_000), 0);
  } finally {
    unguard();
    conn?.close();
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    await child.status;
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("stdio link: started on stdout, shutdown on stdin stops the interchange", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "ic-link-" });
  const child = spawn(dir, []);
  const unguard = guard(child);
  const stdin = child.stdin.getWriter();
  try {
    const [started] = await readUntil(child.stdout, (m) => m.k === "started");
    assertEquals(started.k, "started");
    assertEquals(started.sock, undefined);
    await stdin.write(encodeFrame([{ k: "hb" }, { k: "shutdown" }]));
    assertEquals(await exitWithin(child, 10_000), 0);
  } finally {
    unguard();
    await stdin.close().catch(() => {});
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    await child.status;
    Deno.removeSync(dir, { recursive: true });
  }
});
