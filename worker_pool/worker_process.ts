/**
 * One worker process of a pool: connects to its manager's Unix socket, says hello, and runs the
 * tasks it is handed one at a time with the shared {@linkcode runTask}. It exits when the manager
 * goes away (the socket ends), so a killed manager leaves no orphan workers.
 *
 * @module
 */
import { connSink, FrameDecoder, FrameWriter, readMessages } from "../interchange/framing.ts";
import {
  type ManagerToWorker,
  validateMessage,
  type WorkerToManager,
} from "../interchange/protocol.ts";
import { SerializationError } from "../dfk/errors.ts";
import { decode, encode } from "../dfk/serialize/codec.ts";
import { assertSerializable } from "../dfk/serialize/check.ts";
import { runTask, type TaskMessage, type TaskOutcome } from "./run_task.ts";

/**
 * Encodes an outcome; a value that cannot be serialized becomes a `SerializationError`.
 *
 * @param outcome The task's outcome.
 * @returns The encoded bytes.
 *
 * @example
 * ```ts
 * import { encodeOutcome } from "./worker_process.ts";
 * console.assert(encodeOutcome({ id: 1, tryId: 0, ok: true, value: 3 }).length > 0);
 * ```
 */
export function encodeOutcome(outcome: TaskOutcome): Uint8Array {
  try {
    if (outcome.ok) assertSerializable(outcome.value, `the result of task ${outcome.id}`);
    return encode(outcome);
  } catch (e) {
    const error = e instanceof SerializationError ? e : new SerializationError(
      `the result of task ${outcome.id}`,
      `${(e as Error)?.message ?? e}; return plain data (or register the type with registerType)`,
    );
    return encode({ id: outcome.id, tryId: outcome.tryId, ok: false, error });
  }
}

/**
 * Runs a worker until its manager's socket closes.
 *
 * @param socketPath The manager's Unix socket.
 * @param workerId This worker's id within the pool.
 * @returns Exit code.
 *
 * @example
 * ```ts ignore
 * Deno.exit(await runWorkerProcess("/tmp/tsflow-pool-x/sock", 0));
 * ```
 */
export async function runWorkerProcess(socketPath: string, workerId: number): Promise<number> {
  const conn = await Deno.connect({ transport: "unix", path: socketPath });
  const writer = new FrameWriter(connSink(conn));
  const send = (m: WorkerToManager) => writer.send(m);
  send({ k: "hello", workerId, pid: Deno.pid });
  let chain = Promise.resolve();
  const run = async (m: ManagerToWorker) => {
    let outcome: TaskOutcome;
    try {
      outcome = await runTask(decode(m.b) as TaskMessage);
    } catch (e) {
      // Only decoding can throw here (runTask never does): e.g. a type with no rule on this host.
      outcome = {
        id: -1,
        tryId: 0,
        ok: false,
        error: e instanceof Error ? e : new Error(String(e)),
      };
    }
    send({ k: "result", id: m.id, b: encodeOutcome(outcome) });
  };
  try {
    await readMessages(conn, new FrameDecoder(), (msgs) => {
      for (const raw of msgs) {
        const m = validateMessage("managerToWorker", raw);
        chain = chain.then(() => run(m));
      }
    });
  } catch {
    // The manager is gone or sent garbage: either way this worker has nothing left to do.
  }
  try {
    conn.close();
  } catch { /* closed */ }
  return 0;
}
