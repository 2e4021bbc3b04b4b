// Shared helpers for the HighThroughputExecutor end-to-end tests.
import type { ExecutorHost, ExecutorTask } from "../../dfk/executor.ts";
import { Logger } from "../../dfk/logger.ts";
import type { MonitoringEvent } from "../../dfk/monitoring_event.ts";
import type { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { LocalProvider } from "../../providers/local_provider.ts";

export const APPS = new URL("../fixtures/htex_apps.ts", import.meta.url).href;

/**
 * A provider that makes no blocks, for tests that start their pools by hand (an executor without a
 * provider gets a `LocalProvider()` with one block, as in Parsl).
 */
export function manualPools(): LocalProvider {
  return new LocalProvider({ initBlocks: 0, minBlocks: 0, maxBlocks: 0 });
}

/** A host for driving an executor without the kernel. */
export function makeHost(dir: string): ExecutorHost & { events: MonitoringEvent[] } {
  const events: MonitoringEvent[] = [];
  return {
    runDir: dir,
    runId: crypto.randomUUID(),
    logger: new Logger("test", `${dir}/driver.log`),
    emit: (e) => events.push(e),
    outstanding: () => 0,
    events,
  };
}

let nextId = 1;

/** A task calling an export of the fixture module. */
export function task(
  name: string,
  args: unknown[] = [],
  extra: { walltime?: number; priority?: number; kind?: "function" | "bash"; tryId?: number } = {},
): ExecutorTask {
  const id = nextId++;
  return {
    id,
    tryId: extra.tryId ?? 0,
    ref: { module: APPS, export: name },
    kind: extra.kind ?? "function",
    args,
    context: {
      appName: name,
      taskId: id,
      tryId: extra.tryId ?? 0,
      inputs: [],
      outputs: [],
      walltime: extra.walltime,
      resourceSpecification: extra.priority === undefined ? {} : { priority: extra.priority },
    },
  };
}

/** Starts a worker pool by hand for an executor; returns the child process. */
export function startPool(
  htex: HighThroughputExecutor,
  blockId = "manual",
  extra: string[] = [],
): Deno.ChildProcess {
  const argv = htex.workerCommand(blockId);
  return new Deno.Command(argv[0], {
    args: [...argv.slice(1), ...extra],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

/** Kills a child if still running and waits for it. */
export async function reap(child: Deno.ChildProcess | undefined): Promise<void> {
  if (!child) return;
  try {
    child.kill("SIGKILL");
  } catch { /* exited */ }
  await child.status;
  try {
    await child.stderr.cancel();
  } catch { /* not piped, or already read */ }
}
