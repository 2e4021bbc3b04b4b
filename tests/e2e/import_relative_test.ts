// A workflow importing tsflow by a relative path to mod.ts, as the examples do: one copy of
// tsflow whether `tsflow run` runs it or it runs itself.
import assert from "node:assert/strict";
import { COPY_FLOW, COPY_FLOW_OK } from "../cli/_copy_flow.ts";
import { includes, tsflow } from "../cli/_cli.ts";

// Under tests/artifacts/ (ignored by git, fmt and lint) so that a relative path reaches mod.ts.
const ARTIFACTS = new URL("../artifacts/", import.meta.url);

async function relativeFlowDir(extra = ""): Promise<string> {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const dir = await Deno.makeTempDir({ dir: ARTIFACTS.pathname, prefix: "import-relative-" });
  await Deno.writeTextFile(`${dir}/flow.ts`, COPY_FLOW.replace("SPEC", "../../../mod.ts") + extra);
  return dir;
}

Deno.test("tsflow run of a workflow importing ../../../mod.ts", async () => {
  const dir = await relativeFlowDir();
  try {
    const r = await tsflow(["run", "flow.ts"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    for (const line of COPY_FLOW_OK) includes(r.stdout, line + "\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the same workflow run directly with deno run and load()", async () => {
  const dir = await relativeFlowDir(`
import { load } from "../../../mod.ts";
if (import.meta.main) {
  await using _dfk = await load({ runDir: Deno.cwd() + "/runinfo" });
  await main();
}
`);
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", "flow.ts"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    for (const line of COPY_FLOW_OK) includes(stdout, line + "\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
