import assert from "node:assert/strict";
import { includes, MOD_URL, spawnTsflow, tempDirWith, tsflow } from "./_cli.ts";

const ADD_FLOW = `
import { app } from "${MOD_URL}";
export const add = app((x: number, y: number) => x + y);
export const twice = app((x: number) => 2 * x);
export default async function main(args: string[]) {
  const [x, y] = args.map(Number);
  console.log("add=" + await add(x ?? 5, y ?? 3));
  console.log("twice=" + await twice(add(x ?? 5, y ?? 3)));
}
`;

// Fails on its first two tries (counted in a file), then returns the try count.
const FLAKY_FLOW = `
import { app } from "${MOD_URL}";
export const flaky = app((path: string) => {
  const n = (() => { try { return Deno.readTextFileSync(path).length; } catch { return 0; } })();
  Deno.writeTextFileSync(path, "x", { append: true });
  if (n < 2) throw new Error("flaky failure " + n);
  return n;
});
export default async function main() {
  console.log("tries=" + await flaky(Deno.cwd() + "/count"));
}
`;

Deno.test("tsflow run runs the default export with the arguments after --, exit 0", async () => {
  const dir = await tempDirWith({ "flow.ts": ADD_FLOW });
  const r = await tsflow(["run", "flow.ts", "--", "2", "4"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "add=6\ntwice=12\n");
  assert.equal(r.stderr, "", "nothing but the workflow's output when not a terminal");
  assert.ok((await Deno.stat(`${dir}/runinfo/000`)).isDirectory, "run dir made under the cwd");
});

Deno.test("tsflow run accepts an absolute path and a file:// URL", async () => {
  const dir = await tempDirWith({ "flow.ts": ADD_FLOW });
  const byPath = await tsflow(["run", `${dir}/flow.ts`], { cwd: dir });
  assert.equal(byPath.stdout, "add=8\ntwice=16\n", byPath.stderr);
  const byUrl = await tsflow(["run", `file://${dir}/flow.ts`, "--", "1", "1"], { cwd: dir });
  assert.equal(byUrl.stdout, "add=2\ntwice=4\n", byUrl.stderr);
});

Deno.test("a failing workflow exits 1 with one line naming the error", async () => {
  const dir = await tempDirWith({
    "flow.ts": `
import { app } from "${MOD_URL}";
export const boom = app((why: string) => { throw new RangeError("boom: " + why); });
export default async function main() { await boom("disk full"); }
`,
  });
  const r = await tsflow(["run", "flow.ts"], { cwd: dir });
  assert.equal(r.code, 1);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  includes(lines[0], "flow.ts failed: RangeError: boom: disk full");
  includes(await Deno.readTextFile(`${dir}/runinfo/000/tsflow.log`), "boom: disk full");
});

Deno.test("a workflow without a default export is refused with the fix", async () => {
  const dir = await tempDirWith({
    "flow.ts": `import { app } from "${MOD_URL}";\nexport const f = app(() => 1);\n`,
  });
  const r = await tsflow(["run", "flow.ts"], { cwd: dir });
  assert.equal(r.code, 1);
  includes(r.stderr, "export default async function main");
});

Deno.test("a workflow that cannot be imported, or does not exist, is a clear error", async () => {
  const dir = await tempDirWith({
    "flow.ts": `import "./missing.ts";\nexport default () => {};\n`,
  });
  const bad = await tsflow(["run", "flow.ts"], { cwd: dir });
  assert.equal(bad.code, 1);
  includes(bad.stderr, "cannot import workflow flow.ts");
  includes(bad.stderr, "missing.ts");
  const none = await tsflow(["run", "nope.ts"], { cwd: dir });
  assert.equal(none.code, 2);
  includes(none.stderr, "no workflow file nope.ts");
  const noArg = await tsflow(["run"], { cwd: dir });
  assert.equal(noArg.code, 2);
  includes(noArg.stderr, "Usage: tsflow run");
});

Deno.test("--config site.yaml is applied (retries make a flaky task succeed)", async () => {
  const dir = await tempDirWith({
    "flow.ts": FLAKY_FLOW,
    "site.yaml":
      "retries: 2\nexecutors:\n  - type: ThreadPoolExecutor\n    label: local\n    maxThreads: 1\n",
  });
  const without = await tsflow(["run", "flow.ts"], { cwd: dir });
  assert.equal(without.code, 1, "without retries the first failure fails the run");
  includes(without.stderr, "flaky failure 0");
  await Deno.remove(`${dir}/count`);
  const withConfig = await tsflow(["run", "flow.ts", "--config", "site.yaml"], { cwd: dir });
  assert.equal(withConfig.code, 0, withConfig.stderr);
  assert.equal(withConfig.stdout, "tries=2\n");
});

Deno.test("the workflow's exported config is used when no --config is given", async () => {
  const dir = await tempDirWith({
    "flow.ts": FLAKY_FLOW + "\nexport const config = { retries: 2 };\n",
  });
  const r = await tsflow(["run", "flow.ts"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "tries=2\n");
});

Deno.test("an unknown key in --config exits 1 with a suggestion", async () => {
  const dir = await tempDirWith({ "flow.ts": ADD_FLOW, "site.yaml": "retrys: 2\n" });
  const r = await tsflow(["run", "flow.ts", "-c", "site.yaml"], { cwd: dir });
  assert.equal(r.code, 1);
  includes(r.stderr, `site.yaml: unknown key "retrys"`);
  includes(r.stderr, `did you mean "retries"?`);
});

Deno.test("Ctrl-C (SIGINT) stops a run cleanly with exit code 130", async () => {
  const dir = await tempDirWith({
    "flow.ts": `
import { app } from "${MOD_URL}";
export const sleep = app((ms: number) => new Promise((r) => setTimeout(r, ms)));
export default async function main() {
  const f = sleep(60_000);
  console.log("started");
  await f;
  console.log("finished");
}
`,
  });
  const child = spawnTsflow(["run", "flow.ts"], { cwd: dir });
  const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!seen.includes("started")) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    assert.ok(seen.includes("started"), "the workflow started");
    child.kill("SIGINT");
    while (!(await reader.read()).done) { /* drain */ }
    const status = await child.status;
    assert.equal(status.code, 130);
    const stderr = await new Response(child.stderr).text();
    includes(stderr, "interrupted");
    assert.ok(!seen.includes("finished"));
  } finally {
    clearTimeout(guard);
  }
});

Deno.test("the progress line is drawn on a terminal and not when piped", async () => {
  const dir = await tempDirWith({ "flow.ts": ADD_FLOW });
  const piped = await tsflow(["run", "flow.ts"], { cwd: dir });
  assert.ok(!piped.stderr.includes("done ·"), piped.stderr);
  // `script` gives the command a pseudo-terminal and copies what it wrote.
  const cmd = [
    Deno.execPath(),
    "run",
    "-A",
    "--quiet",
    new URL("../../main.ts", import.meta.url).pathname,
    "run",
    "flow.ts",
  ]
    .join(" ");
  const out = await new Deno.Command("script", {
    args: ["-qfec", cmd, "/dev/null"],
    cwd: dir,
    stdin: "null",
  })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, text);
  includes(text, "tsflow: 0 done · 0 failed");
  includes(text, "add=8");
  includes(text, "\x1b[K", "the line is erased before output and at the end");
});

Deno.test("a whole number returned by the default export is the exit code", async () => {
  const dir = await tempDirWith({ "flow.ts": "export default () => 3;\n" });
  const r = await tsflow(["run", "flow.ts"], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
});

Deno.test("--config site.ts takes the module's config export; a missing file is a ConfigError", async () => {
  const dir = await tempDirWith({
    "flow.ts": FLAKY_FLOW,
    "site.ts": "export const config = { retries: 2 };\n",
  });
  const ok = await tsflow(["run", "flow.ts", "--config", "site.ts"], { cwd: dir });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, "tries=2\n");
  const missing = await tsflow(["run", "flow.ts", "--config", "nope.ts"], { cwd: dir });
  assert.equal(missing.code, 1);
  includes(missing.stderr, "ConfigError: Cannot import config module nope.ts");
  const missingYaml = await tsflow(["run", "flow.ts", "--config", "nope.yaml"], { cwd: dir });
  assert.equal(missingYaml.code, 1);
  includes(missingYaml.stderr, "ConfigError: Cannot read config file nope.yaml");
});
