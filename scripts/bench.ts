// `deno task bench`: runs every benchmark script in its own process and prints their
// name=value lines, then figures derived from lines of different scripts of the same run (a
// figure read against its baseline measured minutes apart on the same machine, whose speed
// varies from day to day). Pass --quick for a shorter run.
const scripts = [
  "bench_kernel.ts",
  "bench_htex.ts",
  "bench_interchange.ts",
  "bench_links.ts",
  "bench_driver_memory.ts",
  "bench_monitoring.ts",
  "bench_cli.ts",
];
/** Ratios printed at the end: name, numerator line, denominator line. */
const DERIVED: [string, string, string][] = [
  // The sequential round trip against the same four-process chain with no tsflow code in it.
  ["kernel_roundtrip_over_bare_chain", "kernel_roundtrip_median_ms", "links_htex_chain_median_ms"],
  ["raw_roundtrip_over_bare_chain", "raw_roundtrip_median_ms", "links_htex_chain_median_ms"],
];
const here = new URL(".", import.meta.url);
const values = new Map<string, number>();
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
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", path.pathname, ...Deno.args],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  // Lines go out as they come (a run takes minutes), and are kept for the derived figures.
  let rest = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
    rest = lines.pop()!;
    for (const line of lines) record(line);
  }
  if (rest) record(rest);
  const { code } = await child.status;
  if (code !== 0) {
    console.log(`# ${name}: exited with ${code}`);
    failed++;
  }
}
console.log("# derived (same run)");
for (const [name, num, den] of DERIVED) {
  const a = values.get(num), b = values.get(den);
  if (a !== undefined && b !== undefined && b > 0) console.log(`${name}=${(a / b).toFixed(3)}`);
}
Deno.exit(failed ? 1 : 0);

function record(line: string): void {
  console.log(line);
  const m = /^([a-z0-9_]+)=(-?[\d.]+(?:e[-+]?\d+)?)$/.exec(line.trim());
  if (m) values.set(m[1], Number(m[2]));
}
