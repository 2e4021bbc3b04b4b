// Workflows that import tsflow from an http:// URL: a second copy of tsflow beside the one
// running them. Apps, futures, files and errors cross between the copies by Symbol.for brands.
import assert from "node:assert/strict";
import { COPY_FLOW, COPY_FLOW_OK } from "../cli/_copy_flow.ts";
import { serveRepo } from "../cli/_serve_repo.ts";
import { includes, tempDirWith, tsflow } from "../cli/_cli.ts";
import { waitNoProcesses } from "../_processes.ts";

// Each workflow dir has its own deno.json without a lock file, which `tsflow run` adopts: else
// the served modules (a new port each run) would be written into the repository's deno.lock.
const NO_LOCK = JSON.stringify({ lock: false });

Deno.test("tsflow run of a workflow importing tsflow from http:// works across the two copies", async () => {
  const server = await serveRepo();
  try {
    const dir = await tempDirWith({
      "flow.ts": COPY_FLOW.replace("SPEC", `${server.base}mod.ts`),
      "deno.json": NO_LOCK,
    });
    const r = await tsflow(["run", "flow.ts"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    for (const line of COPY_FLOW_OK) includes(r.stdout, line + "\n");
    includes(r.stdout, `module=file://${dir}/flow.ts`);
    assert.ok(
      server.requested.includes("dfk/serialize/codec.ts"),
      "the workflow's copy came from the server",
    );
  } finally {
    await server.close();
  }
});

Deno.test("a workflow run directly with deno run, importing tsflow only from http://, runs on HTEX", async () => {
  const server = await serveRepo();
  try {
    const flow = COPY_FLOW.replace("SPEC", `${server.base}mod.ts`) + `
import { HighThroughputExecutor, LocalProvider, load } from "${server.base}mod.ts";
if (import.meta.main) {
  await using _dfk = await load({
    executors: [new HighThroughputExecutor({
      maxWorkersPerNode: 1,
      heartbeatPeriod: 1,
      heartbeatThreshold: 5,
      provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
    })],
  });
  await main();
}
`;
    const dir = await tempDirWith({ "flow.ts": flow, "deno.json": NO_LOCK });
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", `${dir}/flow.ts`],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr) + stdout);
    for (const line of COPY_FLOW_OK) includes(stdout, line + "\n");
    // The interchange and pools were started from the same URL copy (its main.ts).
    assert.ok(server.requested.includes("main.ts"), "processes re-executed the served main.ts");
    assert.deepEqual(await waitNoProcesses(dir), []);
  } finally {
    await server.close();
  }
});

Deno.test("a workflow importing another tsflow version is refused with a clear error", async () => {
  const server = await serveRepo();
  try {
    const dir = await tempDirWith({
      "flow.ts": COPY_FLOW.replace("SPEC", `${server.base}v9.9.9/mod.ts`),
      "deno.json": NO_LOCK,
    });
    const r = await tsflow(["run", "flow.ts"], { cwd: dir });
    assert.equal(r.code, 1);
    includes(
      r.stderr,
      `the workflow imports tsflow 9.9.9 (${server.base}v9.9.9/dfk/version.ts) but this is tsflow 0.1.0`,
    );
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  } finally {
    await server.close();
  }
});
