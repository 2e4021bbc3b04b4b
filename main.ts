#!/usr/bin/env -S deno run -A
/**
 * The `tsflow` command: parses the command line and dispatches to a mode (`run`, `worker`,
 * `visualize`, `interchange`). Nothing else lives here; each mode's module is imported only
 * when that mode runs, so a worker pool never loads the driver's code and vice versa.
 *
 * ```sh
 * deno run -A main.ts run examples/add.ts
 * deno run -A main.ts --help
 * ```
 *
 * @module
 */
// Only what every mode needs: a pool or worker process starts with this module graph, so the
// help pages (every mode's flags), `--version` and suggestions are imported when asked for,
// and nothing here imports a `node:` module (that starts Deno's Node layer, ~5 ms of CPU).
import { parseArgv } from "./cli/_parse_argv.ts";
import { type Mode, MODES } from "./cli/modes.ts";
import { type ModeMain, runMode } from "./cli/mode_entry.ts";
import { registerEntry } from "./cli/self_command.ts";

const helpText = async (mode?: Mode) => (await import("./cli/help.ts")).helpText(mode);

/** Loads a mode's entry point from its module, by export name. */
async function entry(ns: Promise<unknown>, name: string, file: string): Promise<ModeMain> {
  const fn = ((await ns) as Record<string, unknown>)[name];
  if (typeof fn !== "function") {
    throw new Error(`This build of tsflow has no ${file} export ${name}()`);
  }
  return fn as ModeMain;
}

// Literal specifiers, so `deno bundle` and `deno compile` include every mode. Each mode loads
// its entry module, not its folder's mod.ts: a process started often (interchange, pool,
// worker) imports only its own module graph.
const LOADERS: Record<Mode, () => Promise<ModeMain>> = {
  run: async () => (await import("./cli/run_command.ts")).runCommand,
  interchange: () =>
    entry(
      import("./interchange/interchange_main.ts"),
      "runInterchange",
      "interchange/interchange_main.ts",
    ),
  worker: () =>
    entry(
      import("./worker_pool/worker_pool_main.ts"),
      "runWorkerPool",
      "worker_pool/worker_pool_main.ts",
    ),
  visualize: () => entry(import("./monitoring/mod.ts"), "runVisualize", "monitoring/mod.ts"),
};

const USAGE = "Usage: tsflow <run|worker|visualize|interchange> [args] (tsflow --help for more)";

/**
 * Runs the `tsflow` command.
 *
 * @param argv Arguments after the program (`Deno.args`).
 * @returns The exit code: 0 success, 1 failure, 2 bad command line, 130 interrupted.
 *
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * import assert from "node:assert/strict";
 * assert(await main(["--help"]) === 0);
 * ```
 */
export async function main(argv: string[]): Promise<number> {
  const at = argv.findIndex((a) => !a.startsWith("-"));
  const globals = at < 0 ? argv : argv.slice(0, at);
  let flags;
  try {
    flags = parseArgv(globals, {
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "V" },
    }, false).values;
  } catch (e) {
    console.error(`tsflow: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (flags.version) {
    console.log((await (await import("./cli/version.ts")).versionText()).trimEnd());
    return 0;
  }
  const name = at < 0 ? undefined : argv[at];
  if (flags.help || name === "help") {
    const topic = name === "help" ? argv[at + 1] : undefined;
    console.log(
      (await helpText(MODES.includes(topic as Mode) ? topic as Mode : undefined)).trimEnd(),
    );
    return 0;
  }
  if (name === undefined) {
    console.error(USAGE);
    return 2;
  }
  if (!MODES.includes(name as Mode)) {
    const { didYouMean } = await import("./dfk/suggest.ts");
    console.error(`tsflow: unknown mode "${name}"${didYouMean(name, MODES)}\n${USAGE}`);
    return 2;
  }
  const mode = name as Mode;
  const args = argv.slice(at + 1);
  let run: ModeMain;
  try {
    run = await LOADERS[mode]();
  } catch (e) {
    console.error(`tsflow ${mode}: ${(e as Error).message}`);
    return 1;
  }
  return await runMode(mode, run, args);
}

/**
 * Runs the command line of this process and exits with its code: what the program's entry does
 * (`main.ts` itself, or the bundle's entry, which esbuild does not let `main.ts` detect).
 *
 * @param entry URL of the entry module, recorded for re-executing this program in other modes.
 * @returns Only inside a Web Worker (nothing to run); otherwise the process exits.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: a process entry point: runs the command line and exits.
 * if (import.meta.main) await runProgram(import.meta.url);
 * ```
 */
export async function runProgram(entry: string): Promise<void> {
  // A Web Worker started from the program's own file (the bundle) runs its role, not the CLI.
  if (inWebWorker()) return;
  registerEntry(entry);
  Deno.exit(await main(Deno.args));
}

/** Whether this module was loaded as a Web Worker (the bundle starts its workers from itself). */
function inWebWorker(): boolean {
  const scope =
    (globalThis as { WorkerGlobalScope?: abstract new () => unknown }).WorkerGlobalScope;
  return typeof scope === "function" && globalThis instanceof scope;
}

// Web Workers a bundle starts from itself, by URL fragment (see webWorkerUrl in self_command.ts).
const WEB_WORKERS: Record<string, () => Promise<unknown>> = {
  "#thread-worker": () => import("./worker_pool/thread_pool/worker_entry.ts"),
  "#monitoring-writer": () => import("./monitoring/_writer_thread.ts"),
};

if (inWebWorker()) {
  // Without a role, the bundle is being imported as the library (by a workflow module).
  await WEB_WORKERS[new URL(import.meta.url).hash]?.();
} else if (import.meta.main) {
  void runProgram(import.meta.url);
}
