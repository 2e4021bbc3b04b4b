import assert from "node:assert/strict";
import { compileArgs, TARGETS } from "../../scripts/compile.ts";
import { WEB_WORKER_FILES } from "../../cli/self_command.ts";

Deno.test("compileArgs: -A, every Web Worker module included, the target, main.ts last", () => {
  const args = compileArgs("aarch64-apple-darwin", "/tmp/out");
  assert.equal(args[0], "compile");
  assert.ok(args.includes("-A"));
  for (const f of WEB_WORKER_FILES) assert.ok(args.some((a) => a.endsWith(f)), f);
  assert.equal(args[args.indexOf("--target") + 1], "aarch64-apple-darwin");
  assert.equal(args[args.indexOf("--output") + 1], "/tmp/out");
  assert.ok(args.at(-1)!.endsWith("/main.ts"));
  assert.ok(!compileArgs(undefined, "/tmp/out").includes("--target"), "host target by default");
  assert.deepEqual([...TARGETS].sort(), [
    "aarch64-apple-darwin",
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "x86_64-unknown-linux-gnu",
  ]);
});

Deno.test("deno task compile fails with a clear message when DENORT_BIN is no runtime", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../../scripts/compile.ts", import.meta.url).pathname,
      "--target",
      "x86_64-unknown-linux-gnu",
    ],
    env: { DENORT_BIN: "/nonexistent/denort" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 1);
  const stderr = new TextDecoder().decode(out.stderr);
  assert.match(
    stderr,
    /deno compile failed \(exit \d+\): check that DENORT_BIN \(\/nonexistent\/denort\)/,
  );
});

Deno.test("deno task compile rejects an unknown target", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../../scripts/compile.ts", import.meta.url).pathname,
      "--target",
      "riscv",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  assert.match(new TextDecoder().decode(out.stderr), /Unknown target riscv/);
});
