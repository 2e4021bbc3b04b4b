// The no-op task the HighThroughputExecutor benchmarks submit through the Executor interface.
import type { ExecutorTask } from "../dfk/executor.ts";

let id = 0;

/** A no-op task calling `noop` of the given apps module: the next id, or the one given. */
export function noopTask(apps: string, n: number = ++id): ExecutorTask {
  return {
    id: n,
    tryId: 0,
    ref: { module: apps, export: "noop" },
    kind: "function",
    args: [],
    context: {
      appName: "noop",
      taskId: n,
      tryId: 0,
      inputs: [],
      outputs: [],
      resourceSpecification: {},
    },
  };
}
