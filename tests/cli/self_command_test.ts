import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  DENO_CONFIG_ENV,
  entryUrl,
  modeCommand,
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

Deno.test("from source, an HTEX process runs its mode's own file, with the same Deno flags", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  assert.deepEqual(modeCommand("worker", ["--interchange", "127.0.0.1:9"]), [
    Deno.execPath(),
    "run",
    "-A",
    "--quiet",
    `${root}worker_pool/worker_pool_main.ts`,
    "--interchange",
    "127.0.0.1:9",
  ]);
  Deno.env.set(DENO_CONFIG_ENV, "/home/me/flows/deno.json");
  try {
    const argv = modeCommand("interchange", ["--port", "0"]);
    assert.equal(argv[argv.indexOf("--config") + 1], "/home/me/flows/deno.json");
    assert.deepEqual(argv.slice(-3), [`${root}interchange/interchange_main.ts`, "--port", "0"]);
  } finally {
    Deno.env.delete(DENO_CONFIG_ENV);
  }
});

Deno.test("a mode's own file, run directly, answers --help and bad flags as tsflow <mode> does", async () => {
  for (
    const [mode, file] of [["worker", "worker_pool/worker_pool_main.ts"], [
      "interchange",
      "interchange/interchange_main.ts",
    ]]
  ) {
    const path = fileURLToPath(new URL(`../../${file}`, import.meta.url));
    const run = async (args: string[]) => {
      const o = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", path, ...args],
        stdout: "piped",
        stderr: "piped",
      }).output();
      return {
        code: o.code,
        out: new TextDecoder().decode(o.stdout),
        err: new TextDecoder().decode(o.stderr),
      };
    };
    const help = await run(["--help"]);
    assert.equal(help.code, 0, help.err);
    assert.match(help.out, new RegExp(`^tsflow ${mode}: `));
    const bad = await run(["--bogus"]);
    assert.equal(bad.code, 1);
    assert.equal(bad.err.trim(), `tsflow ${mode}: Unknown option '--bogus'`);
  }
});
