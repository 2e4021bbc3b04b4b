/**
 * Parsl's `launch_cmd` for tsflow: a site's own command line that starts a worker pool in each
 * block (Deno or the tsflow binary where it lives on the compute nodes), with placeholders for
 * where the interchange is, the block id and the pool's other options.
 *
 * @module
 */
import { ConfigError } from "../dfk/errors.ts";

/** Placeholders a `launchCmd` may use. */
export const LAUNCH_CMD_PLACEHOLDERS = [
  "addresses",
  "port",
  "interchange",
  "block_id",
  "options",
] as const;

/**
 * Checks a `launchCmd` template.
 *
 * @param cmd The template.
 * @throws ConfigError naming an unknown placeholder, or when the interchange is not passed.
 *
 * @example
 * ```ts
 * import { checkLaunchCmd } from "./launch_cmd.ts";
 * checkLaunchCmd("tsflow worker --interchange {interchange} {options}");
 * ```
 */
export function checkLaunchCmd(cmd: string): void {
  if (typeof cmd !== "string" || cmd.trim() === "") {
    throw new ConfigError("HighThroughputExecutor launchCmd must be a non-empty command line");
  }
  for (const m of cmd.matchAll(/\{(\w+)\}/g)) {
    if (!(LAUNCH_CMD_PLACEHOLDERS as readonly string[]).includes(m[1])) {
      throw new ConfigError(
        `HighThroughputExecutor launchCmd has an unknown placeholder {${m[1]}}: use ` +
          LAUNCH_CMD_PLACEHOLDERS.map((p) => `{${p}}`).join(", "),
      );
    }
  }
  if (!cmd.includes("{port}") && !cmd.includes("{interchange}")) {
    throw new ConfigError(
      "HighThroughputExecutor launchCmd must pass the interchange to the pool: include " +
        "{addresses} and {port}, or {interchange}",
    );
  }
}

/** Quotes one word for a POSIX shell when it needs it. */
function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`;
}

/**
 * Fills a `launchCmd`'s placeholders for one block.
 *
 * @param cmd The template.
 * @param v The values.
 * @returns The shell command line.
 *
 * @example
 * ```ts
 * import { fillLaunchCmd } from "./launch_cmd.ts";
 * import assert from "node:assert/strict";
 * const c = fillLaunchCmd("tsflow worker -a {addresses} -p {port} {options}", {
 *   addresses: ["10.0.0.5"], port: 9000, blockId: "0", options: ["--debug"] });
 * assert(c === "tsflow worker -a 10.0.0.5 -p 9000 --debug");
 * ```
 */
export function fillLaunchCmd(
  cmd: string,
  v: { addresses: string[]; port: number; blockId: string; options: string[] },
): string {
  const values: Record<string, string> = {
    addresses: quote(v.addresses.join(",")),
    port: String(v.port),
    interchange: quote(`${v.addresses[0]}:${v.port}`),
    block_id: quote(v.blockId),
    options: v.options.map(quote).join(" "),
  };
  return cmd.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
