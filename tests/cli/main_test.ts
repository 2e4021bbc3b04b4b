import assert from "node:assert/strict";
import { MODES } from "../../cli/help.ts";
import { TSFLOW_VERSION } from "../../dfk/version.ts";
import { PROTOCOL_VERSION } from "../../interchange/protocol.ts";
import { includes, tsflow } from "./_cli.ts";

Deno.test("TSFLOW_VERSION equals the version in deno.json", async () => {
  const denoJson = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assert.deepEqual(TSFLOW_VERSION, denoJson.version);
});

Deno.test("tsflow --version prints tsflow, protocol, Deno, V8 and TypeScript versions", async () => {
  const r = await tsflow(["--version"]);
  assert.deepEqual(r.code, 0);
  const lines = r.stdout.trim().split("\n");
  assert.deepEqual(lines.slice(0, 5), [
    `tsflow ${TSFLOW_VERSION}`,
    `protocol ${PROTOCOL_VERSION}`,
    `deno ${Deno.version.deno}`,
    `v8 ${Deno.version.v8}`,
    `typescript ${Deno.version.typescript}`,
  ]);
});

Deno.test("tsflow --help lists every mode with examples", async () => {
  const r = await tsflow(["--help"]);
  assert.deepEqual(r.code, 0);
  for (const mode of MODES) includes(r.stdout, `tsflow ${mode}`);
  includes(r.stdout, "Examples:");
});

Deno.test("each mode's --help prints its own page with examples, without starting the mode", async () => {
  for (const mode of MODES) {
    const r = await tsflow([mode, "--help"]);
    assert.deepEqual(r.code, 0, r.stderr);
    assert(r.stdout.startsWith(`tsflow ${mode}:`), r.stdout.slice(0, 80));
    includes(r.stdout, "Example");
  }
  const viaHelp = await tsflow(["help", "run"]);
  assert(viaHelp.stdout.startsWith("tsflow run:"));
});

Deno.test("an unknown mode exits 2 and suggests the closest one", async () => {
  const r = await tsflow(["wroker"]);
  assert.deepEqual(r.code, 2);
  includes(r.stderr, `"worker"`);
  assert.deepEqual(r.stdout, "");
});

Deno.test("no mode at all exits 2 with the usage line", async () => {
  const r = await tsflow([]);
  assert.deepEqual(r.code, 2);
  assert.match(r.stderr, /Usage: tsflow/);
});

Deno.test("an unknown global flag exits 2", async () => {
  const r = await tsflow(["--frobnicate", "run"]);
  assert.deepEqual(r.code, 2);
  includes(r.stderr, "frobnicate");
});
