/**
 * Benchmark: no-op task throughput with monitoring on and off, and the size of the monitoring
 * database for the run. Prints `name=value` lines.
 *
 *   deno run -A scripts/bench_monitoring.ts [--tasks 20000] [--rounds 3] [--executors threads,htex]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type Executor, load, MonitoringHub, ThreadPoolExecutor } from "../mod.ts";
import { noop } from "../tests/monitoring/fixtures/apps.ts";
import { benchHtex, cpuSeconds, roles } from "./_bench_procs.ts";
import { DatabaseSync } from "node:sqlite";
import { ensureSchema } from "../monitoring/schema.ts";
import { sampleSelf } from "../monitoring/self_sampler.ts";

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
  htex: () => benchHtex("htex"),
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

/**
 * The floor under monitoring's cost, with no tsflow code in it: µs per task of SQLite alone
 * inserting the rows Parsl's schema holds for one short HTEX task (5 status, 1 task, 1 try,
 * 1 resource row; generated in SQL, so no JavaScript binding), and of one worker self-sample
 * (three `/proc` reads). Monitoring cannot cost less than these per task.
 */
function floors(dir: string): { sqlite: number; sample: number } {
  const n = 20_000;
  const db = new DatabaseSync(`${dir}/floor.db`);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
  ensureSchema(db);
  const run = crypto.randomUUID(), ts = "'2026-12-01 00:53:04.917743'";
  const rows = (sql: string) =>
    db.exec(
      `WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ${n - 1}) ${sql}`,
    );
  const t0 = performance.now();
  db.exec("BEGIN");
  for (const st of ["pending", "launched", "running", "running_ended", "exec_done"]) {
    rows(`INSERT INTO status (task_id, task_status_name, timestamp, run_id, try_id)
      SELECT i, '${st}', ${ts}, '${run}', 0 FROM c`);
  }
  rows(`INSERT INTO task (task_id, run_id, task_depends, task_func_name, task_memoize,
      task_hashsum, task_inputs, task_outputs, task_stdout, task_stderr, task_time_invoked,
      task_time_returned, task_fail_count, task_fail_cost, tsflow_task_state,
      tsflow_task_executor, tsflow_task_joins)
    SELECT i, '${run}', '', 'noop', '0', NULL, 'None', 'None', '', '', ${ts}, ${ts}, 0, 0,
      'exec_done', 'htex', NULL FROM c`);
  rows(`INSERT INTO "try" (try_id, task_id, run_id, block_id, hostname, task_executor,
      task_try_time_launched, task_try_time_running, task_try_time_returned, task_fail_history,
      task_joins, worker_id)
    SELECT 0, i, '${run}', '0', 'vm', 'htex', ${ts}, ${ts}, ${ts}, '', NULL, '0' FROM c`);
  rows(`INSERT INTO resource (try_id, task_id, run_id, timestamp, resource_monitoring_interval,
      psutil_process_pid, psutil_process_cpu_percent, psutil_process_memory_percent,
      psutil_process_children_count, psutil_process_time_user, psutil_process_time_system,
      psutil_process_memory_virtual, psutil_process_memory_resident, psutil_process_disk_read,
      psutil_process_disk_write, psutil_process_status, psutil_cpu_num,
      psutil_process_num_ctx_switches_voluntary, psutil_process_num_ctx_switches_involuntary,
      tsflow_resource_host)
    SELECT 0, i, '${run}', ${ts}, 30, 1234, 0, 0.2, 0, 0.03 + i, 0.07, 18674786304, 50569216,
      3110510 + i, 56, 'running', '0', 25, 44, 'vm' FROM c`);
  db.exec("COMMIT");
  const sqlite = (performance.now() - t0) * 1000 / n;
  db.close();
  for (let i = 0; i < 2_000; i++) sampleSelf();
  const t1 = performance.now();
  for (let i = 0; i < n; i++) sampleSelf();
  return { sqlite, sample: (performance.now() - t1) * 1000 / n };
}

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
    if (kind === "htex") {
      // With every core busy, throughput goes as 1 / CPU per task: the best on/off ratio any
      // writer and sampler could reach is the off CPU over the off CPU plus the floors.
      const f = floors(dir);
      const offCpu = Object.values(cpu.off).reduce((a, us) => a + median(us), 0);
      console.log(`floor_sqlite_rows_us_per_task=${f.sqlite.toFixed(1)}`);
      console.log(`floor_worker_sample_us=${f.sample.toFixed(1)}`);
      console.log(`htex_off_cpu_us_per_task_all=${offCpu.toFixed(1)}`);
      console.log(
        `htex_on_over_off_ceiling_when_cpu_bound=${
          (offCpu / (offCpu + f.sqlite + f.sample)).toFixed(3)
        }`,
      );
    }
  }
} finally {
  Deno.removeSync(dir, { recursive: true });
}
