/**
 * The executor's handle on its interchange process: spawns `tsflow interchange`, talks to it
 * with coalesced frames over a Unix socket in a private directory (its stdout only announces the
 * socket; its stdin stays open so that it ends when the driver dies), sends its stderr to a file,
 * and stops it within a bound (asking first, then SIGKILL). A socket read with `conn.read()` is
 * ~3× faster per message than a pipe read through streams.
 *
 * @module
 */
import { modeCommand } from "../cli/self_command.ts";
import { type ByteSink, connSink, FrameDecoder, FrameWriter, readMessages } from "./framing.ts";
import type { ExecutorToInterchange, InterchangeToExecutor } from "./protocol.ts";
import { validateMessage } from "./protocol.ts";

/** Callbacks of an {@linkcode InterchangeHandle}. */
export interface InterchangeEvents {
  /** A message from the interchange (after `started`). */
  message(m: Exclude<InterchangeToExecutor, { k: "started" }>): void;
  /** The link is gone: exited, killed, or sent bad data. Called once. */
  lost(reason: string): void;
  /** A task message was too large for a frame (its size, the limit). */
  oversize(taskId: number, bytes: number, maxFrameBytes: number): void;
}

/** The last few lines of a file, or "" when it cannot be read. */
function lastLines(path: string, n = 5): string {
  try {
    return Deno.readTextFileSync(path).trim().split("\n").slice(-n).join("\n").trim();
  } catch {
    return "";
  }
}

const timeout = (ms: number) => {
  let t: ReturnType<typeof setTimeout>;
  return {
    promise: new Promise<"timeout">((r) => t = setTimeout(() => r("timeout"), ms)),
    clear: () => clearTimeout(t),
  };
};

/**
 * The driver's handle on a running interchange process.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: starts an interchange process (tests/e2e/).
 * const ic = await InterchangeHandle.spawn(args, stderrPath, maxFrame, events);
 * ic.send({ k: "hb" });
 * await ic.stop(5000);
 * ```
 */
export class InterchangeHandle {
  /** Port pools connect to. */
  readonly port: number;
  /** When the last message arrived (ms epoch). */
  lastHeard: number = Date.now();
  #child: Deno.ChildProcess;
  #writer: FrameWriter;
  #reading: Promise<void>;
  #lost = false;
  #stdin: WritableStreamDefaultWriter<Uint8Array>;

  private constructor(
    child: Deno.ChildProcess,
    writer: FrameWriter,
    port: number,
    reading: Promise<void>,
    stdin: WritableStreamDefaultWriter<Uint8Array>,
  ) {
    this.#stdin = stdin;
    this.#child = child;
    this.#writer = writer;
    this.port = port;
    this.#reading = reading;
  }

  /**
   * Spawns the interchange and waits (at most `startSeconds`) for it to listen.
   *
   * @param args `tsflow interchange` arguments.
   * @param stderrPath File that receives its stderr.
   * @param maxFrameBytes Frame limit.
   * @param events Callbacks.
   * @param startSeconds Bound on start-up.
   * @returns The running interchange.
   * @throws Error when it exits or stays silent during start-up (it is killed then).
   */
  static async spawn(
    args: string[],
    stderrPath: string,
    maxFrameBytes: number,
    events: InterchangeEvents,
    startSeconds = 30,
  ): Promise<InterchangeHandle> {
    const sockDir = Deno.makeTempDirSync({ prefix: "tsflow-ic-" }); // mode 0700: only us
    const sock = `${sockDir}/executor.sock`;
    const argv = modeCommand("interchange", [...args, "--executor-socket", sock]);
    const child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const errFile = await Deno.open(stderrPath, { create: true, append: true });
    const errCopied = child.stderr.pipeTo(errFile.writable).catch(() => {});
    // stdin is never written: it is the interchange's signal that the driver is gone.
    const stdin = child.stdin.getWriter();
    let connected!: (c: Deno.Conn) => void;
    let refused!: (e: unknown) => void;
    const conn = new Promise<Deno.Conn>((ok, no) => [connected, refused] = [ok, no]);
    conn.catch(() => {});
    // Until connected, frames wait for the connection; then they go straight to it (no turn of
    // the event loop between a task's send and its write).
    let sink: ByteSink | undefined;
    const writer = new FrameWriter(
      (b) => sink ? sink(b) : conn.then((c) => (sink ??= connSink(c))(b)),
      maxFrameBytes,
    );
    const box: { h?: InterchangeHandle } = {};
    let lostEarly: string | undefined;
    const lose = (reason: string) => {
      if (box.h) box.h.#lose(reason, events);
      else lostEarly ??= reason;
    };
    writer.onError = (e) => lose(`cannot write to the interchange: ${(e as Error)?.message ?? e}`);
    writer.onOversize = (m, _e, bytes, max) => {
      events.oversize((m as { id: number }).id, bytes, max);
      return undefined;
    };
    let started!: (port: number) => void;
    const startedP = new Promise<number>((r) => started = r);
    let lastHeard = Date.now();
    const onMessages = (msgs: unknown[]) => {
      lastHeard = Date.now();
      if (box.h) box.h.lastHeard = lastHeard;
      for (const raw of msgs) {
        const m = validateMessage("interchangeToExecutor", raw);
        if (m.k === "started") started(m.port);
        else events.message(m);
      }
    };
    const bad = (e: unknown) => lose(`bad data from the interchange: ${(e as Error).message}`);
    const announced = readMessages(child.stdout, new FrameDecoder(maxFrameBytes), onMessages)
      .catch(bad);
    const reading = conn.then(
      (c) => readMessages(c, new FrameDecoder(maxFrameBytes), onMessages).catch(bad),
      () => {},
    ).then(() => announced);
    const exited = child.status.then((st) => {
      lose(`the interchange exited (${st.signal ?? `code ${st.code}`})`);
      return "exited" as const;
    });
    const t = timeout(startSeconds * 1000);
    let port = await Promise.race([startedP, t.promise, exited]);
    t.clear();
    if (typeof port === "number") {
      try {
        connected(await Deno.connect({ transport: "unix", path: sock }));
      } catch (e) {
        refused(e);
        port = "exited";
      }
    } else refused(new Error("the interchange did not start"));
    Deno.remove(sockDir, { recursive: true }).catch(() => {});
    if (typeof port !== "number") {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
      await child.status;
      await reading;
      if (port === "timeout") {
        throw new Error(
          `the interchange did not start within ${startSeconds} s: see ${stderrPath}`,
        );
      }
      // Its stderr says why (e.g. the port is taken): bring the reason here, not just the file.
      const copied = timeout(2000);
      await Promise.race([errCopied, copied.promise]);
      copied.clear();
      const why = lastLines(stderrPath);
      throw new Error(
        `the interchange exited during start-up${why ? `: ${why}` : ""} (see ${stderrPath})`,
      );
    }
    const handle = box.h = new InterchangeHandle(child, writer, port, reading, stdin);
    handle.lastHeard = lastHeard;
    if (lostEarly) handle.#lose(lostEarly, events);
    return handle;
  }

  /**
   * Queues a message (coalesced with others sent in the same turn).
   * @param m The message.
   */
  send(m: ExecutorToInterchange): void {
    this.#writer.send(m);
  }

  /** Messages queued and not yet written. */
  get backlog(): number {
    return this.#writer.backlog;
  }

  /**
   * Resolves once the messages queued so far are written (or writing failed).
   * @returns When the writer is idle.
   */
  flushed(): Promise<void> {
    return this.#writer.flushed();
  }

  /**
   * Asks the interchange to shut down; kills it after `ms`.
   * @param ms Bound in milliseconds.
   */
  async stop(ms: number): Promise<void> {
    this.#lost = true;
    this.#writer.send({ k: "shutdown" });
    const t = timeout(ms);
    const how = await Promise.race([this.#child.status, t.promise]);
    t.clear();
    if (how === "timeout") this.kill();
    await this.#child.status;
    this.#stdin.close().catch(() => {});
    const r = timeout(1000);
    await Promise.race([this.#reading, r.promise]);
    r.clear();
  }

  /** Kills the interchange at once. */
  kill(): void {
    try {
      this.#child.kill("SIGKILL");
    } catch { /* gone */ }
  }

  #lose(reason: string, events: InterchangeEvents): void {
    if (this.#lost) return;
    this.#lost = true;
    events.lost(reason);
  }
}
