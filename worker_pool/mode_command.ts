/**
 * The argv that starts an HTEX process (`interchange` or `worker` mode). It is
 * {@linkcode selfCommand}'s, except when this copy of tsflow has no `main.ts` beside it (a
 * source checkout being built, or a library copy): then the mode's own entry file runs directly.
 *
 * @module
 */
import { selfCommand } from "../dfk/self_command.ts";

const DIRECT: Record<string, string> = {
  interchange: new URL("../interchange/interchange_main.ts", import.meta.url).href,
  worker: new URL("./worker_pool_main.ts", import.meta.url).href,
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
 * argv for a mode.
 *
 * @param mode `interchange` or `worker`.
 * @param args The mode's arguments.
 * @returns argv, program first.
 *
 * @example
 * ```ts
 * import { modeCommand } from "./mode_command.ts";
 * import assert from "node:assert/strict";
 * assert(modeCommand("worker", ["--help"]).includes("--help"));
 * ```
 */
export function modeCommand(mode: "interchange" | "worker", args: string[]): string[] {
  const argv = selfCommand(mode, args);
  if (Deno.build.standalone) return argv;
  const at = argv.indexOf(mode);
  if (at > 0 && exists(argv[at - 1])) return argv;
  const direct = new URL(DIRECT[mode]).pathname;
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
 * import { modeCommandLine } from "./mode_command.ts";
 * import assert from "node:assert/strict";
 * assert(modeCommandLine("worker", ["--interchange", "h:1"]).includes("h:1"));
 * ```
 */
export function modeCommandLine(mode: "interchange" | "worker", args: string[]): string {
  return modeCommand(mode, args).map((a) =>
    /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`
  )
    .join(" ");
}
