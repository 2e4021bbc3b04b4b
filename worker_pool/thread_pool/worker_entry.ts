/**
 * The body of one ThreadPoolExecutor Web Worker: receives batches of encoded tasks, runs them in
 * order with the shared task runner, and posts back their encoded outcomes, in the same order.
 *
 * @module
 */
import { wallClockMs } from "../../dfk/clock.ts";
import {
  decodeTask,
  encodeOutcome,
  failedOutcome,
  type TaskMessage,
} from "../../interchange/task_codec.ts";
import { runTask } from "../run_task.ts";

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<Uint8Array[]>) => void) | null;
  postMessage(data: unknown, transfer?: Transferable[]): void;
};

// Deno.exit() in a Web Worker ends the worker silently, with no event for the pool to see, and
// its task would never return: inside the pool it fails the task instead.
Object.defineProperty(Deno, "exit", {
  value: (code?: number) => {
    throw new Error(
      `Deno.exit(${code ?? ""}) called by an app in a ThreadPoolExecutor thread: ` +
        "throw an error to fail the task, or run the app on a HighThroughputExecutor",
    );
  },
});

// An app's stray async error (a timer, an un-awaited promise) must not kill this worker and
// every task queued on it: it is logged and the worker goes on.
addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  console.error("tsflow thread worker: unhandled rejection in an app:", e.reason);
});
addEventListener("error", (e) => {
  e.preventDefault();
  console.error("tsflow thread worker: uncaught error in an app:", e.error ?? e.message);
});

let chain = Promise.resolve();
scope.onmessage = (e) => {
  const batch = e.data;
  chain = chain.then(async () => {
    const outs: Uint8Array[] = [];
    for (const [index, bytes] of batch.entries()) {
      let task: TaskMessage;
      try {
        task = decodeTask(bytes);
      } catch (error) {
        outs.push(failedOutcome(error as Error));
        continue;
      }
      // A compact copy: the codec returns views into a reused buffer.
      const started = () => scope.postMessage([index, wallClockMs()]);
      outs.push(encodeOutcome(await runTask(task, started)).slice());
    }
    scope.postMessage(outs, outs.map((o) => o.buffer as ArrayBuffer));
  });
};
scope.postMessage("ready");
