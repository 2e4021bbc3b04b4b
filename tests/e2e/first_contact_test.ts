// What a new user sees first: the README's demo, and a workflow of their own in another directory
// importing tsflow over http or by path, each on a fresh DENO_DIR (npm packages come from the
// registry again). Deno's own download lines are fine; warnings, test-only packages and changes to
// the checkout's files are not.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { MAIN, MOD_URL, tempDirWith } from "../cli/_cli.ts";
import { serveRepo } from "../cli/_serve_repo.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const dec = new TextDecoder();

/** The checkout's state a run must not change: git's view and the lock and config bytes. */
async function checkoutState(): Promise<string> {
  const git = await new Deno.Command("git", { args: ["status", "--porcelain"], cwd: ROOT })
    .output();
  const files = await Promise.all(
    ["deno.lock", "deno.json"].map((f) => Deno.readTextFile(ROOT + f)),
  );
  return dec.decode(git.stdout) + files.join("\n");
}

async function run(args: string[], cwd: string) {
  const denoDir = await Deno.makeTempDir({ prefix: "tsflow-fresh-deno-dir-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args,
      cwd,
      env: { DENO_DIR: denoDir, NO_COLOR: "1" },
      stdin: "null",
    }).output();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } finally {
    await Deno.remove(denoDir, { recursive: true });
  }
}

/** Fails on any stderr line that is not Deno's own download or task line. */
function onlyDenoLines(stderr: string): void {
  const other = stderr.split("\n").filter((l) => l && !/^(Download|Task) /.test(l));
  assert.deepEqual(other, [], stderr);
  for (const name of ["playwright", "uplot", "msgpackr"]) {
    assert.ok(!stderr.includes(name), `${name} was downloaded:\n${stderr}`);
  }
}

Deno.test("deno task demo on a fresh DENO_DIR prints only the demo and Deno's download lines", async () => {
  const before = await checkoutState();
  const r = await run(["task", "demo"], ROOT);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "add(5, 3) = 8\ntwice(add(5, 3)) = 16\n");
  onlyDenoLines(r.stderr);
  assert.equal(await checkoutState(), before, "the demo changed the checkout");
});

Deno.test("a workflow elsewhere importing tsflow over http leaves the checkout unchanged", async () => {
  const server = await serveRepo();
  try {
    const dir = await tempDirWith({
      "flow.ts": `import { app } from "${server.base}mod.ts";
export const add = app((x: number, y: number) => x + y);
export default async function main() { console.log("add=" + await add(add(1, 2), 3)); }
`,
    });
    const before = await checkoutState();
    const r = await run(["run", "-A", MAIN, "run", "flow.ts"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "add=6\n");
    onlyDenoLines(r.stderr);
    assert.equal(await checkoutState(), before, "the run changed the checkout");
  } finally {
    await server.close();
  }
});

Deno.test("a workflow elsewhere importing tsflow by path, with its own npm package, on HTEX, leaves the checkout unchanged", async () => {
  const dir = await tempDirWith({
    "flow.ts": `import { app, HighThroughputExecutor, LocalProvider } from "${MOD_URL}";
// deno-lint-ignore no-import-prefix
import { encode } from "npm:@msgpack/msgpack@3.1.3";
export const size = app((s: string) => encode(s).length);
export const config = {
  executors: [new HighThroughputExecutor({
    maxWorkersPerNode: 1,
    provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
  })],
};
export default async function main() { console.log("size=" + await size("abc")); }
`,
  });
  const before = await checkoutState();
  const r = await run(["run", "-A", MAIN, "run", "flow.ts"], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "size=4\n");
  onlyDenoLines(r.stderr);
  assert.equal(await checkoutState(), before, "the run changed the checkout");
});
