// Block latencies per provider, printed as name=value lines (milliseconds, medians of N runs):
// submit() -> RUNNING, submit() -> COMPLETED of `true`, one batched status() of all jobs, and
// for the HighThroughputExecutor: start() with initBlocks 1 -> first task result (a cold block).
// Usage: deno run -A scripts/bench_blocks.ts [runs=5]   (Slurm / Grid Engine rows only when up)
import type { ExecutionProvider } from "../providers/execution_provider.ts";
import { LocalProvider } from "../providers/local_provider.ts";
import { SlurmProvider } from "../providers/slurm_provider.ts";
import { GridEngineProvider } from "../providers/grid_engine_provider.ts";
import { SimpleLauncher } from "../launchers/simple_launcher.ts";
import { HighThroughputExecutor } from "../interchange/high_throughput_executor.ts";
import { Logger } from "../dfk/logger.ts";
import { noopTask } from "./_noop_task.ts";

const runs = Number(Deno.args[0] ?? 5);
const up = (argv: string[]) =>
  new Deno.Command("timeout", { args: ["5", ...argv], stdout: "null", stderr: "null" }).outputSync()
    .success;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const APPS = new URL("../tests/fixtures/htex_apps.ts", import.meta.url).href;

async function until(
  p: ExecutionProvider,
  id: string,
  states: string[],
  seconds = 120,
): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const [s] = await p.status([id]);
    if (states.includes(s.state)) return performance.now() - t0;
    if (performance.now() - t0 > seconds * 1000) throw new Error(`job ${id} stuck in ${s.state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function benchProvider(name: string, make: () => ExecutionProvider): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tsflow-bench-blocks-" });
  const toRunning: number[] = [],
    toDone: number[] = [],
    statusCall: number[] = [],
    cold: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const p = make();
      p.scriptDir = dir;
      const t0 = performance.now();
      const id = await p.submit("sleep 0.2", 1, `bench-${i}`);
      await until(p, id, ["RUNNING", "COMPLETED"]);
      toRunning.push(performance.now() - t0);
      await until(p, id, ["COMPLETED", "FAILED"]);
      toDone.push(performance.now() - t0);
      const s0 = performance.now();
      await make().status([id, id, id]);
      statusCall.push(performance.now() - s0);
      const q = make();
      q.scriptDir = dir;
      (q.options as { initBlocks: number }).initBlocks = 1;
      const htex = new HighThroughputExecutor({ maxWorkersPerNode: 1, provider: q });
      const c0 = performance.now();
      await htex.start({
        runDir: dir,
        runId: crypto.randomUUID(),
        logger: new Logger("bench"),
        emit: () => {},
        outstanding: () => 0,
      });
      await htex.submit(noopTask(APPS, i));
      cold.push(performance.now() - c0);
      await htex.shutdown();
    }
    console.log(`${name}_submit_to_running_ms=${median(toRunning).toFixed(0)}`);
    console.log(`${name}_submit_to_completed_ms=${median(toDone).toFixed(0)}`);
    console.log(`${name}_status_call_ms=${median(statusCall).toFixed(1)}`);
    console.log(`${name}_htex_cold_block_first_result_ms=${median(cold).toFixed(0)}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const launcher = new SimpleLauncher();
await benchProvider("local", () => new LocalProvider({ launcher }));
if (up(["sinfo", "-h"])) {
  await benchProvider("slurm", () => new SlurmProvider({ launcher, exclusive: false }));
}
if (up(["qstat", "-f"])) {
  await benchProvider("gridengine", () => new GridEngineProvider({ launcher }));
}
