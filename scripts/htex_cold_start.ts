// One cold start of a HighThroughputExecutor workflow: load() with one local block, one app
// call. Prints `first_result_epoch_ms=`, `load_to_first_result_ms=` and, per process, when it
// started and when it was ready (epoch ms) for scripts/bench_htex.ts's cold-start breakdown.
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
  const first = Date.now();
  console.log(`first_result_epoch_ms=${first}`);
  console.log(`load_to_first_result_ms=${(performance.now() - t0).toFixed(1)}`);
  // The processes are still up: read when each started, and when each was ready.
  const [ic] = await pgrep(["-f", `${runDir}/.*interchange.log`]);
  const pools = (await pgrep(["-f", `worker .*--secret-file ${runDir}/`])).filter((p) => p !== ic);
  let pool: number | undefined, workers: number[] = [];
  for (const p of pools) {
    const w = await pgrep(["-P", String(p), "-f", "worker-process"]);
    if (w.length > 0) [pool, workers] = [p, w];
  }
  const times = {
    driver_start: startedAt(Deno.pid),
    driver_load_called: loadCalled,
    interchange_start: ic ? startedAt(ic) : NaN,
    interchange_listening: logged(findFile(runDir, /^interchange\.log$/), /Listening on/),
    pool_start: pool ? startedAt(pool) : NaN,
    pool_registered: logged(findFile(runDir, /^manager_.*\.log$/), /Registered as/),
    workers_start: workers.length ? Math.min(...workers.map(startedAt)) : NaN,
    first_result: first,
  };
  for (const [k, v] of Object.entries(times)) console.log(`at_${k}_epoch_ms=${v}`);
}
