import assert from "node:assert/strict";
import { parseArgs } from "node:util";
import { parseArgv } from "../../cli/_parse_argv.ts";

const OPTIONS = {
  port: { type: "string", short: "p" },
  config: { type: "string", short: "c" },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const;

const CASES: string[][] = [
  [],
  ["--port", "9000"],
  ["--port=9000"],
  ["--port="],
  ["--port", "9000", "--port", "9001"],
  ["--port=a=b"],
  ["-p", "9000"],
  ["-p9000"],
  ["-vp", "9000"],
  ["-vh"],
  ["-vp9000"],
  ["--verbose", "--help"],
  ["--verbose=1"],
  ["-v=1"],
  ["--nope"],
  ["--nope=1"],
  ["-z"],
  ["-vz"],
  ["--port"],
  ["-p"],
  ["--port", "-1"],
  ["--port", "--verbose"],
  ["-p", "-v"],
  ["--port", "-"],
  ["word"],
  ["-"],
  ["--", "--port", "x"],
  ["--port", "1", "--", "a", "b"],
  ["a", "--verbose", "b"],
  ["--constructor"],
  ["--__proto__", "x"],
];

Deno.test("parseArgv gives node:util parseArgs's values, positionals and errors", () => {
  for (const args of CASES) {
    for (const allowPositionals of [false, true]) {
      const run = (f: () => unknown) => {
        try {
          return { ok: JSON.parse(JSON.stringify(f())) };
        } catch (e) {
          const err = e as TypeError & { code?: string };
          return { name: err.name, code: err.code, message: err.message };
        }
      };
      const want = run(() => parseArgs({ args, options: OPTIONS, allowPositionals, strict: true }));
      const got = run(() => parseArgv(args, OPTIONS, allowPositionals));
      assert.deepEqual(got, want, `${JSON.stringify(args)} allowPositionals=${allowPositionals}`);
    }
  }
});
