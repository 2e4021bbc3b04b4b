/**
 * Strict command-line tokenizing, as `node:util`'s `parseArgs({ strict: true })` does it (same
 * results, same error messages), without `node:util`: importing any `node:` module starts
 * Deno's Node compatibility layer, ~5 ms of CPU in every process, and the interchange, a pool
 * and each of its workers parse their flags at start (a cold start waits on them).
 * `tests/cli/parse_argv_test.ts` compares the two on the same argument lists.
 *
 * @module
 */

/** How one option is written: `string` takes a value, `boolean` none. */
export interface ArgvOption {
  /** `string` or `boolean`. */
  type: "string" | "boolean";
  /** One-letter alias. */
  short?: string;
}

/** Tokenized arguments: the last value of each option given, and the positional words. */
export interface ParsedArgv {
  /** Values by option name (booleans: true when present). */
  values: Record<string, string | boolean>;
  /** Words that are no options (and everything after `--`). */
  positionals: string[];
}

/** The error `parseArgs` throws: a `TypeError` with a `code`. */
function argvError(code: string, message: string): TypeError {
  return Object.assign(new TypeError(message), { code });
}

/** Whether a value would read as an option (`parseArgs` refuses it after a string option). */
const optionLike = (s: string) => s.length > 1 && s[0] === "-";

/**
 * Tokenizes `args` strictly: an unknown option, a string option without its value (or with a
 * value that looks like an option), a value given to a boolean, or a positional word when none
 * are allowed is an error.
 *
 * @param args The arguments.
 * @param options The options by long name.
 * @param allowPositionals Whether words that are no options are accepted.
 * @returns The values and positionals.
 * @throws TypeError (with `code`, as `parseArgs`) on a bad argument list.
 *
 * @example
 * ```ts
 * import { parseArgv } from "./_parse_argv.ts";
 * import assert from "node:assert/strict";
 * const r = parseArgv(["--port", "9000", "-v"], {
 *   port: { type: "string" },
 *   verbose: { type: "boolean", short: "v" },
 * }, false);
 * assert.deepEqual(r.values, { port: "9000", verbose: true });
 * ```
 */
export function parseArgv(
  args: readonly string[],
  options: Readonly<Record<string, ArgvOption>>,
  allowPositionals: boolean,
): ParsedArgv {
  const values: Record<string, string | boolean> = Object.create(null);
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, o] of Object.entries(options)) if (o.short) byShort.set(o.short, name);
  const label = (name: string) => {
    const short = options[name].short;
    return `${short ? `-${short}, ` : ""}--${name}`;
  };
  const positional = (word: string) => {
    if (!allowPositionals) {
      throw argvError(
        "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL",
        `Unexpected argument '${word}'. This command does not take positional arguments`,
      );
    }
    positionals.push(word);
  };
  const unknown = (token: string) => {
    const hint = allowPositionals
      ? `. To specify a positional argument starting with a '-', place it at the end of the ` +
        `command after '--', as in '-- "${token}"`
      : "";
    return argvError("ERR_PARSE_ARGS_UNKNOWN_OPTION", `Unknown option '${token}'${hint}`);
  };
  /** Stores option `name`, written as `token`; takes its value from `inline` or the next arg. */
  let i = 0;
  const store = (name: string, token: string, inline: string | undefined) => {
    const o = options[name];
    if (o.type === "boolean") {
      if (inline !== undefined) {
        throw argvError(
          "ERR_PARSE_ARGS_INVALID_OPTION_VALUE",
          `Option '${label(name)}' does not take an argument`,
        );
      }
      values[name] = true;
      return;
    }
    if (inline !== undefined) {
      values[name] = inline;
      return;
    }
    const next = args[i + 1];
    if (next === undefined) {
      throw argvError(
        "ERR_PARSE_ARGS_INVALID_OPTION_VALUE",
        `Option '${label(name)} <value>' argument missing`,
      );
    }
    if (optionLike(next)) {
      throw argvError(
        "ERR_PARSE_ARGS_INVALID_OPTION_VALUE",
        `Option '${token}' argument is ambiguous.\n` +
          `Did you forget to specify the option argument for '${token}'?\n` +
          `To specify an option argument starting with a dash use ${
            token.startsWith("--") ? `'${token}=-XYZ'` : `'--${name}=-XYZ' or '${token}-XYZ'`
          }.`,
      );
    }
    values[name] = next;
    i++;
  };
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      for (const rest of args.slice(i + 1)) positional(rest);
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (!Object.hasOwn(options, name)) throw unknown(eq < 0 ? a : `--${name}`);
      store(name, `--${name}`, eq < 0 ? undefined : a.slice(eq + 1));
    } else if (a.length > 1 && a[0] === "-") {
      // Short options: `-v`, grouped `-vh`, a string one last with its value `-cVALUE`/`-c V`.
      for (let j = 1; j < a.length; j++) {
        const name = byShort.get(a[j]);
        if (name === undefined) throw unknown(`-${a[j]}`);
        if (options[name].type === "string") {
          store(name, `-${a[j]}`, j + 1 < a.length ? a.slice(j + 1) : undefined);
          break;
        }
        store(name, `-${a[j]}`, undefined);
      }
    } else positional(a);
  }
  return { values: { ...values }, positionals };
}
