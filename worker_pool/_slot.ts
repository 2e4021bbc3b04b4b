/**
 * Internal pieces of the pool manager: a worker slot's record and a quiet close.
 *
 * @module
 */
import type { FrameWriter } from "../interchange/framing.ts";
import type { TaskEnvelope } from "../interchange/protocol.ts";

/** One worker place of a pool: the process filling it and the tasks handed to it. */
export interface Slot {
  /** Worker id within the pool. */
  id: number;
  /** The current worker process. */
  child?: Deno.ChildProcess;
  /** Its pid. */
  pid?: number;
  /** Frames to the worker (after its hello). */
  writer?: FrameWriter;
  /** Its socket. */
  conn?: Deno.Conn;
  /** Tasks handed to the worker, in the order it runs them; the first is running. */
  tasks: TaskEnvelope[];
  /** When the first task started (ms, performance.now()). */
  headStart: number;
  /** Whether the worker said hello and takes tasks. */
  ready: boolean;
  /** Walltime timer of the running task. */
  timer?: ReturnType<typeof setTimeout>;
  /** Whether the walltime killed the worker. */
  timedOut?: boolean;
  /** When the process was started (ms epoch). */
  spawnedAt: number;
}

/** Runs a close or kill that may find its target already gone. */
export function quietly(f: () => void): void {
  try {
    f();
  } catch { /* already closed or exited */ }
}
