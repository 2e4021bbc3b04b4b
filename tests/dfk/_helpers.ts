// Shared helpers of the kernel tests.
import {
  type Config,
  type DataFlowKernel,
  load,
  type MonitoringEvent,
  ThreadPoolExecutor,
} from "../../mod.ts";

/** A monitoring sink that keeps every event, for asserting state sequences. */
export class EventLog {
  events: MonitoringEvent[] = [];
  start() {}
  record(e: MonitoringEvent) {
    this.events.push(e);
  }
  close() {
    return Promise.resolve();
  }
  /** States a task went through, in order. */
  states(taskId: number): string[] {
    return this.events.filter((e) => e.type === "task" && e.taskId === taskId).map((e) =>
      (e as { state: string }).state
    );
  }
}

/** Loads a kernel in a fresh temp run dir, runs `fn`, always cleans up. */
export async function withKernel(
  config: Config,
  fn: (dfk: DataFlowKernel, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tsflow-test-" });
  const dfk = await load({
    executors: [new ThreadPoolExecutor({ maxThreads: 2 })],
    runDir: `${dir}/runinfo`,
    ...config,
  });
  try {
    await fn(dfk, dir);
  } finally {
    await dfk.cleanup();
  }
}

/** Number of characters in a counter file (one per run of a counted task). */
export function count(path: string): number {
  try {
    return Deno.readTextFileSync(path).length;
  } catch {
    return 0;
  }
}
