import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  DENO_CONFIG_ENV,
  entryUrl,
  selfCommand,
  selfCommandLine,
  WEB_WORKER_FILES,
  webWorkerUrl,
} from "../../cli/self_command.ts";
import { MAIN } from "./_cli.ts";

Deno.test("from source, selfCommand runs main.ts with deno run -A and the mode", () => {
  const argv = selfCommand("worker", ["--interchange", "127.0.0.1:9"]);
  assert.deepEqual(argv, [
    Deno.execPath(),
    "run",
    "-A",
    "--quiet",
    MAIN,
    "worker",
    "--interchange",
    "127.0.0.1:9",
  ]);
  assert.equal(fileURLToPath(entryUrl()), MAIN);
});

Deno.test("the command selfCommand builds really starts this program", async () => {
  const [cmd, ...args] = selfCommand("--version");
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(new TextDecoder().decode(out.stdout), /^tsflow \d+\.\d+\.\d+\n/);
});

Deno.test("an adopted deno.json travels to re-executed processes as --config and in their environment", () => {
  Deno.env.set(DENO_CONFIG_ENV, "/home/me/flows/deno.json");
  try {
    const argv = selfCommand("interchange");
    const at = argv.indexOf("--config");
    assert.ok(at > 0 && argv[at + 1] === "/home/me/flows/deno.json");
    assert.ok(at < argv.indexOf(MAIN), "a deno flag, before the program");
    assert.deepEqual(argv.slice(0, 2), [
      "/usr/bin/env",
      `${DENO_CONFIG_ENV}=/home/me/flows/deno.json`,
    ]);
  } finally {
    Deno.env.delete(DENO_CONFIG_ENV);
  }
});

Deno.test("selfCommandLine quotes what the shell would split", () => {
  const line = selfCommandLine("worker", ["--name", "it's here"]);
  assert.ok(line.endsWith(`worker --name 'it'\\''s here'`), line);
});

Deno.test("Web Worker modules exist at the paths compile --include's", async () => {
  assert.ok(WEB_WORKER_FILES.length >= 1);
  for (const f of WEB_WORKER_FILES) {
    assert.ok((await Deno.stat(new URL(`../../${f}`, import.meta.url))).isFile, f);
  }
  assert.equal(
    webWorkerUrl("thread-worker").href,
    new URL("../../worker_pool/thread_pool/worker_entry.ts", import.meta.url).href,
  );
});
