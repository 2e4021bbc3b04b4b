/**
 * What a burst of no-op tasks costs the driver in memory, and the floor under it (issue 14).
 * bench_htex's burst awaits `Promise.all` over a million AppFutures; that pattern alone, with no
 * kernel at all, has a cost of its own, printed here next to the kernel's:
 *
 * - `driver_burst_Nk_held_*`: N no-ops through `load()` + HTEX, the futures held in an array and
 *   the end awaited with `waitForCurrentTasks()` (the kernel's and the executor's own cost);
 * - `driver_promise_all_Nk_futures_*`: N bare tsflow Futures awaited with `Promise.all` and
 *   settled 1,000 per turn (no kernel, no executor);
 * - `driver_promise_all_Nk_native_*`: the same with native Promises.
 *
 * Each in a process of its own (peak RSS is per process). Bytes per task: peak RSS minus the RSS
 * before, over N. Run: `deno run -A scripts/bench_driver_memory.ts [--quick] [--burst N]`.
 *
 * @module
 */
import { load } from "../dfk/load.ts";
import { Future } from "../dfk/future.ts";
import { benchHtex } from "./_bench_procs.ts";
import { noop } from "./htex_bench_apps.ts";

const quick = Deno.args.includes("--quick");
const at = Deno.args.indexOf("--burst");
const n = at >= 0 ? Number(Deno.args[at + 1]) : quick ? 100_000 : 1_000_000;

const status = (k: string) =>
  Number(new RegExp(`${k}:\\s+(\\d+)`).exec(Deno.readTextFileSync("/proc/self/status"))![1]) /
  1024;
const out = (name: string, v: number) => console.log(`${name}=${Math.round(v)}`);

function report(prefix: string, baseMb: number): void {
  const peak = status("VmHWM");
  out(`${prefix}_peak_rss_mb`, peak);
  out(`${prefix}_bytes_per_task`, (peak - baseMb) * 1048576 / n);
}

async function held(): Promise<void> {
  const runDir = Deno.makeTempDirSync({ prefix: "tsflow-bench-mem-" });
  const htex = benchHtex();
  try {
    await using dfk = await load({ runDir, executors: [htex], initializeLogging: false });
    for (let i = 0; i < 500; i++) await noop();
    const base = status("VmRSS");
    const futures: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) futures[i] = noop();
    await dfk.waitForCurrentTasks();
    report(`driver_burst_${n / 1000}k_held`, base);
    void futures;
  } finally {
    Deno.removeSync(runDir, { recursive: true });
  }
}

async function promiseAll(kind: "futures" | "native"): Promise<void> {
  const base = status("VmRSS");
  // The future itself, or the native Promise's resolve: nothing else is kept per task.
  const futures: Future<unknown>[] = kind === "futures" ? new Array(n) : [];
  const resolves: ((v: unknown) => void)[] = kind === "native" ? new Array(n) : [];
  const all: PromiseLike<unknown>[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === "futures") all[i] = futures[i] = new Future<unknown>();
    else {
      const r = Promise.withResolvers<unknown>();
      resolves[i] = r.resolve;
      all[i] = r.promise;
    }
  }
  const done = Promise.all(all);
  for (let i = 0; i < n; i += 1000) {
    await new Promise((r) => setTimeout(r, 0));
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      if (kind === "futures") futures[j].setResult(null);
      else resolves[j](null);
    }
  }
  await done;
  report(`driver_promise_all_${n / 1000}k_${kind}`, base);
}

const part = Deno.args[Deno.args.indexOf("--part") + 1];
if (Deno.args.includes("--part")) {
  await (part === "held" ? held() : promiseAll(part === "native" ? "native" : "futures"));
} else {
  for (const p of ["held", "futures", "native"]) {
    await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL(import.meta.url).pathname, "--part", p, ...Deno.args],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
  }
}
