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
import { cpuSeconds, roles } from "./_bench_procs.ts";

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
): Promise<{ rate: number; dbBytes: number; cpu: Record<string, number> }> {
  const dbPath = `${dir}/${kind}-${monitored ? "on" : "off"}-${crypto.randomUUID()}.db`;
  const dfk = await load({
    executors: [makers[kind]()],
    runDir: `${dir}/runinfo`,
    monitoring: monitored ? new MonitoringHub({ dbPath }) : undefined,
  });
  let rate = 0;
  const cpu: Record<string, number> = {};
  try {
    // Warm-up, as in bench_htex: workers started, the app module imported and the hot paths
    // (kernel, executor, monitoring writer) compiled before the clock starts.
    await Promise.all(Array.from({ length: 1000 }, () => noop()));
    // Where the CPU goes, per process role (HTEX; the driver's figure includes the writer thread).
    const runs = [...Deno.readDirSync(`${dir}/runinfo`)].map((e) => e.name).sort();
    const r = kind === "htex"
      ? await roles(`${dir}/runinfo/${runs.at(-1)}`)
      : { driver: [Deno.pid] };
    const before = Object.values(r).map((pids) => pids.map(cpuSeconds));
    const t0 = performance.now();
    const fs = new Array(N);
    for (let i = 0; i < N; i++) fs[i] = noop();
    await Promise.all(fs);
    rate = N / ((performance.now() - t0) / 1000);
    Object.entries(r).forEach(([role, pids], i) => {
      cpu[role] = pids.reduce((a, p, j) => a + cpuSeconds(p) - before[i][j], 0) * 1e6 / N;
    });
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
  return { rate, dbBytes, cpu };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = Deno.makeTempDirSync({ prefix: "tsflow-bench-mon-" });
try {
  console.log(`tasks=${N}`);
  console.log(`rounds=${ROUNDS}`);
  for (const kind of values.executors.split(",").filter((k) => k in makers)) {
    const off: number[] = [], on: number[] = [];
    const cpu: Record<string, Record<string, number[]>> = { off: {}, on: {} };
    const addCpu = (side: string, c: Record<string, number>) => {
      for (const [role, us] of Object.entries(c)) (cpu[side][role] ??= []).push(us);
    };
    let bytes = 0;
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate so drift (page cache, CPU clocks) hits both sides alike.
      const o = await once(kind, false, dir);
      off.push(o.rate);
      addCpu("off", o.cpu);
      const m = await once(kind, true, dir);
      on.push(m.rate);
      addCpu("on", m.cpu);
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
    // CPU µs per task per process (medians over rounds): the steadier measure on a busy machine.
    for (const side of ["off", "on"]) {
      for (const [role, us] of Object.entries(cpu[side])) {
        console.log(`${kind}_${side}_cpu_us_per_task_${role}=${median(us).toFixed(1)}`);
      }
    }
    console.log(`${kind}_db_bytes=${bytes}`);
    console.log(`${kind}_db_bytes_per_task=${(bytes / N).toFixed(1)}`);
  }
} finally {
  Deno.removeSync(dir, { recursive: true });
}
