/**
 * One worker process of a pool: connects to its manager's Unix socket, says hello, and runs the
 * tasks it is handed one at a time with the shared {@linkcode runTask}. It exits when the manager
 * goes away (the socket ends), so a killed manager leaves no orphan workers. With resource
 * monitoring on, it samples its own process at each task's end and sends the sample with the
 * result, so even a task of a millisecond has a resource row, as Parsl's monitor wrapper's final
 * sample; a task still running when the pool reports it running gets a first sample from the
 * pool then (`manager.ts`), as the first sample of Parsl's forked monitor.
 *
 * @module
 */
import { connSink, FrameDecoder, FrameWriter, readMessages } from "../interchange/framing.ts";
import {
  type ManagerToWorker,
  validateMessage,
  type WorkerToManager,
} from "../interchange/protocol.ts";
import { oversizeOutcome } from "../interchange/oversize.ts";
import { DEFAULT_MAX_FRAME_BYTES } from "../interchange/framing.ts";
import { wallClockMs } from "../dfk/clock.ts";
import { packSample } from "./_sample_wire.ts";
import type { sampleSelf } from "../monitoring/self_sampler.ts";
import {
  decodeTask,
  encodeOutcome,
  failedOutcome,
  type TaskOutcome,
} from "../interchange/task_codec.ts";
import { runTask } from "./run_task.ts";

const hostname = Deno.hostname();

function sampleInto(sample: typeof sampleSelf, out: (number | string)[]): void {
  const s = sample();
  if (s) packSample(out, s, wallClockMs());
}

/**
 * Runs a worker until its manager's socket closes.
 *
 * @param socketPath The manager's Unix socket.
 * @param workerId This worker's id within the pool.
 * @param maxFrameBytes Largest frame body to the manager (the executor's `maxFrameBytes`).
 * @param sampleResources Whether to sample this process at each task's end.
 * @returns Exit code.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a process entry point: runs until its pool manager stops it.
 * Deno.exit(await runWorkerProcess("/tmp/tsflow-pool-x/sock", 0));
 * ```
 */
export async function runWorkerProcess(
  socketPath: string,
  workerId: number,
  maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES,
  sampleResources = false,
): Promise<number> {
  // Only when monitoring asks for samples: the sampler reads `node:process`, whose import starts
  // Deno's Node layer (~10 ms of CPU at every worker's start).
  const sampler = sampleResources
    ? (await import("../monitoring/self_sampler.ts")).sampleSelf
    : undefined;
  const conn = await Deno.connect({ transport: "unix", path: socketPath });
  const writer = new FrameWriter(connSink(conn), maxFrameBytes);
  // A result too large for a frame fails its task at once (the manager would never see it),
  // in the result's place: the manager takes a worker's results in the order it ran them.
  writer.onOversize = (m, _e, bytes, max) => {
    const r = m as WorkerToManager;
    return r.k === "result" ? { ...r, b: oversizeOutcome(bytes, max) } : undefined;
  };
  const send = (m: WorkerToManager) => writer.send(m);
  send({ k: "hello", workerId, pid: Deno.pid });
  const finish = (m: ManagerToWorker, outcome: TaskOutcome) => {
    let b: Uint8Array;
    try {
      if (sampler) {
        const samples: (number | string)[] = [];
        sampleInto(sampler, samples);
        outcome.samples = samples;
        outcome.host = hostname;
      }
      b = encodeOutcome(outcome);
    } catch (e) {
      b = failedOutcome(e as Error);
    }
    writer.sendNow({ k: "result", id: m.id, b });
  };
  // Tasks run one at a time, in the order they came: while one runs asynchronously, the next
  // waits behind it. Before each body starts, the results before it are handed to the socket
  // (and when they must wait behind a write in flight, the body waits too): the pool times the
  // body's walltime from the previous result, and a long body would otherwise hold it.
  const run = (m: ManagerToWorker): void | Promise<void> => {
    let outcome: TaskOutcome | Promise<TaskOutcome>;
    try {
      outcome = runTask(decodeTask(m.b));
    } catch (e) {
      // Only decoding can throw here (runTask never does): e.g. a type with no rule on this host.
      return writer.sendNow({ k: "result", id: m.id, b: failedOutcome(e as Error) });
    }
    if (!(outcome instanceof Promise)) return finish(m, outcome);
    return outcome.then((o) => finish(m, o));
  };
  const next = (m: ManagerToWorker): void | Promise<void> => {
    const behind = writer.handOff();
    return behind ? behind.then(() => run(m)) : run(m);
  };
  let chain: Promise<void> | undefined;
  const handle = (m: ManagerToWorker) => {
    const pending = chain ? chain.then(() => next(m)) : next(m);
    if (pending) {
      chain = pending;
      pending.then(() => chain === pending && (chain = undefined));
    }
  };
  try {
    await readMessages(conn, new FrameDecoder(maxFrameBytes), (msgs) => {
      for (const raw of msgs) {
        handle(validateMessage("managerToWorker", raw));
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
