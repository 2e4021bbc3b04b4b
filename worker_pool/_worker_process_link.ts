/**
 * Internal pieces of the pool manager: a worker process as the pool core's link, and a quiet
 * close.
 *
 * @module
 */
import type { FrameWriter } from "../interchange/framing.ts";
import type { TaskEnvelope } from "../interchange/protocol.ts";
import type { WorkerLink } from "./pool_links.ts";

/** One worker process of a pool, reached over its Unix socket once it said hello. */
export interface WorkerProcessLink extends WorkerLink<TaskEnvelope> {
  /** Its slot (worker id within the pool). */
  slot: number;
  /** The process. */
  child: Deno.ChildProcess;
  /** Its pid. */
  pid: number;
  /** Frames to the worker (after its hello). */
  writer?: FrameWriter;
  /** Its socket. */
  conn?: Deno.Conn;
}

/** Runs a close or kill that may find its target already gone. */
export function quietly(f: () => void): void {
  try {
    f();
  } catch { /* already closed or exited */ }
}
