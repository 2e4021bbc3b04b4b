// CLI start-up costs, from source (main.ts) and from the bundle (dist/tsflow.js built into a temp
// dir): `--version`, `tsflow run` of the add/twice workflow on the default ThreadPoolExecutor,
// and on a HighThroughputExecutor with one LocalProvider block (interchange, pool and workers
// all started by re-executing the program). Prints name=value lines (medians, ms).
// Pass --quick for fewer repetitions.
import { bundle } from "./bundle.ts";

const quick = Deno.args.includes("--quick");
const reps = quick ? 3 : 9;
const root = new URL("..", import.meta.url).pathname;
const dir = await Deno.makeTempDir({ prefix: "tsflow-bench-cli-" });

try {
  const started = performance.now();
  const bundlePath = await bundle(`${dir}/tsflow.js`);
  console.log(`bundle_build_ms=${Math.round(performance.now() - started)}`);
  console.log(`bundle_bytes=${(await Deno.stat(bundlePath)).size}`);

  const flow = (spec: string, htex: boolean) => `
import { app${htex ? ", HighThroughputExecutor, LocalProvider" : ""} } from "${spec}";
export const add = app((x: number, y: number) => x + y);
export const twice = app((x: number) => 2 * x);
${
    htex
      ? `export const config = { executors: [new HighThroughputExecutor({ maxWorkersPerNode: 1,
    provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }) })] };`
      : ""
  }
export default async function main() { if (await twice(add(5, 3)) !== 16) throw new Error("wrong"); }
`;
  await Deno.writeTextFile(`${dir}/src_threads.ts`, flow(`${root}mod.ts`, false));
  await Deno.writeTextFile(`${dir}/src_htex.ts`, flow(`${root}mod.ts`, true));
  await Deno.writeTextFile(`${dir}/bundle_threads.ts`, flow("./tsflow.js", false));
  await Deno.writeTextFile(`${dir}/bundle_htex.ts`, flow("./tsflow.js", true));

  const cases: [string, string, string[]][] = [
    ["source_version_ms", `${root}main.ts`, ["--version"]],
    ["bundle_version_ms", bundlePath, ["--version"]],
    ["source_run_threads_ms", `${root}main.ts`, ["run", "src_threads.ts"]],
    ["bundle_run_threads_ms", bundlePath, ["run", "bundle_threads.ts"]],
    ["source_run_htex_ms", `${root}main.ts`, ["run", "src_htex.ts"]],
    ["bundle_run_htex_ms", bundlePath, ["run", "bundle_htex.ts"]],
  ];
  for (const [name, program, args] of cases) {
    const times: number[] = [];
    for (let i = 0; i < reps + 1; i++) {
      const t0 = performance.now();
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", program, ...args],
        cwd: dir,
        stdout: "null",
        stderr: "piped",
      }).output();
      if (!out.success) throw new Error(`${name} failed: ${new TextDecoder().decode(out.stderr)}`);
      if (i > 0) times.push(performance.now() - t0); // the first run warms Deno's caches
    }
    times.sort((a, b) => a - b);
    console.log(`${name}=${Math.round(times[Math.floor(times.length / 2)])}`);
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
