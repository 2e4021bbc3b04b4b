/**
 * HighThroughputExecutor benchmark (a parsl-perf analog): 1 pool × 2 workers on this machine.
 * Prints `name=value` lines: no-op throughput for 20,000 and 200,000 tasks through the kernel
 * (`load()` + an app) and through the bare executor, sequential round-trip latency (median,
 * p99), cold start (from process launch and from `load()` to the first result), and peak RSS of
 * the driver, interchange, manager and a worker.
 *
 * Run: `deno run -A scripts/bench_htex.ts [--quick] [--burst N]` (`--part kernel|raw|burst|cold`:
 * one run only, in this process; without it each run gets its own driver process). The burst
 * run submits 1,000,000 no-ops at once (100,000 with `--quick`, N with `--burst N`) and prints
 * peak RSS and bytes per in-flight task of the driver and the interchange.
 *
 * @module
 */
import { load } from "../dfk/load.ts";
import type { ExecutorTask } from "../dfk/executor.ts";
import { Logger } from "../dfk/logger.ts";
import { noop } from "./htex_bench_apps.ts";
import { noopTask } from "./_noop_task.ts";
import { benchHtex, cpuSeconds, peakRssMb, roles, rssMb } from "./_bench_procs.ts";

const quick = Deno.args.includes("--quick");
const SIZES = quick ? [2_000, 20_000] : [20_000, 200_000];
const SEQ = quick ? 2_000 : 10_000;
const APPS = new URL("./htex_bench_apps.ts", import.meta.url).href;

const out = (name: string, value: number | string) =>
  console.log(`${name}=${typeof value === "number" ? Math.round(value * 1000) / 1000 : value}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function reportRss(runDir: string, prefix: string): Promise<void> {
  const r = await roles(runDir);
  for (const role of ["driver", "interchange", "manager", "worker"]) {
    out(`${prefix}peak_rss_${role}_mb`, peakRssMb(r[role][0]));
  }
}

async function throughput(
  prefix: string,
  runDir: string,
  submit: () => PromiseLike<unknown>,
): Promise<void> {
  for (let i = 0; i < 500; i++) await submit(); // warm: modules imported, JIT warm
  const r = await roles(runDir);
  for (const n of SIZES) {
    const before = Object.values(r).map((pids) => pids.map(cpuSeconds));
    const t0 = performance.now();
    const all: PromiseLike<unknown>[] = new Array(n);
    for (let i = 0; i < n; i++) all[i] = submit();
    await Promise.all(all);
    const s = (performance.now() - t0) / 1000;
    out(`${prefix}noop_${n / 1000}k_tasks_per_s`, n / s);
    if (n !== SIZES.at(-1)) continue;
    // Where the CPU goes, per task and process role (workers summed).
    Object.entries(r).forEach(([role, pids], i) => {
      const used = pids.reduce((a, p, j) => a + cpuSeconds(p) - before[i][j], 0);
      out(`${prefix}cpu_us_per_task_${role}`, (used * 1e6) / n);
    });
  }
  const lat: number[] = [];
  const before = Object.values(r).map((pids) => pids.map(cpuSeconds));
  for (let i = 0; i < SEQ; i++) {
    const t = performance.now();
    await submit();
    lat.push(performance.now() - t);
  }
  // Where a sequential round trip's CPU goes (no batching: each task pays every wake-up).
  Object.entries(r).forEach(([role, pids], i) => {
    const used = pids.reduce((a, p, j) => a + cpuSeconds(p) - before[i][j], 0);
    out(`${prefix}roundtrip_cpu_us_${role}`, (used * 1e6) / SEQ);
  });
  lat.sort((a, b) => a - b);
  out(`${prefix}roundtrip_median_ms`, percentile(lat, 0.5));
  out(`${prefix}roundtrip_p99_ms`, percentile(lat, 0.99));
}

async function kernelRun(): Promise<void> {
  const runDir = Deno.makeTempDirSync({ prefix: "tsflow-bench-" });
  const htex = benchHtex();
  try {
    await using dfk = await load({ runDir, executors: [htex], initializeLogging: false });
    const [dir] = [...Deno.readDirSync(runDir)].filter((e) => e.isDirectory).map((e) =>
      `${runDir}/${e.name}`
    );
    await throughput("kernel_", dir, () => noop());
    await reportRss(dir, "kernel_");
    void dfk;
  } finally {
    Deno.removeSync(runDir, { recursive: true });
  }
}

/**
 * Peak RSS with BURST no-ops submitted at once through the kernel, and what each in-flight
 * task costs in bytes per process (peak minus the RSS before the burst, over the task count).
 */
async function burstRun(): Promise<void> {
  const n = Number(Deno.args[Deno.args.indexOf("--burst") + 1]) || (quick ? 100_000 : 1_000_000);
  const runDir = Deno.makeTempDirSync({ prefix: "tsflow-bench-burst-" });
  const htex = benchHtex();
  try {
    await using dfk = await load({ runDir, executors: [htex], initializeLogging: false });
    const [dir] = [...Deno.readDirSync(runDir)].filter((e) => e.isDirectory).map((e) =>
      `${runDir}/${e.name}`
    );
    for (let i = 0; i < 500; i++) await noop();
    const r = await roles(dir);
    const base = { driver: rssMb(Deno.pid), interchange: rssMb(r.interchange[0]) };
    const t0 = performance.now();
    const all: PromiseLike<unknown>[] = new Array(n);
    for (let i = 0; i < n; i++) all[i] = noop();
    await Promise.all(all);
    out(`burst_${n / 1000}k_tasks_per_s`, n / ((performance.now() - t0) / 1000));
    const peak = { driver: peakRssMb(Deno.pid), interchange: peakRssMb(r.interchange[0]) };
    for (const role of ["driver", "interchange"] as const) {
      out(`burst_${n / 1000}k_peak_rss_${role}_mb`, peak[role]);
      out(`burst_bytes_per_inflight_task_${role}`, (peak[role] - base[role]) * 1048576 / n);
    }
    void dfk;
  } finally {
    Deno.removeSync(runDir, { recursive: true });
  }
}

async function rawRun(): Promise<void> {
  const runDir = Deno.makeTempDirSync({ prefix: "tsflow-bench-raw-" });
  const logger = new Logger("bench");
  const htex = benchHtex();
  // As the kernel starts it without monitoring: no per-task "running" messages.
  await htex.start({
    runDir,
    runId: "bench",
    logger,
    emit() {},
    outstanding: () => 0,
    monitoringEnabled: false,
  });
  const task = (): ExecutorTask => noopTask(APPS);
  try {
    await throughput("raw_", runDir, () => htex.submit(task()));
    await reportRss(runDir, "raw_");
  } finally {
    await htex.shutdown();
    Deno.removeSync(runDir, { recursive: true });
  }
}

/**
 * Wall ms of one bare `deno run` of an empty module (Deno's own start, this machine, now), and
 * the CPU ms it used (read by the module itself as it ends).
 */
async function bareDeno(): Promise<{ ms: number; cpuMs: number }> {
  const empty = Deno.makeTempFileSync({ suffix: ".ts" });
  Deno.writeTextFileSync(
    empty,
    'console.log(Deno.readTextFileSync("/proc/self/schedstat").split(" ")[0]);\n',
  );
  const t = performance.now();
  const o = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", empty] }).output();
  const ms = performance.now() - t;
  Deno.removeSync(empty);
  return { ms, cpuMs: Number(new TextDecoder().decode(o.stdout)) / 1e6 };
}

const FLOOR = new URL("./htex_cold_floor.ts", import.meta.url).pathname;
/**
 * Chains of the floor under a cold start (scripts/htex_cold_floor.ts): after the driver, `p` a
 * process and `t` a Web Worker of the hop before; `_bare`: no imports (Deno's own starts).
 * `pp` is today's (driver -> pool -> worker), `p` a driver starting workers itself (no pool
 * process), `pt` pools with workers as threads, `t` the driver's own threads; `tree` the whole
 * process tree of a cold start (interchange, pool, two workers) with imports only.
 */
const FLOOR_CHAINS = ["pp_bare", "pp", "p", "pt", "t", "tree_bare", "tree"];

async function coldStart(): Promise<void> {
  const runs: Record<string, number>[] = [];
  const bare: number[] = [];
  const bareCpu: number[] = [];
  const n = Number(Deno.args[Deno.args.indexOf("--runs") + 1]) || (quick ? 3 : 7);
  for (let i = 0; i < n; i++) {
    // Interleaved with the cold starts, so both see the same machine.
    const b = await bareDeno();
    bare.push(b.ms);
    bareCpu.push(b.cpuMs);
    const runDir = Deno.makeTempDirSync({ prefix: "tsflow-cold-" });
    const t0 = Date.now();
    const o = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("./htex_cold_start.ts", import.meta.url).pathname, runDir],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    const text = new TextDecoder().decode(o.stdout);
    const run: Record<string, number> = {
      load: Number(/load_to_first_result_ms=([\d.]+)/.exec(text)?.[1]),
    };
    for (const m of text.matchAll(/at_(\w+)_epoch_ms=([\d.]+|NaN)/g)) run[m[1]] = Number(m[2]) - t0;
    for (const m of text.matchAll(/cpu_(\w+)_ms=([\d.]+|NaN)/g)) run[`cpu_${m[1]}`] = Number(m[2]);
    runs.push(run);
    Deno.removeSync(runDir, { recursive: true });
    for (const chain of FLOOR_CHAINS) {
      const [hops, bareHops] = chain.split("_");
      const t = Date.now();
      const f = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", FLOOR, hops, bareHops ? "bare" : "-"],
        stdout: "piped",
        stderr: "inherit",
      }).output();
      const marks: Record<string, number> = JSON.parse(new TextDecoder().decode(f.stdout));
      for (const [k, v] of Object.entries(marks)) run[`floor_${chain}_${k}`] = v - t;
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const m = (k: string) => median(runs.map((r) => r[k])) / 1000;
  const bareS = median(bare) / 1000;
  out("cold_start_bare_deno_s", bareS);
  out("cold_start_launch_to_first_result_s", m("first_result"));
  out("cold_start_ratio_to_bare_deno", m("first_result") / bareS);
  out("cold_start_load_to_first_result_s", m("load"));
  // CPU used up to the first result, per process and in all (medians): on a busy machine the
  // steadier figure; a bare `deno run` of an empty module for scale.
  const roles = ["driver", "interchange", "pool", "workers"];
  out("cold_start_bare_deno_cpu_ms", median(bareCpu));
  for (const r of roles) out(`cold_start_cpu_ms_${r}`, median(runs.map((x) => x[`cpu_${r}`])));
  const total = median(runs.map((x) => roles.reduce((a, r) => a + x[`cpu_${r}`], 0)));
  out("cold_start_cpu_ms_total", total);
  out("cold_start_cpu_ratio_to_bare_deno", total / median(bareCpu));
  // The least wall time that much CPU can take on this machine's cores, were every process
  // started at once and never waiting: the cold start's floor while the chain's CPU stays as is.
  out("cold_start_cpu_bound_s", total / 1000 / navigator.hardwareConcurrency);
  // The breakdown: when each process was launched (/proc: 10 ms resolution), when its JS runtime
  // began, when its module graph was imported and when it was ready, seconds after launch.
  for (
    const k of [
      "driver_runtime",
      "driver_load_called",
      "interchange_start",
      "interchange_runtime",
      "interchange_imported",
      "interchange_listening",
      "pool_start",
      "pool_runtime",
      "pool_imported",
      "pool_connected",
      "pool_registered",
      "workers_start",
      "first_worker_ready",
      "workers_ready",
    ]
  ) out(`cold_start_at_${k}_s`, m(k));
  // Per process: Deno's own start (launch to JS), importing its module graph, and its own
  // start-up after that (medians of each run's differences).
  const span = (name: string, from: string, to: string) =>
    out(`${name}_s`, median(runs.map((r) => r[to] - (from ? r[from] : 0))) / 1000);
  span("cold_start_driver_deno_start", "", "driver_runtime");
  span("cold_start_driver_import", "driver_runtime", "driver_load_called");
  span("cold_start_interchange_deno_start", "interchange_start", "interchange_runtime");
  span("cold_start_interchange_import", "interchange_runtime", "interchange_imported");
  span(
    "cold_start_interchange_imported_to_listening",
    "interchange_imported",
    "interchange_listening",
  );
  span("cold_start_pool_deno_start", "pool_start", "pool_runtime");
  span("cold_start_pool_import", "pool_runtime", "pool_imported");
  span("cold_start_pool_imported_to_registered", "pool_imported", "pool_registered");
  span("cold_start_workers_start_to_ready", "workers_start", "workers_ready");
  // The floor: the chain of Deno starts and imports alone (no sockets, registration or task),
  // launch to the last hop's graph imported, and how each hop of today's chain spends it.
  for (const chain of FLOOR_CHAINS) {
    out(`cold_floor_${chain}_s`, m(`floor_${chain}_done`));
    out(`cold_floor_${chain}_ratio_to_bare_deno`, m(`floor_${chain}_done`) / bareS);
  }
  const hops = ["driver0", "pool1", "worker2"];
  hops.forEach((h, i) => {
    const before = i === 0 ? "" : `floor_pp_${hops[i - 1]}_imported`;
    span(`cold_floor_pp_${h.slice(0, -1)}_deno_start`, before, `floor_pp_${h}_runtime`);
    span(
      `cold_floor_pp_${h.slice(0, -1)}_import`,
      `floor_pp_${h}_runtime`,
      `floor_pp_${h}_imported`,
    );
  });
}

const part = Deno.args[Deno.args.indexOf("--part") + 1];
if (Deno.args.includes("--part")) {
  const parts: Record<string, () => Promise<void>> = {
    kernel: kernelRun,
    burst: burstRun,
    raw: rawRun,
    cold: coldStart,
  };
  if (!parts[part]) throw new Error(`unknown --part ${part}: use ${Object.keys(parts).join("|")}`);
  await parts[part]();
} else {
  out("htex_bench_shape", "1pool_x_2workers");
  out("cpus", navigator.hardwareConcurrency);
  await coldStart();
  // Each run in its own driver process: a process's peak RSS would otherwise carry the
  // earlier run's high-water mark into the later one's figure.
  for (const p of ["kernel", "raw", "burst"]) {
    await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--v8-flags=--expose-gc", new URL(import.meta.url).pathname, "--part", p]
        .concat(quick ? ["--quick"] : []),
      stdout: "inherit",
      stderr: "inherit",
    }).output();
  }
}
