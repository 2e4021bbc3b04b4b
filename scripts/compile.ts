/**
 * `deno task compile`: builds the `tsflow` binary with `deno compile -A`, one file holding Deno's
 * runtime and every mode (`run`, `worker`, `interchange`, `visualize`; the visualizer's page and
 * uPlot are embedded as strings, the Web Worker modules are `--include`d).
 *
 * ```sh
 * deno task compile                                   # dist/tsflow for this machine
 * deno task compile --target aarch64-unknown-linux-gnu # dist/tsflow-aarch64-unknown-linux-gnu
 * deno task compile --target all                      # one binary per supported target
 * ```
 *
 * `deno compile` needs Deno's base runtime, `denort`, for each target: it downloads it from
 * dl.deno.land, or takes the file named by the `DENORT_BIN` environment variable (a `denort`
 * of the same Deno version and target; the full `deno` binary does not work in its place).
 * Without internet and without a real `denort` it cannot run — as on the machines tsflow is
 * developed on, where no npm package ships `denort`. The offline route is the bundle
 * (`deno task bundle` → `dist/tsflow.js`), which runs every mode on any machine with Deno.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { WEB_WORKER_FILES } from "../cli/self_command.ts";

/** Targets `deno compile` supports that tsflow is built for. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
] as const;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The `deno compile` arguments for one target.
 *
 * @param target A target triple, or undefined for this machine's.
 * @param output The binary's path.
 * @returns Arguments after `deno`.
 *
 * @example
 * ```ts
 * import { compileArgs } from "./compile.ts";
 * import assert from "node:assert/strict";
 * const args = compileArgs("aarch64-apple-darwin", "dist/tsflow-mac");
 * assert(args.includes("--target") && args.at(-1)!.endsWith("main.ts"));
 * ```
 */
export function compileArgs(target: string | undefined, output: string): string[] {
  const includes = WEB_WORKER_FILES.flatMap((f) => ["--include", join(ROOT, f)]);
  return [
    "compile",
    "-A",
    "--quiet",
    ...includes,
    ...(target ? ["--target", target] : []),
    "--output",
    output,
    join(ROOT, "main.ts"),
  ];
}

/**
 * Compiles one binary.
 *
 * @param target A target triple, or undefined for this machine's.
 * @returns The binary's path.
 * @throws Error when `deno compile` fails (typically: `denort` could not be obtained).
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: needs Deno's base runtime from dl.deno.land.
 * await compile("x86_64-unknown-linux-gnu");
 * ```
 */
export async function compile(target?: string): Promise<string> {
  const output = join(ROOT, "dist", target ? `tsflow-${target}` : "tsflow");
  await Deno.mkdir(dirname(output), { recursive: true });
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: compileArgs(target, output),
    cwd: ROOT,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    const hint = Deno.env.get("DENORT_BIN")
      ? `check that DENORT_BIN (${
        Deno.env.get("DENORT_BIN")
      }) is a denort ${Deno.version.deno} for ${target ?? Deno.build.target}`
      : "deno compile downloads its runtime (denort) from dl.deno.land: it needs internet, or DENORT_BIN " +
        "naming a denort binary; offline, use `deno task bundle` (dist/tsflow.js) instead";
    throw new Error(`deno compile failed (exit ${code}): ${hint}`);
  }
  return output;
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { target: { type: "string" } } });
  const wanted = values.target === "all" ? [...TARGETS] : [values.target];
  for (const t of wanted) {
    if (t && !(TARGETS as readonly string[]).includes(t)) {
      console.error(`Unknown target ${t}: use one of ${TARGETS.join(", ")} or all`);
      Deno.exit(2);
    }
  }
  if (Deno.env.get("DENORT_BIN") && wanted.length > 1) {
    console.error("DENORT_BIN names one runtime for one target: compile one --target at a time");
    Deno.exit(2);
  }
  try {
    for (const t of wanted) console.log(`binary=${await compile(t)}`);
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(1);
  }
}
