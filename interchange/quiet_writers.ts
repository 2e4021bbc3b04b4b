/**
 * When a quiet link's frame is written: writers with messages waiting register here, and the
 * read loop writes them all as soon as it has handled a read ({@linkcode flushQuietWriters}),
 * else a microtask does. One list for every link of the process, so a reply on one link leaves
 * before the next read on any of them starts.
 *
 * @module
 */

/** Quiet writers with a frame to write, each as its start function (see flushQuietWriters). */
const quiet: (() => void)[] = [];
let flushing = false;

/**
 * Registers a quiet writer's start function: it runs at the next {@linkcode flushQuietWriters},
 * at the latest in a microtask. A start function must do nothing when called again after its
 * writer started.
 *
 * @param start Starts the writer's frame.
 *
 * @example
 * ```ts
 * import { flushQuietWriters, whenQuiet } from "./quiet_writers.ts";
 * import assert from "node:assert/strict";
 * let started = 0;
 * whenQuiet(() => started++);
 * flushQuietWriters();
 * assert.equal(started, 1);
 * ```
 */
export function whenQuiet(start: () => void): void {
  if (quiet.push(start) === 1) queueMicrotask(flushQuietWriters);
}

/**
 * Writes the frames of every quiet link that has messages waiting, now rather than in a
 * microtask. The read loop calls it when it has handled a read: what a relay or a worker sends
 * in reply leaves before the next read is started and before the rest of the turn's microtasks
 * (a round trip's six hops would otherwise each wait for them), still as one frame per link.
 *
 * @example
 * ```ts
 * import { flushQuietWriters } from "./quiet_writers.ts";
 * import { FrameWriter } from "./frame_writer.ts";
 * import assert from "node:assert/strict";
 * const frames: Uint8Array[] = [];
 * const w = new FrameWriter(async (b) => void frames.push(b.slice()));
 * w.send({ k: "hb" });
 * w.send({ k: "hb" });
 * flushQuietWriters();
 * assert.equal(frames.length, 1); // written before any microtask ran: one frame, both messages
 * ```
 */
export function flushQuietWriters(): void {
  // A writer's callback may send on another quiet writer (it joins this same pass), or flush
  // (a nested pass would empty the list under this one: the writers it adds are this pass's).
  if (flushing) return;
  flushing = true;
  try {
    for (let i = 0; i < quiet.length; i++) quiet[i]();
  } finally {
    quiet.length = 0;
    flushing = false;
  }
}
