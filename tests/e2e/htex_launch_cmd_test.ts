// launchCmd (Parsl's launch_cmd): a site's own command starts the pools of every block.
import { assert, assertEquals } from "../_assert.ts";
import { LocalProvider } from "../../providers/local_provider.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { ConfigError } from "../../dfk/errors.ts";
import { withScaledHtex } from "../providers/_htex_blocks.ts";
import { task } from "./_htex_env.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

Deno.test("launchCmd starts each block's pool with the site's command, placeholders filled", async () => {
  const marks = Deno.makeTempDirSync({ prefix: "tsflow-launchcmd-" });
  try {
    // A site wrapper: records what it was given, then runs Deno on the worker mode.
    const launchCmd = `echo "block={block_id} at={addresses} port={port}" >> ${marks}/launched; ` +
      `${Deno.execPath()} run -A ${MAIN} worker --addresses {addresses} --port {port} ` +
      `--block-id {block_id} {options}`;
    const provider = new LocalProvider({ initBlocks: 1, maxBlocks: 1 });
    await withScaledHtex(provider, { maxWorkersPerNode: 1, launchCmd }, async ({ htex }) => {
      assertEquals(await htex.submit(task("add", [40, 2])), 42);
      const line = Deno.readTextFileSync(`${marks}/launched`).trim();
      assertEquals(line, `block=0 at=127.0.0.1 port=${htex.workerPort}`);
      assertEquals(htex.managers().map((m) => m.blockId), ["0"]);
    });
  } finally {
    Deno.removeSync(marks, { recursive: true });
  }
});

Deno.test("launchCmd with an unknown placeholder, or without the interchange, is a ConfigError naming the fix", () => {
  for (
    const [cmd, part] of [
      ["tsflow worker --interchange {interchange} {opts}", "{opts}"],
      ["tsflow worker {options}", "{addresses} and {port}"],
    ]
  ) {
    let err: unknown;
    try {
      new HighThroughputExecutor({ launchCmd: cmd });
    } catch (e) {
      err = e;
    }
    assert(err instanceof ConfigError && err.message.includes(part), String(err));
  }
});
