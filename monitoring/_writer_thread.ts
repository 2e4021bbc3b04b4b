/**
 * The monitoring writer's Web Worker: owns the database connection so that SQLite's work never
 * runs on the driver's event loop. Speaks {@linkcode WriterCommand} / {@linkcode WriterReply}.
 *
 * @module
 */
import type { Batch } from "./_batch.ts";
import type { DbWriterOptions } from "./db_writer.ts";
import { WriterQueue, type WriterReport } from "./_writer_queue.ts";

/** Messages to the writer thread. */
export type WriterCommand =
  | { k: "open"; path: string; opts: DbWriterOptions }
  | { k: "batch"; batch: Batch }
  | { k: "close"; boundMs: number };

/** Messages from the writer thread. */
export type WriterReply =
  | { k: "opened" }
  | { k: "open_failed"; error: string }
  | { k: "report"; report: WriterReport }
  | { k: "closed"; written: number; lost: number };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WriterCommand>) => void) | null;
  postMessage(m: WriterReply): void;
  close(): void;
};

let queue: WriterQueue | undefined;
scope.onmessage = async (e) => {
  const m = e.data;
  if (m.k === "open") {
    try {
      queue = new WriterQueue(
        m.path,
        m.opts,
        (report) => scope.postMessage({ k: "report", report }),
      );
      scope.postMessage({ k: "opened" });
    } catch (err) {
      scope.postMessage({ k: "open_failed", error: String(err) });
    }
  } else if (m.k === "batch") {
    queue?.push(m.batch);
  } else if (m.k === "close") {
    const lost = queue ? await queue.close(m.boundMs) : 0;
    scope.postMessage({ k: "closed", written: queue?.written ?? 0, lost });
    queue = undefined;
  }
};
