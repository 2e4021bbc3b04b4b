// `tsflow visualize` as a process: prints its URL, serves the API, stops cleanly on SIGTERM.
import { assert, assertEquals } from "../_assert.ts";
import { runMixedWorkflow } from "../monitoring/_workflows.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

Deno.test("tsflow visualize serves a database until SIGTERM and exits 0", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "tsflow-vis-cli-" });
  const dbPath = `${dir}/monitoring.db`;
  const { runId } = await runMixedWorkflow(dir, dbPath);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "visualize", "--db", dbPath, "--port", "0"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!/http:\/\/\S+\//.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    const url = /http:\/\/\S+\//.exec(text)?.[0];
    assert(url, `no URL in: ${text}`);
    const wfs = await (await fetch(`${url}api/workflows`)).json();
    assertEquals(wfs.map((w: { run_id: string }) => w.run_id), [runId]);
    const page = await fetch(url);
    assert((await page.text()).includes("tsflow monitoring"));
    child.kill("SIGTERM");
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});
    const status = await child.status;
    assertEquals(status.code, 0);
  } finally {
    clearTimeout(kill);
    await child.stderr.cancel().catch(() => {});
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
  }
});

Deno.test("tsflow visualize rejects a bad port with exit code 2", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "visualize", "--port", "http"],
  }).output();
  assertEquals(out.code, 2);
  assert(new TextDecoder().decode(out.stderr).includes("--port"));
});
