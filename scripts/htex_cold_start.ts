// One cold start of a HighThroughputExecutor workflow: load() with one local block, one app
// call. Prints `first_result_epoch_ms=`, `load_to_first_result_ms=` and, per process, when it
// was launched (/proc), when its JS runtime began (performance.timeOrigin), when its module
// graph was imported (its mode's entry ran) and when it was ready (epoch ms), for
// scripts/bench_htex.ts's cold-start breakdown.
import { load } from "../dfk/load.ts";
import { HighThroughputExecutor } from "../interchange/high_throughput_executor.ts";
import { LocalProvider } from "../providers/local_provider.ts";
import { noop } from "./htex_bench_apps.ts";

const runDir = Deno.args[0] ?? Deno.makeTempDirSync({ prefix: "tsflow-cold-" });
const loadCalled = Date.now();
const t0 = performance.now();

/** Epoch ms at which a process started (/proc, 10 ms resolution). */
function startedAt(pid: number): number {
  // Boot time from /proc/uptime (10 ms resolution; /proc/stat's btime is whole seconds).
  const boot = Date.now() - Number(Deno.readTextFileSync("/proc/uptime").split(" ")[0]) * 1000;
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const ticks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  return boot + ticks * 10;
}

async function pgrep(args: string[]): Promise<number[]> {
  const o = await new Deno.Command("pgrep", { args, stdout: "piped" }).output();
  return new TextDecoder().decode(o.stdout).split("\n").filter((s) => s).map(Number);
}

/** Epoch ms of the first log line of `file` matching `re`. */
function logged(file: string | undefined, re: RegExp): number {
  if (!file) return NaN;
  const line = Deno.readTextFileSync(file).split("\n").find((l) => re.test(l));
  return line ? Date.parse(line.split(" ")[0]) : NaN;
}

/** CPU ms a process has used (its scheduler's run time, ns resolution). */
function cpuMs(pid: number | undefined): number {
  try {
    return Number(Deno.readTextFileSync(`/proc/${pid}/schedstat`).split(" ")[0]) / 1e6;
  } catch {
    return NaN;
  }
}

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
  }
}

/** Epoch ms of every log line of `file` matching `re`. */
function loggedAll(file: string | undefined, re: RegExp): number[] {
  if (!file) return [];
  return Deno.readTextFileSync(file).split("\n").filter((l) => re.test(l)).map((l) =>
    Date.parse(l.split(" ")[0])
  );
}

/** A number field of the JSON data of the first log line of `file` matching `re`. */
function field(file: string | undefined, re: RegExp, name: string): number {
  if (!file) return NaN;
  const line = Deno.readTextFileSync(file).split("\n").find((l) => re.test(l));
  return Number(new RegExp(`"${name}":([\\d.]+)`).exec(line ?? "")?.[1] ?? NaN);
}

function findFile(dir: string, re: RegExp): string | undefined {
  for (const e of Deno.readDirSync(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isFile && re.test(e.name)) return p;
    if (e.isDirectory) {
      const f = findFile(p, re);
      if (f) return f;
    }
  }
  return undefined;
}

/** When each process started, was imported and was ready (epoch ms), from /proc and logs. */
const times: Record<string, number> = {
  driver_start: startedAt(Deno.pid),
  driver_runtime: performance.timeOrigin,
  driver_load_called: loadCalled,
};
let pids: { ic?: number; pool?: number; workers: number[] } = { workers: [] };
{
  await using _dfk = await load({
    runDir,
    executors: [
      new HighThroughputExecutor({
        maxWorkersPerNode: 2,
        provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
      }),
    ],
  });
  await noop();
  times.first_result = Date.now();
  console.log(`first_result_epoch_ms=${times.first_result}`);
  console.log(`load_to_first_result_ms=${(performance.now() - t0).toFixed(1)}`);
  // The processes are still up: find them and read when each started (from /proc).
  const [ic] = await pgrep(["-f", `${runDir}/.*interchange.log`]);
  const pools = (await pgrep(["-f", `[-]-secret-file ${runDir}/`])).filter((p) => p !== ic);
  for (const p of pools) {
    const w = await pgrep(["-P", String(p), "-f", "worker-process"]);
    if (w.length > 0) pids = { ic, pool: p, workers: w };
  }
  // CPU each process used up to now (ns-precise; robust where wall times suffer a busy machine).
  const cpu = {
    driver: cpuMs(Deno.pid),
    interchange: cpuMs(pids.ic),
    pool: cpuMs(pids.pool),
    workers: pids.workers.reduce((a, p) => a + cpuMs(p), 0),
  };
  for (const [k, v] of Object.entries(cpu)) console.log(`cpu_${k}_ms=${v.toFixed(1)}`);
  times.interchange_start = pids.ic ? startedAt(pids.ic) : NaN;
  times.pool_start = pids.pool ? startedAt(pids.pool) : NaN;
  times.workers_start = pids.workers.length ? Math.min(...pids.workers.map(startedAt)) : NaN;
}
// Logs are buffered until their process exits: read them once every process has gone.
for (const pid of [pids.ic, pids.pool, ...pids.workers]) {
  for (let i = 0; pid && i < 500 && alive(pid); i++) await new Promise((r) => setTimeout(r, 10));
}
const icLog = findFile(runDir, /^interchange\.log$/);
const poolLog = findFile(runDir, /^manager_.*\.log$/);
const workersReady = loggedAll(poolLog, /Worker \d+ ready/);
Object.assign(times, {
  interchange_runtime: field(icLog, /Process started/, "runtimeAt"),
  interchange_imported: field(icLog, /Process started/, "importedAt"),
  interchange_listening: logged(icLog, /Listening on/),
  pool_runtime: field(poolLog, /Process started/, "runtimeAt"),
  pool_imported: field(poolLog, /Process started/, "importedAt"),
  pool_connected: logged(poolLog, /Connected to the interchange/),
  pool_registered: logged(poolLog, /Registered as/),
  // A worker is ready when it has said hello to its pool (its module graph imported).
  first_worker_ready: workersReady.length ? Math.min(...workersReady) : NaN,
  workers_ready: workersReady.length ? Math.max(...workersReady) : NaN,
});
for (const [k, v] of Object.entries(times)) console.log(`at_${k}_epoch_ms=${v}`);
