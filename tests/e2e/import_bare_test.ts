// Workflows that import tsflow by the bare specifier "tsflow", mapped in their own deno.json.
// `tsflow run` adopts that deno.json (re-executing itself with --config) and hands it to every
// process it starts, so worker processes resolve the workflow's imports as the driver does.
import assert from "node:assert/strict";
import { COPY_FLOW, COPY_FLOW_OK } from "../cli/_copy_flow.ts";
import { serveRepo } from "../cli/_serve_repo.ts";
import { includes, MOD_URL, tempDirWith, tsflow } from "../cli/_cli.ts";
import { waitNoProcesses } from "../_processes.ts";

// An HTEX config plus a helper module the workflow reaches through its own import map.
const HTEX_PART = `
import { HighThroughputExecutor, LocalProvider } from "tsflow";
import { shout } from "helper";
export const config = {
  executors: [new HighThroughputExecutor({
    maxWorkersPerNode: 1,
    heartbeatPeriod: 1,
    heartbeatThreshold: 5,
    provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
  })],
};
export const loud = app((s: string) => shout(s));
export const configOfWorker = app(() => Deno.env.get("TSFLOW_DENO_CONFIG") ?? "none");
`;

function denoJson(tsflow: string): string {
  return JSON.stringify({ imports: { tsflow, helper: "./lib/helper.ts" } });
}

Deno.test("tsflow run adopts the workflow's deno.json: bare 'tsflow' and its own imports, on HTEX workers", async () => {
  const flow = COPY_FLOW.replace("SPEC", "tsflow") + HTEX_PART + `
export async function more() {
  console.log("loud=" + await loud("hi"));
  console.log("worker-config=" + await configOfWorker());
}
`;
  const dir = await tempDirWith({
    "flow.ts": flow.replace(
      "export default async function main() {",
      "export default async function main() {\n  await more();",
    ),
    "deno.json": denoJson(MOD_URL),
    "lib/helper.ts": "export const shout = (s: string) => s.toUpperCase() + '!';\n",
  });
  const r = await tsflow(["run", "flow.ts"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  for (const line of COPY_FLOW_OK) includes(r.stdout, line + "\n");
  includes(r.stdout, "loud=HI!\n");
  includes(r.stdout, `worker-config=${dir}/deno.json\n`);
  assert.deepEqual(await waitNoProcesses(dir), []);
});

Deno.test("a workflow run directly with deno run uses its deno.json's 'tsflow'", async () => {
  const flow = COPY_FLOW.replace("SPEC", "tsflow") + `
import { load } from "tsflow";
if (import.meta.main) {
  await using _dfk = await load({});
  await main();
}
`;
  const dir = await tempDirWith({ "flow.ts": flow, "deno.json": denoJson(MOD_URL) });
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "flow.ts"],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  for (const line of COPY_FLOW_OK) includes(stdout, line + "\n");
});

Deno.test("'tsflow' mapped to an http:// copy: tsflow run works across the two copies", async () => {
  const server = await serveRepo();
  try {
    const dir = await tempDirWith({
      "flow.ts": COPY_FLOW.replace("SPEC", "tsflow"),
      "deno.json": denoJson(`${server.base}mod.ts`),
    });
    const r = await tsflow(["run", "flow.ts"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    for (const line of COPY_FLOW_OK) includes(r.stdout, line + "\n");
    assert.ok(
      server.requested.includes("dfk/kernel.ts"),
      "the workflow's copy came from the server",
    );
  } finally {
    await server.close();
  }
});
