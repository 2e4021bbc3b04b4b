// One cold start of a HighThroughputExecutor workflow: load() with one local block, one app
// call. Prints `first_result_epoch_ms=` and `load_to_first_result_ms=` for scripts/bench_htex.ts.
import { load } from "../dfk/load.ts";
import { HighThroughputExecutor } from "../interchange/high_throughput_executor.ts";
import { LocalProvider } from "../providers/local_provider.ts";
import { noop } from "./htex_bench_apps.ts";

const runDir = Deno.args[0] ?? Deno.makeTempDirSync({ prefix: "tsflow-cold-" });
const t0 = performance.now();
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
  console.log(`first_result_epoch_ms=${Date.now()}`);
  console.log(`load_to_first_result_ms=${(performance.now() - t0).toFixed(1)}`);
}
