/**
 * How this program re-executes itself in another mode (`interchange`, `worker`): the one place
 * that knows whether we are a compiled binary, a bundle, or `main.ts` run by Deno. Executors and
 * providers build command lines only through it ({@linkcode modeCommand} for the executor's
 * `interchange` and `worker` processes).
 *
 * - Compiled (`Deno.build.standalone`): the binary itself, `tsflow <mode> …`.
 * - Otherwise `deno run -A <entry> <mode> …`, where the entry is what `main.ts` registered at
 *   start (its own URL: `main.ts`, or the bundle file when bundled, since inside a bundle
 *   `import.meta.url` is the bundle), else `main.ts` beside this folder (a workflow run directly
 *   with `deno run flow.ts`), else this file's URL when it sits inside a bundle.
 * - Web Workers (the ThreadPoolExecutor's) start from {@linkcode webWorkerUrl}: their module
 *   file from source or a compiled binary, the bundle itself (with a `#role` that `main.ts`
 *   dispatches on) when bundled.
 * - When `tsflow run` adopted a workflow's own `deno.json` (its import map), that file is in
 *   `TSFLOW_DENO_CONFIG` and every re-executed process gets `--config` with it (and the
 *   variable, through `/usr/bin/env`), so workers resolve the workflow's imports as the driver did.
 *
 * @module
 */
import { commandLine } from "../providers/shell_quote.ts";

const ENTRY_KEY = Symbol.for("tsflow.entry.v1");
const g = globalThis as unknown as Record<symbol, string | undefined>;

/** Environment variable naming the `deno.json` the program runs with, when tsflow chose one. */
export const DENO_CONFIG_ENV = "TSFLOW_DENO_CONFIG";

/**
 * Environment variable set to `1` when this run must not write the lockfile Deno would pick:
 * the one beside tsflow's own `deno.json`, which is not the workflow's (see `lockFree`).
 */
export const NO_LOCK_ENV = "TSFLOW_NO_LOCK";

/**
 * Records the URL of the program's entry module. `main.ts` calls it with its own
 * `import.meta.url` when it starts; kept on `globalThis` so every copy of tsflow in the process
 * (e.g. one a workflow imports from a URL) re-executes the same program.
 *
 * @param url The entry's URL (`main.ts`, or the bundle file).
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: changes the process-wide entry this program re-executes.
 * registerEntry(import.meta.url);
 * ```
 */
export function registerEntry(url: string): void {
  g[ENTRY_KEY] = url;
}

/**
 * URL of the program's entry module (see the module docs for the order of choices).
 *
 * @returns The URL.
 *
 * @example
 * ```ts
 * import { entryUrl } from "./self_command.ts";
 * import assert from "node:assert/strict";
 * assert(entryUrl().endsWith(".ts") || entryUrl().endsWith(".js"));
 * ```
 */
export function entryUrl(): string {
  const registered = g[ENTRY_KEY];
  if (registered) return registered;
  const here = import.meta.url;
  if (here.endsWith("/cli/self_command.ts")) return new URL("../main.ts", here).href;
  return here;
}

/** A kind of Web Worker tsflow starts. */
export type WebWorkerRole = "thread-worker" | "monitoring-writer";

/** Entry modules of tsflow's Web Workers, relative to this file in the source tree. */
const WEB_WORKERS: Record<WebWorkerRole, string> = {
  "thread-worker": "../worker_pool/thread_pool/worker_entry.ts",
  "monitoring-writer": "../monitoring/_writer_thread.ts",
};

/**
 * Module files of tsflow's Web Workers, relative to the repository root (for `deno compile
 * --include`, since a compiled binary only embeds what it can see imported).
 *
 * @example
 * ```ts
 * import { WEB_WORKER_FILES } from "./self_command.ts";
 * import assert from "node:assert/strict";
 * assert(WEB_WORKER_FILES.every((f) => f.endsWith(".ts")));
 * ```
 */
export const WEB_WORKER_FILES: readonly string[] = Object.values(WEB_WORKERS).map((p) =>
  p.slice(3)
);

/**
 * The module URL to start one of tsflow's Web Workers with (`new Worker(url, { type: "module" })`).
 * From source (and in a compiled binary, which keeps the source layout) it is the worker's own
 * module; in a bundle, where that file does not exist, it is the bundle with `#<role>`, and
 * `main.ts` runs the worker's module when loaded that way.
 *
 * @param role Which worker.
 * @returns Its module URL.
 *
 * @example
 * ```ts
 * import { webWorkerUrl } from "./self_command.ts";
 * import assert from "node:assert/strict";
 * assert(webWorkerUrl("thread-worker").href.includes("worker"));
 * ```
 */
export function webWorkerUrl(role: WebWorkerRole): URL {
  const here = import.meta.url;
  if (here.endsWith("/cli/self_command.ts")) return new URL(WEB_WORKERS[role], here);
  return new URL(`#${role}`, entryUrl());
}

/**
 * The path of a `file:` URL (POSIX), as `node:url`'s `fileURLToPath`; not imported from there:
 * any `node:` import starts Deno's Node layer (~5 ms of CPU in every pool and worker process).
 */
function filePath(url: string): string {
  const u = new URL(url);
  if (u.host !== "" && u.host !== "localhost") {
    throw new TypeError(`File URL host must be "localhost" or empty: ${url}`);
  }
  if (/%2f/i.test(u.pathname)) {
    throw new TypeError(`File URL path must not include encoded / characters: ${url}`);
  }
  return decodeURIComponent(u.pathname);
}

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined; // no env permission: nothing was chosen
  }
}

/**
 * Whether processes this one starts must run with `--no-lock`. Deno writes the lockfile beside
 * the `deno.json` it finds for the program, here tsflow's own (a checkout's tracked `deno.lock`);
 * a workflow outside that copy, and the remote modules it imports, must not be recorded there.
 * So: when `tsflow run` chose it (`TSFLOW_NO_LOCK`), or when this process's main module (a
 * workflow run directly, importing tsflow by path) lies outside the tsflow copy re-executed.
 * A workflow with its own `deno.json` (`TSFLOW_DENO_CONFIG`) uses that file's lock.
 *
 * @returns True when the started processes must not use a lockfile.
 *
 * @example
 * ```ts
 * import { lockFree } from "./self_command.ts";
 * import assert from "node:assert/strict";
 * assert(typeof lockFree() === "boolean");
 * ```
 */
export function lockFree(): boolean {
  if (env(NO_LOCK_ENV) === "1") return true;
  if (env(DENO_CONFIG_ENV)) return false;
  const entry = entryUrl();
  if (!entry.startsWith("file:")) return false;
  return !Deno.mainModule.startsWith(new URL(".", entry).href);
}

/**
 * The argv that starts this program in a given mode.
 *
 * @param mode Subcommand, e.g. `interchange` or `worker`.
 * @param args Its arguments.
 * @returns argv (program first).
 *
 * @example
 * ```ts
 * import { selfCommand } from "./self_command.ts";
 * import assert from "node:assert/strict";
 * const argv = selfCommand("worker", ["--interchange", "127.0.0.1:9000"]);
 * assert(argv.includes("worker"));
 * ```
 */
export function selfCommand(mode: string, args: string[] = []): string[] {
  if (Deno.build.standalone) return [Deno.execPath(), mode, ...args];
  const entry = entryUrl();
  const target = entry.startsWith("file:") ? filePath(entry) : entry;
  const config = env(DENO_CONFIG_ENV);
  const noLock = lockFree();
  const deno = [Deno.execPath(), "run", "-A", "--quiet"];
  if (!config && !noLock) return [...deno, target, mode, ...args];
  // `env` sets the variables too, so processes that one starts (a pool's workers) get the same
  // flags even where a batch system does not pass the driver's environment into the job.
  return [
    "/usr/bin/env",
    ...(config ? [`${DENO_CONFIG_ENV}=${config}`] : []),
    ...(noLock ? [`${NO_LOCK_ENV}=1`] : []),
    ...deno,
    ...(config ? ["--config", config] : []),
    ...(noLock ? ["--no-lock"] : []),
    target,
    mode,
    ...args,
  ];
}

/**
 * A shell-quoted command line of {@linkcode selfCommand}, for batch scripts and logs.
 *
 * @param mode Subcommand.
 * @param args Its arguments.
 * @returns One line, safe to paste into a shell.
 *
 * @example
 * ```ts
 * import { selfCommandLine } from "./self_command.ts";
 * import assert from "node:assert/strict";
 * assert(selfCommandLine("worker").includes("worker"));
 * ```
 */
export function selfCommandLine(mode: string, args: string[] = []): string {
  return commandLine(selfCommand(mode, args));
}

/** A mode an executor starts as a process of its own. */
export type ProcessMode = "interchange" | "worker";

/** Each process mode's own entry file, for a copy of tsflow with no `main.ts` beside it. */
const DIRECT: Record<ProcessMode, string> = {
  interchange: "../interchange/interchange_main.ts",
  worker: "../worker_pool/worker_pool_main.ts",
};

function exists(target: string): boolean {
  try {
    const path = target.startsWith("file:") ? new URL(target).pathname : target;
    if (/^[a-z]+:/.test(path)) return true; // a remote entry: trust it
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The argv that starts an HTEX process (`interchange` or `worker` mode). It is
 * {@linkcode selfCommand}'s (the bundle or compiled binary, a remote `main.ts`), except from
 * this source copy (its own `main.ts`, or none beside it): then the mode's own entry file runs
 * directly, with the same Deno flags. Deno prepares every module a program may import, dynamic
 * imports included, so through `main.ts` each interchange, pool and worker process would read
 * every mode's graph (the driver's, monitoring's, `npm:yaml`): ~6 ms of CPU more per process,
 * which a cold start pays for each of them.
 *
 * @param mode `interchange` or `worker`.
 * @param args The mode's arguments.
 * @returns argv, program first.
 *
 * @example
 * ```ts
 * import { modeCommand } from "./self_command.ts";
 * import assert from "node:assert/strict";
 * assert(modeCommand("worker", ["--help"]).includes("--help"));
 * ```
 */
export function modeCommand(mode: ProcessMode, args: string[]): string[] {
  const argv = selfCommand(mode, args);
  if (Deno.build.standalone) return argv;
  const here = import.meta.url;
  const at = argv.indexOf(mode);
  // Only a local source copy has the mode files beside main.ts (a remote one re-executes its
  // main.ts: Deno caches what it fetched).
  const source = here.startsWith("file:") && here.endsWith("/cli/self_command.ts");
  const ownMain = source && argv[at - 1] === filePath(new URL("../main.ts", here).href);
  if (at > 0 && !ownMain && (!source || exists(argv[at - 1]))) return argv;
  const direct = filePath(new URL(DIRECT[mode], here).href);
  if (at > 0) return [...argv.slice(0, at - 1), direct, ...argv.slice(at + 1)];
  return [Deno.execPath(), "run", "-A", "--quiet", direct, ...args];
}

/**
 * {@linkcode modeCommand} as one shell-quoted line (for provider scripts and logs).
 *
 * @param mode `interchange` or `worker`.
 * @param args The mode's arguments.
 * @returns The command line.
 *
 * @example
 * ```ts
 * import { modeCommandLine } from "./self_command.ts";
 * import assert from "node:assert/strict";
 * assert(modeCommandLine("worker", ["--interchange", "h:1"]).includes("h:1"));
 * ```
 */
export function modeCommandLine(mode: ProcessMode, args: string[]): string {
  return commandLine(modeCommand(mode, args));
}
