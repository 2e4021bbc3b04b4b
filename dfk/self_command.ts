/**
 * How this program re-executes itself in another mode (`interchange`, `worker`): the one place
 * that knows whether we are a compiled binary, a bundle, or `main.ts` run by Deno. Executors and
 * providers build command lines only through it.
 *
 * @module
 */

/**
 * URL of the program's entry: `main.ts` beside this folder, or the bundle file when this code
 * was bundled into one file (then `import.meta.url` is the bundle itself).
 */
function entryUrl(): string {
  const here = import.meta.url;
  if (here.endsWith("/dfk/self_command.ts")) return new URL("../main.ts", here).href;
  return here;
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
 * const argv = selfCommand("worker", ["--interchange", "127.0.0.1:9000"]);
 * console.assert(argv.includes("worker"));
 * ```
 */
export function selfCommand(mode: string, args: string[] = []): string[] {
  if (Deno.build.standalone) return [Deno.execPath(), mode, ...args];
  const entry = entryUrl();
  const target = entry.startsWith("file:") ? new URL(entry).pathname : entry;
  return [Deno.execPath(), "run", "-A", "--quiet", target, mode, ...args];
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
 * console.assert(selfCommandLine("worker").includes("worker"));
 * ```
 */
export function selfCommandLine(mode: string, args: string[] = []): string {
  return selfCommand(mode, args).map((a) => /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)
    .join(" ");
}
