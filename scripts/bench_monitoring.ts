/**
 * Benchmark: no-op task throughput with monitoring on and off, and the size of the monitoring
 * database for the run. Prints `name=value` lines.
 *
 *   deno run -A scripts/bench_monitoring.ts [--tasks 20000] [--rounds 3] [--executors threads,htex]
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  type Executor,
  HighThroughputExecutor,
  load,
  LocalProvider,
  MonitoringHub,
  ThreadPoolExecutor,
} from "../mod.ts";
import { noop } from "../tests/monitoring/fixtures/apps.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    tasks: { type: "string", default: "20000" },
    rounds: { type: "string", default: "5" },
    executors: { type: "string", default: "threads,htex" },
    // `deno task bench -- --quick` passes it to every benchmark.
    quick: { type: "boolean", default: false },
  },
});
const N = values.quick ? 5_000 : Number(values.tasks);
const ROUNDS = values.quick ? 3 : Number(values.rounds);

const makers: Record<string, () => Executor> = {
  threads: () => new ThreadPoolExecutor({ maxThreads: 2 }),
  htex: () =>
    new HighThroughputExecutor({
      label: "htex",
      maxWorkersPerNode: 2,
      provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
    }),
};

async function once(
  kind: string,
  monitored: boolean,
  dir: string,
): Promise<{ rate: number; dbBytes: number }> {
  const dbPath = `${dir}/${kind}-${monitored ? "on" : "off"}-${crypto.randomUUID()}.db`;
  const dfk = await load({
    executors: [makers[kind]()],
    runDir: `${dir}/runinfo`,
    monitoring: monitored ? new MonitoringHub({ dbPath }) : undefined,
  });
  let rate = 0;
  try {
    // Warm-up, as in bench_htex: workers started, the app module imported and the hot paths
    // (kernel, executor, monitoring writer) compiled before the clock starts.
    await Promise.all(Array.from({ length: 1000 }, () => noop()));
    const t0 = performance.now();
    const fs = new Array(N);
    for (let i = 0; i < N; i++) fs[i] = noop();
    await Promise.all(fs);
    rate = N / ((performance.now() - t0) / 1000);
  } finally {
    await dfk.cleanup();
  }
  let dbBytes = 0;
  if (monitored) {
    for (const suffix of ["", "-wal"]) {
      try {
        dbBytes += Deno.statSync(dbPath + suffix).size;
      } catch { /* no WAL left after the final checkpoint */ }
    }
  }
  return { rate, dbBytes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = Deno.makeTempDirSync({ prefix: "tsflow-bench-mon-" });
try {
  console.log(`tasks=${N}`);
  console.log(`rounds=${ROUNDS}`);
  for (const kind of values.executors.split(",").filter((k) => k in makers)) {
    const off: number[] = [], on: number[] = [];
    let bytes = 0;
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate so drift (page cache, CPU clocks) hits both sides alike.
      off.push((await once(kind, false, dir)).rate);
      const m = await once(kind, true, dir);
      on.push(m.rate);
      bytes = m.dbBytes;
    }
    const offR = median(off), onR = median(on);
    // Each round, for judging the spread (stderr: the name=value lines stay on stdout).
    console.error(
      `# ${kind} off ${off.map(Math.round).join(" ")}; on ${on.map(Math.round).join(" ")}`,
    );
    console.log(`${kind}_off_tasks_per_s=${offR.toFixed(0)}`);
    console.log(`${kind}_on_tasks_per_s=${onR.toFixed(0)}`);
    console.log(`${kind}_on_over_off=${(onR / offR).toFixed(3)}`);
    console.log(`${kind}_db_bytes=${bytes}`);
    console.log(`${kind}_db_bytes_per_task=${(bytes / N).toFixed(1)}`);
  }
} finally {
  Deno.removeSync(dir, { recursive: true });
}
