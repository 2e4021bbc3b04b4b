/**
 * Writing frames: {@linkcode FrameWriter} coalesces, so the messages of one turn, or sent while a
 * write is in flight, go out together in one frame and no caller ever awaits a write per message.
 * A quiet link's frame is written as soon as the read that caused it is handled
 * (`flushQuietWriters` in `quiet_writers.ts`, which the read loop calls), else in a microtask.
 *
 * @module
 */
import { DEFAULT_MAX_FRAME_BYTES, encodeFrameInto, type FrameBuffer } from "./frame_codec.ts";
import { ProtocolError } from "./protocol_error.ts";
import { EncodedMessage } from "./wire_codec.ts";
import type { ByteSink } from "./byte_sink.ts";
import { whenQuiet } from "./quiet_writers.ts";

/**
 * A writer that flushed less than this long ago (ms) is busy: it waits one macrotask turn
 * (`setImmediate`, ~5 µs) before the next frame so that messages arriving meanwhile share it.
 * Each frame costs a write system call and a wake-up of the peer (most of a relay's CPU under
 * load). A task round trip sends one message per writer far apart, so it never waits.
 */
export const BUSY_WINDOW_MS = 0.1;
/** Largest frame buffer a writer keeps between writes. */
const MAX_KEPT_FRAME_BYTES = 1 << 20;

/** Most messages a {@linkcode FrameWriter} puts in one frame. */
export const MAX_MESSAGES_PER_FRAME = 1024;

/** Most bytes of a run of encoded messages (see {@linkcode FrameWriter.send}). */
const RUN_BYTES = 64 * 1024;
/**
 * Fewest bytes of a run. A writer's runs grow while they fill up and shrink while they do not:
 * a fresh buffer costs its zeroing and first touch, which a quiet link, sending a few messages
 * per frame, would otherwise pay per frame for 64 KiB.
 */
const MIN_RUN_BYTES = 2048;
/** Most messages in a run. */
const RUN_MESSAGES = 256;

/**
 * Encoded messages a writer copied as they were sent, back to back: one object for many
 * messages waiting to be written, where each would otherwise be an object (and its bytes
 * another) alive until then.
 */
class EncodedRun extends EncodedMessage {
  readonly buf: Uint8Array;
  readonly view: DataView;
  used = 0;
  n = 0;

  constructor(capacity: number) {
    super();
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  override get count(): number {
    return this.n;
  }

  override get byteLength(): number {
    return this.used;
  }

  override writeTo(out: Uint8Array, _view: DataView, at: number): void {
    out.set(this.buf.subarray(0, this.used), at);
  }
}

const countOf = (m: unknown) => m instanceof EncodedMessage ? m.count : 1;

/**
 * Sends messages in coalesced frames.
 *
 * @example
 * ```ts
 * import { FrameDecoder, FrameWriter } from "./framing.ts";
 * import assert from "node:assert/strict";
 * const frames: Uint8Array[] = [];
 * const w = new FrameWriter(async (b) => { frames.push(b.slice()); });
 * w.send({ k: "hb" });
 * w.send({ k: "hb" });
 * await w.flushed();
 * assert(frames.length === 1 && new FrameDecoder().push(frames[0]).length === 2);
 * ```
 */
export class FrameWriter {
  #sink: ByteSink;
  #max: number;
  #pending: unknown[] = [];
  /** Messages in `#pending` (a run holds several). */
  #count = 0;
  /** The run encoded messages sent now are added to (the last of `#pending`). */
  #open?: EncodedRun;
  /** Runs written, to reuse. */
  #spare: EncodedRun[] = [];
  /** Frames are encoded here, one at a time (no buffer per frame). */
  #out: FrameBuffer = { bytes: new Uint8Array(1024) };
  /** Bytes of the next run (between MIN_RUN_BYTES and RUN_BYTES). */
  #runBytes = MIN_RUN_BYTES;
  #running?: Promise<void>;
  /** Messages are waiting or being written (set at the first send; a run may finish at once). */
  #active = false;
  /** Waiting for its run to start: in `quiet`, or for a macrotask when busy. */
  #waiting = false;
  /** Starts a waiting writer's run, if it is still waiting. */
  #kick = () => {
    if (!this.#waiting) return;
    this.#waiting = false;
    this.#start();
  };
  #error?: unknown;
  #lastFlush = -Infinity;
  /** Messages of the batch being written that are not written yet. */
  #writing = 0;
  /** Called once when the sink fails (the peer is gone); later sends are dropped. */
  onError?: (e: unknown) => void;
  /**
   * Called for a single message too large for one frame (with its encoded size and the limit);
   * it is dropped, so the owner must fail what it carried. A message returned (e.g. the failed
   * result of the task) goes out in the dropped one's place: the peer sees messages in the
   * order they were sent, which a pool relying on results coming in order needs.
   */
  onOversize?: (
    message: unknown,
    e: ProtocolError,
    bytes: number,
    max: number,
  ) => object | undefined;

  /**
   * Creates a writer with nothing queued.
   * @param sink Where frames go.
   * @param maxFrameBytes Largest body written; larger batches are split.
   */
  constructor(sink: ByteSink, maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    this.#sink = sink;
    this.#max = maxFrameBytes;
  }

  /** Largest frame body written (a peer may announce a smaller limit than the default). */
  get maxFrameBytes(): number {
    return this.#max;
  }

  /** Sets the largest frame body written. */
  set maxFrameBytes(bytes: number) {
    this.#max = bytes;
  }

  /** Messages waiting to be written. */
  get pending(): number {
    return this.#count;
  }

  /**
   * Messages sent and not yet written, the batch being written included: how far the peer is
   * behind (a relay stops feeding work that would only pile up here).
   */
  get backlog(): number {
    return this.#count + this.#writing;
  }

  /** Whether the sink failed. */
  get failed(): boolean {
    return this.#error !== undefined;
  }

  /**
   * Queues a message; it goes out with whatever else is sent in this turn of the event loop:
   * on a quiet link when the read being handled is done ({@linkcode flushQuietWriters}) or in a
   * microtask, on a busy one a macrotask later, and behind a write in flight when it is done.
   * An {@linkcode EncodedMessage}'s bytes are copied now (they may be a view of a buffer about
   * to be reused), small ones into a run shared with the next ones.
   * @param message The message.
   */
  send(message: unknown): void {
    if (this.#error !== undefined) return;
    this.#queue(message);
    if (!this.#active) {
      // A send from inside a run (a callback reacting to an oversized message) only queues.
      this.#active = true;
      this.#waiting = true;
      // A busy link waits one macrotask, so that messages arriving by I/O meanwhile join the
      // frame. The global, not `node:timers`'s import: importing a `node:` module starts Deno's
      // Node layer (~5 ms) in every process at start; the global starts it only if a link gets
      // busy.
      if (performance.now() - this.#lastFlush < BUSY_WINDOW_MS) setImmediate(this.#kick);
      else whenQuiet(this.#kick);
    }
  }

  /**
   * Queues a message and hands it to the sink now, on a busy link too; behind a write in flight
   * it follows as soon as that is done. For a writer whose owner would call
   * {@linkcode FrameWriter.handOff} right after each message anyway: unlike
   * {@linkcode FrameWriter.send}, it schedules no later turn to write in.
   * @param message The message.
   *
   * @example
   * ```ts
   * import { FrameWriter } from "./frame_writer.ts";
   * import assert from "node:assert/strict";
   * const frames: Uint8Array[] = [];
   * const w = new FrameWriter(async (b) => void frames.push(b.slice()));
   * w.sendNow({ k: "result" });
   * assert.equal(frames.length, 1); // written before sendNow returned
   * ```
   */
  sendNow(message: unknown): void {
    if (this.#error !== undefined) return;
    this.#queue(message);
    if (!this.#active) {
      this.#active = true;
      this.#start();
    } else if (this.#waiting) this.#kick();
  }

  #queue(message: unknown): void {
    if (message instanceof EncodedMessage) this.#sendEncoded(message);
    else {
      this.#pending.push(message);
      this.#open = undefined;
    }
    this.#count++;
  }

  /**
   * Hands the messages queued so far to the sink now, on a busy link too, instead of when the
   * turn ends: a worker does so before each task body, which may run long and would otherwise
   * hold the previous task's result (the pool times the body's walltime from that result).
   * @returns A promise to await only when the messages wait behind a write still in flight
   * (they follow it as soon as it is done); otherwise the sink has them already.
   *
   * @example
   * ```ts
   * import { FrameWriter } from "./frame_writer.ts";
   * import assert from "node:assert/strict";
   * const frames: Uint8Array[] = [];
   * const w = new FrameWriter(async (b) => void frames.push(b.slice()));
   * w.send({ k: "result" });
   * assert.equal(w.handOff(), undefined);
   * assert.equal(frames.length, 1); // written before this turn ended
   * ```
   */
  handOff(): Promise<void> | undefined {
    if (this.#waiting) this.#kick();
    // A kicked run took every queued message; what is queued now waits for the write in flight.
    return this.#count > 0 ? this.#running : undefined;
  }

  #start(): void {
    const running = this.#run();
    // A run that wrote nothing (its one message dropped as oversized) is over already.
    if (this.#active) this.#running = running;
  }

  #sendEncoded(m: EncodedMessage): void {
    const size = m.byteLength;
    let run = this.#open;
    if (run === undefined || run.used + size > run.buf.length || run.n === RUN_MESSAGES) {
      // A run alone always fits in a frame; a message too large to share one goes alone.
      const most = Math.min(RUN_BYTES, this.#max >> 1);
      if (size > most >> 2) {
        const own = new Uint8Array(size);
        m.writeTo(own, new DataView(own.buffer), 0);
        this.#pending.push(new EncodedMessage(own));
        this.#open = undefined;
        return;
      }
      if (run !== undefined) this.#runBytes = Math.min(RUN_BYTES, this.#runBytes * 2);
      const capacity = Math.min(most, Math.max(this.#runBytes, 4 * size));
      run = this.#spare.pop();
      if (run === undefined || run.buf.length < capacity) run = new EncodedRun(capacity);
      this.#open = run;
      this.#pending.push(run);
    }
    m.writeTo(run.buf, run.view, run.used);
    run.used += size;
    run.n++;
  }

  /** Resolves when everything queued so far has been written (or the sink failed). */
  async flushed(): Promise<void> {
    while (this.#active) {
      this.#kick(); // a quiet writer waiting for its flush starts now
      // From inside a run's first, synchronous part (an oversize callback), the run is not set
      // yet: it is once that part returns.
      await (this.#running ?? undefined);
    }
  }

  async #run(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        this.#pending = [];
        this.#open = undefined;
        this.#writing = this.#count;
        this.#count = 0;
        // Bounded frames: the peer starts on the first messages while later ones are encoded,
        // and neither side ever holds one giant frame.
        for (let i = 0; i < batch.length;) {
          let j = i, n = 0;
          while (j < batch.length) {
            const c = countOf(batch[j]);
            if (j > i && n + c > MAX_MESSAGES_PER_FRAME) break;
            n += c;
            j++;
          }
          const part = i === 0 && j === batch.length ? batch : batch.slice(i, j);
          for (const frame of this.#frames(part)) await this.#sink(frame);
          this.#recycle(part);
          this.#writing -= n;
          this.#lastFlush = performance.now();
          i = j;
        }
      }
    } catch (e) {
      this.#error = e ?? new Error("write failed");
      this.#pending = [];
      this.#open = undefined;
      this.#count = 0;
      this.#writing = 0;
      this.onError?.(e);
    } finally {
      this.#running = undefined;
      this.#active = false;
      // One huge frame would otherwise pin a buffer of its size for the life of the link.
      if (this.#out.bytes.length > MAX_KEPT_FRAME_BYTES) this.#out.bytes = new Uint8Array(1024);
    }
  }

  /** Keeps a written part's runs (a couple) for the next messages. */
  #recycle(part: unknown[]): void {
    let runs = 0, filled = false;
    for (const m of part) {
      if (!(m instanceof EncodedRun)) continue;
      runs++;
      filled ||= m.used * 4 >= m.buf.length;
      if (this.#spare.length < 2) {
        m.used = m.n = 0;
        this.#spare.push(m);
      }
    }
    // Runs that stayed mostly empty: the next ones smaller.
    if (runs > 0 && !filled) this.#runBytes = Math.max(MIN_RUN_BYTES, this.#runBytes >> 1);
  }

  // Each frame is written (its sink awaited) before the next is encoded into the same buffer.
  *#frames(batch: unknown[]): Generator<Uint8Array> {
    const frame = encodeFrameInto(batch, this.#out);
    if (frame.length - 4 <= this.#max) {
      yield frame;
    } else if (batch.length === 1) {
      const e = new ProtocolError(
        "oversize",
        `message of ${frame.length - 4} bytes exceeds maxFrameBytes (${this.#max})`,
      );
      const stand = this.onOversize?.(batch[0], e, frame.length - 4, this.#max);
      if (stand === undefined) return;
      // Sending it later instead (after the rest of this batch) would reorder the stream.
      // (A stand-in that does not fit either, under an absurdly small limit, is dropped too.)
      const standFrame = encodeFrameInto([stand], this.#out);
      if (standFrame.length - 4 <= this.#max) yield standFrame;
    } else {
      const half = batch.length >> 1;
      yield* this.#frames(batch.slice(0, half));
      yield* this.#frames(batch.slice(half));
    }
  }
}
