// Kernel and ThreadPoolExecutor benchmarks (issue 2). Prints name=value lines.
//   deno run -A --v8-flags=--expose-gc scripts/bench_kernel.ts [--quick]
import { type Executor, load, ThreadPoolExecutor } from "../mod.ts";
import { noop } from "./bench_apps.ts";

const quick = Deno.args.includes("--quick");
const runDir = await Deno.makeTempDir({ prefix: "tsflow-bench-" });

/** Completes every task at once: what is left is the kernel's own cost. */
class ImmediateExecutor implements Executor {
  readonly label = "immediate";
  async start() {}
  submit() {
    return Promise.resolve(null);
  }
  async shutdown() {}
}

const gc = (globalThis as { gc?: () => void }).gc;
const mib = (b: number) => Math.round(b / 1048576 * 10) / 10;
function memory(after: string): void {
  gc?.();
  const m = Deno.memoryUsage();
  print(`driver_rss_mib_after_${after}`, mib(m.rss));
  print(`driver_heap_used_mib_after_${after}`, mib(m.heapUsed));
}
const print = (k: string, v: number | string) => console.log(`${k}=${v}`);

async function throughput(n: number, batch = 50_000): Promise<number> {
  const t0 = performance.now();
  for (let done = 0; done < n; done += batch) {
    const fs = [];
    for (let i = 0; i < Math.min(batch, n - done); i++) fs.push(noop());
    await Promise.all(fs);
  }
  return n / ((performance.now() - t0) / 1000);
}

{
  await using _dfk = await load({
    executors: [new ImmediateExecutor()],
    runDir,
    initializeLogging: false,
  });
  await throughput(10_000); // warm-up
  print("kernel_noop_tasks_per_s_100k", Math.round(await throughput(100_000)));
  memory("100k");
  if (!quick) {
    await throughput(900_000);
    memory("1m");
  }
}
{
  await using _dfk = await load({
    executors: [new ThreadPoolExecutor({ maxThreads: 2 })],
    runDir,
    initializeLogging: false,
  });
  await throughput(2_000); // warm-up: workers import the module
  print("threadpool_noop_tasks_per_s_20k", Math.round(await throughput(20_000)));
  const lat: number[] = [];
  for (let i = 0; i < (quick ? 500 : 5_000); i++) {
    const t = performance.now();
    await noop();
    lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  print("threadpool_latency_ms_median", lat[Math.floor(lat.length / 2)].toFixed(3));
  print("threadpool_latency_ms_p99", lat[Math.floor(lat.length * 0.99)].toFixed(3));
}
await Deno.remove(runDir, { recursive: true });
