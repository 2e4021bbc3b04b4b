/**
 * `deno task bundle`: builds `dist/tsflow.js`, the whole of tsflow (every mode, npm packages
 * included) in one JavaScript file that starts with `#!/usr/bin/env -S deno run -A` and is
 * executable. On any machine with Deno it is the one file to copy: `./tsflow.js run flow.ts`,
 * and the same file runs `./tsflow.js worker --interchange host:port` in batch jobs. Works
 * offline once Deno has esbuild cached (its first use fetches esbuild from npm).
 *
 * ```sh
 * deno task bundle              # dist/tsflow.js
 * deno task bundle out/tf.js    # another output path
 * ```
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SHEBANG = "#!/usr/bin/env -S deno run -A\n";
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Builds the bundle.
 *
 * @param output Path of the file to write. @default dist/tsflow.js under the repository
 * @returns The output path.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: builds dist/tsflow.js (tests/e2e/bundle_test.ts).
 * const path = await bundle();
 * ```
 */
export async function bundle(output: string = join(ROOT, "dist", "tsflow.js")): Promise<string> {
  await Deno.mkdir(dirname(output), { recursive: true });
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "deno",
      "-o",
      output,
      join(ROOT, "scripts", "_bundle_entry.ts"),
    ],
    cwd: ROOT,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`deno bundle failed with exit code ${out.code}`);
  let text = await Deno.readTextFile(output);
  // The entry's own shebang may or may not survive bundling; make sure exactly one leads.
  text = SHEBANG + text.replace(/^#!.*\n/, "");
  await Deno.writeTextFile(output, text);
  await Deno.chmod(output, 0o755);
  return output;
}

if (import.meta.main) {
  const path = await bundle(Deno.args[0] ? resolve(Deno.args[0]) : undefined);
  const { size } = await Deno.stat(path);
  console.log(`bundle=${path}`);
  console.log(`bundle_bytes=${size}`);
}
