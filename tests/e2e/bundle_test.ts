// The closest test of the compiled binary we can run here: build the one-file bundle
// (dist/tsflow.js), then run every mode from that file only, in fresh directories, with the
// bundle re-executing itself for the interchange, the worker pools and their workers.
import assert from "node:assert/strict";
import { bundle } from "../../scripts/bundle.ts";
import { includes, spawnTsflow, tempDirWith, tsflow } from "../cli/_cli.ts";
import { killProcessesMentioning, waitNoProcesses } from "../_processes.ts";

const built = await Deno.makeTempDir({ prefix: "tsflow-bundle-" });
const BUNDLE = await bundle(`${built}/tsflow.js`);
globalThis.addEventListener("unload", () => Deno.removeSync(built, { recursive: true }));

Deno.test("bundle: one executable file that starts with a deno shebang", async () => {
  const text = await Deno.readTextFile(BUNDLE);
  assert.ok(text.startsWith("#!/usr/bin/env -S deno run -A\n"));
  assert.equal(text.match(/^#!/gm)?.length, 1, "exactly one shebang");
  assert.equal((await Deno.stat(BUNDLE)).mode! & 0o111, 0o111, "executable");
  assert.ok(
    !/from\s*"(msgpackr|@msgpack\/msgpack|yaml)"/.test(text),
    "no bare npm imports left for an import map to resolve",
  );
});

/** A fresh directory holding a copy of the bundle and the given files. */
async function freshDir(files: Record<string, string>): Promise<string> {
  const dir = await tempDirWith(files);
  await Deno.copyFile(BUNDLE, `${dir}/tsflow.js`);
  await Deno.chmod(`${dir}/tsflow.js`, 0o755);
  return dir;
}

// Apps and a driver that reports which programs run the interchange and the pools' workers.
const HTEX_FLOW = `
import { app } from "./tsflow.js";
export const add = app((x: number, y: number) => x + y);
export const twice = app((x: number) => 2 * x);
export const program = app(() => Deno.mainModule);

function descendants(pid: number): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\\d+$/.test(e.name)) continue;
    try {
      const ppid = Number(/^\\d+ \\(.*\\) \\S (\\d+)/s.exec(Deno.readTextFileSync("/proc/" + e.name + "/stat"))![1]);
      if (ppid !== pid) continue;
      out.push(Deno.readTextFileSync("/proc/" + e.name + "/cmdline").split("\\0").join(" "));
      out.push(...descendants(Number(e.name)));
    } catch { /* gone */ }
  }
  return out;
}

export default async function main() {
  console.log("result=" + await twice(add(5, 3)));
  console.log("worker-program=" + await program());
  for (const cmd of descendants(Deno.pid)) {
    if (cmd.includes(" interchange")) console.log("interchange-cmd=" + cmd);
  }
}
`;

const SITE_YAML = `
executors:
  - type: HighThroughputExecutor
    label: htex
    maxWorkersPerNode: 2
    heartbeatPeriod: 1
    heartbeatThreshold: 5
    provider: {type: LocalProvider, initBlocks: 1, maxBlocks: 1}
monitoring: {type: MonitoringHub}
`;

Deno.test("bundle: tsflow.js run with a YAML HighThroughputExecutor re-executes the bundle for every process", async () => {
  const dir = await freshDir({ "flow.ts": HTEX_FLOW, "site.yaml": SITE_YAML });
  try {
    const r = await tsflow(["run", "flow.ts", "--config", "site.yaml"], {
      program: `${dir}/tsflow.js`,
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    includes(r.stdout, "result=16\n");
    includes(r.stdout, `worker-program=file://${dir}/tsflow.js\n`);
    const ic = r.stdout.split("\n").find((l) => l.startsWith("interchange-cmd="));
    assert.ok(ic, `the interchange ran as a child of the driver:\n${r.stdout}`);
    includes(ic, `${dir}/tsflow.js interchange`);
    assert.ok(
      (await Deno.stat(`${dir}/runinfo/monitoring.db`)).isFile,
      "monitoring wrote its database",
    );
    assert.deepEqual(await waitNoProcesses(dir), [], "no process left behind");
  } finally {
    await killProcessesMentioning(dir);
  }
});

Deno.test("bundle: tsflow.js run with the default executor runs apps in the bundle's own Web Workers", async () => {
  // The workers import the bundle afresh as a library; every export must be ready when the
  // workflow's top level runs (here: a MonitoringHub made at import time).
  const dir = await freshDir({
    "flow.ts": `
import { app, MonitoringHub } from "./tsflow.js";
export const where = app(() => typeof (globalThis as Record<string, unknown>).WorkerGlobalScope);
export const config = { monitoring: new MonitoringHub({}) };
export default async function main() { console.log("in=" + await where()); }
`,
  });
  const r = await tsflow(["run", "flow.ts"], { program: `${dir}/tsflow.js`, cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "in=function\n");
  assert.ok((await Deno.stat(`${dir}/runinfo/monitoring.db`)).size > 0, "the writer thread wrote");
});

Deno.test("bundle: tsflow.js worker --interchange started by hand serves a run", async () => {
  const dir = await freshDir({
    "flow.ts": `
import { app, HighThroughputExecutor, LocalProvider } from "./tsflow.js";
export const add = app((x: number, y: number) => x + y);
const htex = new HighThroughputExecutor({
  label: "manual",
  heartbeatPeriod: 1,
  heartbeatThreshold: 5,
  provider: new LocalProvider({ initBlocks: 0, maxBlocks: 0 }),
});
export const config = { executors: [htex] };
export default async function main() {
  const argv = htex.workerCommand("by-hand");
  const value = (flag: string) => argv[argv.indexOf(flag) + 1];
  console.log("interchange=" + htex.interchangeAddress);
  console.log("secret-file=" + value("--secret-file"));
  console.log("sum=" + await add(40, 2));
}
`,
  });
  const driver = spawnTsflow(["run", "flow.ts"], { program: `${dir}/tsflow.js`, cwd: dir });
  let pool: Deno.ChildProcess | undefined;
  const guard = setTimeout(() => driver.kill("SIGKILL"), 60_000);
  try {
    const lines = driver.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (
      !out.includes("secret-file=") || !out.slice(out.indexOf("secret-file=")).includes("\n")
    ) {
      const { value, done } = await lines.read();
      if (done) break;
      out += value;
    }
    const get = (k: string) => new RegExp(`^${k}=(.*)$`, "m").exec(out)?.[1];
    const address = get("interchange"), secretFile = get("secret-file");
    assert.ok(address && secretFile, `the driver printed where to connect:\n${out}`);
    // What a person types on a compute node: the bundle, the mode, the address and the secret.
    pool = spawnTsflow(
      [
        "worker",
        "--interchange",
        address,
        "--secret-file",
        secretFile,
        "--max-workers-per-node",
        "1",
      ],
      { program: `${dir}/tsflow.js`, cwd: dir },
    );
    for (;;) {
      const { value, done } = await lines.read();
      if (done) break;
      out += value;
    }
    const status = await driver.status;
    assert.equal(status.code, 0, out + (await new Response(driver.stderr).text()));
    includes(out, "sum=42\n");
    // Once the run ends, the interchange is gone and the hand-started pool exits by itself.
    const poolExit = await Promise.race([
      pool.status,
      new Promise((r) => setTimeout(() => r("still running"), 30_000)),
    ]);
    assert.notEqual(poolExit, "still running", "the pool exits when its interchange goes away");
    assert.deepEqual(await waitNoProcesses(dir), []);
  } finally {
    clearTimeout(guard);
    for (const c of [driver, pool]) {
      try {
        c?.kill("SIGKILL");
      } catch { /* exited */ }
      await c?.status;
    }
    await pool?.stderr.cancel().catch(() => {});
    await pool?.stdout.cancel().catch(() => {});
    await driver.stderr.cancel().catch(() => {});
    await killProcessesMentioning(dir);
  }
});

Deno.test("bundle: tsflow.js visualize answers requests over a run's monitoring database", async () => {
  const dir = await freshDir({ "flow.ts": HTEX_FLOW, "site.yaml": SITE_YAML });
  const run = await tsflow(["run", "flow.ts", "-c", "site.yaml"], {
    program: `${dir}/tsflow.js`,
    cwd: dir,
  });
  assert.equal(run.code, 0, run.stderr);
  const server = spawnTsflow(["visualize", "--db", "runinfo/monitoring.db", "--port", "0"], {
    program: `${dir}/tsflow.js`,
    cwd: dir,
  });
  const guard = setTimeout(() => server.kill("SIGKILL"), 60_000);
  try {
    const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!/http:\/\/\S+/.test(out)) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    const base = /(http:\/\/\S+?)\/?\s/.exec(out + " ")?.[1];
    assert.ok(base, `visualize printed its address: ${out}`);
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    includes(await page.text(), "<html");
    const workflows = await (await fetch(`${base}/api/workflows`)).json() as {
      runId?: string;
      run_id?: string;
    }[];
    assert.equal(workflows.length, 1, JSON.stringify(workflows));
    server.kill("SIGINT");
    assert.equal((await server.status).code, 0, "visualize stops cleanly on Ctrl-C");
    await reader.cancel().catch(() => {});
  } finally {
    clearTimeout(guard);
    try {
      server.kill("SIGKILL");
    } catch { /* exited */ }
    await server.status;
    await server.stderr.cancel().catch(() => {});
  }
});
