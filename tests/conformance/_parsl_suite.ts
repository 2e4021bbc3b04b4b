// Runs one Parsl scenario group against every executor Parsl runs it on (ThreadPool and
// HighThroughput with one local block), each in a fresh run directory.
import {
  type Config,
  type DataFlowKernel,
  type Executor,
  HighThroughputExecutor,
  load,
  LocalProvider,
  type StagingProvider,
  ThreadPoolExecutor,
} from "../../mod.ts";

/** The executors of the shared suites, by name (optionally with their staging providers). */
export const SUITE_EXECUTORS: [string, (storageAccess?: StagingProvider[]) => Executor][] = [
  [
    "ThreadPoolExecutor",
    (storageAccess) => new ThreadPoolExecutor({ label: "conf", maxThreads: 2, storageAccess }),
  ],
  ["HighThroughputExecutor", (storageAccess) =>
    new HighThroughputExecutor({
      label: "conf",
      storageAccess,
      maxWorkersPerNode: 2,
      heartbeatPeriod: 1,
      heartbeatThreshold: 5,
      provider: new LocalProvider({ initBlocks: 1, minBlocks: 0, maxBlocks: 1 }),
    })],
];

/** What each scenario group gets: the kernel, a fresh temp dir, the executor's name. */
export interface SuiteContext {
  dfk: DataFlowKernel;
  dir: string;
  executor: string;
}

/**
 * Registers one Deno test per executor that loads a kernel and runs `body` (which adds steps).
 * @param title What the group covers.
 * @param body The scenarios.
 * @param config Extra config.
 */
export function onEveryExecutor(
  title: string,
  body: (t: Deno.TestContext, ctx: SuiteContext) => Promise<void>,
  config: Config = {},
): void {
  for (const [name, make] of SUITE_EXECUTORS) {
    Deno.test(`${name}: ${title}`, async (t) => {
      const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "tsflow-parsl-" }));
      const dfk = await load({
        executors: [make()],
        runDir: `${dir}/runinfo`,
        strategy: "none",
        ...config,
      });
      try {
        await body(t, { dfk, dir, executor: name });
      } finally {
        await dfk.cleanup();
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
    });
  }
}
