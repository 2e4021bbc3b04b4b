// The processes a HighThroughputExecutor starts (interchange, pool, workers) import only their
// own module graph, and no `node:` or `npm:` module: importing one starts Deno's Node layer,
// ~5 ms of CPU in each of them, and a cold start waits on them (issue 14).
import assert from "node:assert/strict";

interface Info {
  roots: string[];
  modules: {
    specifier: string;
    dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
  }[];
}

/** Specifiers a module imports statically, transitively. */
async function staticGraph(path: string): Promise<Set<string>> {
  const o = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL(`../../${path}`, import.meta.url).pathname],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert(o.success, `deno info ${path} failed`);
  const info: Info = JSON.parse(new TextDecoder().decode(o.stdout));
  const bySpec = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set([info.roots[0]]);
  for (const s of seen) {
    for (const d of bySpec.get(s)?.dependencies ?? []) {
      if (d.code && !d.isDynamic) seen.add(d.code.specifier);
    }
  }
  return seen;
}

for (
  const path of [
    "main.ts",
    "interchange/interchange_main.ts",
    "worker_pool/worker_pool_main.ts",
    "worker_pool/manager.ts",
    "worker_pool/worker_process.ts",
  ]
) {
  Deno.test(`${path} imports no node: or npm: module at start`, async () => {
    const graph = await staticGraph(path);
    const foreign = [...graph].filter((s) => !s.startsWith("file:"));
    assert.deepEqual(foreign, [], `${path} imports ${foreign.join(", ")}`);
  });
}

Deno.test("main.ts imports no mode's code before it knows the mode", async () => {
  const root = new URL("../../", import.meta.url).href;
  const graph = [...await staticGraph("main.ts")].map((s) => s.replace(root, ""));
  const modeCode = graph.filter((s) => /^(dfk|interchange|worker_pool|monitoring)\//.test(s));
  assert.deepEqual(modeCode, []);
});

Deno.test("a driver's kernel imports node:crypto only when it first computes a memo key", async () => {
  // Importing node:crypto costs ~15-30 ms of CPU, on the path to a run's first task.
  for (const path of ["dfk/load.ts", "mod.ts"]) {
    const graph = await staticGraph(path);
    assert(!graph.has("node:crypto"), `${path} imports node:crypto at start`);
  }
});
