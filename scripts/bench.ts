// `deno task bench`: runs every benchmark script in its own process and prints their
// name=value lines. Pass --quick for a shorter run.
const scripts = [
  "bench_kernel.ts",
  "bench_htex.ts",
  "bench_interchange.ts",
  "bench_links.ts",
  "bench_driver_memory.ts",
  "bench_monitoring.ts",
  "bench_cli.ts",
];
const here = new URL(".", import.meta.url);
let failed = 0;
for (const name of scripts) {
  const path = new URL(name, here);
  try {
    Deno.statSync(path);
  } catch {
    console.log(`# ${name}: not present, skipped`);
    continue;
  }
  console.log(`# ${name}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", path.pathname, ...Deno.args],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    console.log(`# ${name}: exited with ${code}`);
    failed++;
  }
}
Deno.exit(failed ? 1 : 0);
