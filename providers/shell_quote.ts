/**
 * Quoting for a POSIX shell, written once: batch scripts, scheduler command lines in logs and
 * errors, and the command lines that re-execute this program (`cli/self_command.ts`) all use it.
 *
 * @module
 */

/** Words a shell reads as themselves: left unquoted in command lines. */
const PLAIN = /^[\w@%+=:,./-]+$/;

/**
 * Quotes a string for a POSIX shell.
 *
 * @param s Any string.
 * @returns The string in single quotes.
 *
 * @example
 * ```ts
 * import { shellQuote } from "./shell_quote.ts";
 * import assert from "node:assert/strict";
 * assert(shellQuote("it's") === `'it'\\''s'`);
 * ```
 */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * An argv as one line a shell reads back as the same argv; plain words stay unquoted.
 *
 * @param argv Program and arguments.
 * @returns The line.
 *
 * @example
 * ```ts
 * import { commandLine } from "./shell_quote.ts";
 * import assert from "node:assert/strict";
 * assert(commandLine(["squeue", "-o", "%i %t"]) === "squeue -o '%i %t'");
 * ```
 */
export function commandLine(argv: readonly string[]): string {
  return argv.map((a) => PLAIN.test(a) ? a : shellQuote(a)).join(" ");
}
