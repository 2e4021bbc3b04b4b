/**
 * A process mode's command-line flags, defined once: each flag's name, type, default and help
 * line. From one schema come the three things that used to be written by hand in separate files:
 * parsing with defaults ({@linkcode parseFlags}), emitting the argv that starts the mode
 * ({@linkcode emitFlags}), and the Options section of `--help` ({@linkcode flagHelp}).
 *
 * @module
 */
import { type ArgvOption, parseArgv } from "./_parse_argv.ts";

/**
 * How a flag's value is written: `string` and `number` take one argument, `list` one argument
 * of comma-separated items, `boolean` none (present means true).
 */
export type FlagType = "string" | "number" | "boolean" | "list";

/** One flag of a mode. */
export interface FlagSpec {
  /** The flag's name without dashes, e.g. `heartbeat-period`. */
  readonly flag: string;
  /** How its value is written. */
  readonly type: FlagType;
  /** One-letter alias (`-c`). */
  readonly short?: string;
  /** The value when the flag is absent (booleans: false). */
  readonly default?: string | number | readonly string[];
  /** Argument placeholder in help, e.g. `<s>`. @default "<value>" */
  readonly arg?: string;
  /** Help text; "\n" starts a continuation line. */
  readonly help: string;
  /** Set by the program for itself, not by people: left out of `--help`. */
  readonly internal?: boolean;
}

/** A mode's flags by option name (the name its parsed values use). */
export type FlagSchema = Readonly<Record<string, FlagSpec>>;

type ValueOf<S extends FlagSpec> = S["type"] extends "number" ? number
  : S["type"] extends "boolean" ? boolean
  : S["type"] extends "list" ? string[]
  : string;

/** Parsed values of a schema: a flag with a default, a boolean or a list is always set. */
export type FlagValues<S extends FlagSchema> = {
  -readonly [K in keyof S]: S[K] extends { type: "boolean" | "list" } | { default: unknown }
    ? ValueOf<S[K]>
    : ValueOf<S[K]> | undefined;
};

/**
 * Declares a schema, keeping its literal types (so parsed values are typed per flag).
 *
 * @param schema The flags.
 * @returns The same object.
 *
 * @example
 * ```ts
 * import { flagSchema } from "./flag_schema.ts";
 * import assert from "node:assert/strict";
 * const s = flagSchema({ period: { flag: "period", type: "number", default: 30, help: "s" } });
 * assert(s.period.default === 30);
 * ```
 */
export function flagSchema<const S extends FlagSchema>(schema: S): S {
  return schema;
}

function fromText(spec: FlagSpec, text: string): string | number | string[] {
  if (spec.type === "number") return Number(text);
  if (spec.type === "list") return text.split(",").map((x) => x.trim()).filter((x) => x !== "");
  return text;
}

/**
 * Parses a mode's arguments: every flag of the schema, with its default when absent (booleans
 * false, lists empty).
 *
 * @param schema The mode's flags.
 * @param args The arguments after the mode word.
 * @param allowPositionals Whether words that are no flags are accepted (returned apart).
 * @returns The values by option name, and the positional words.
 * @throws TypeError (as `node:util`'s `parseArgs`) on an unknown flag or a missing value.
 *
 * @example
 * ```ts
 * import { flagSchema, parseFlags } from "./flag_schema.ts";
 * import assert from "node:assert/strict";
 * const s = flagSchema({
 *   period: { flag: "heartbeat-period", type: "number", default: 30, help: "seconds" },
 *   debug: { flag: "debug", type: "boolean", help: "debug log" },
 * });
 * const { values } = parseFlags(s, ["--heartbeat-period", "5"]);
 * assert(values.period === 5 && values.debug === false);
 * ```
 */
export function parseFlags<S extends FlagSchema>(
  schema: S,
  args: string[],
  allowPositionals = false,
): { values: FlagValues<S>; positionals: string[] } {
  const options: Record<string, ArgvOption> = {};
  for (const spec of Object.values(schema)) {
    options[spec.flag] = {
      type: spec.type === "boolean" ? "boolean" : "string",
      ...(spec.short ? { short: spec.short } : {}),
    };
  }
  const parsed = parseArgv(args, options, allowPositionals);
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const given = raw[spec.flag];
    if (spec.type === "boolean") values[key] = given === true;
    else if (typeof given === "string") values[key] = fromText(spec, given);
    else if (spec.type === "list") values[key] = [...(spec.default as string[] | undefined ?? [])];
    else values[key] = spec.default;
  }
  return { values: values as FlagValues<S>, positionals: parsed.positionals };
}

/**
 * The argv that gives a mode these values: one flag per value set, in the schema's order;
 * `false` booleans, empty lists and unset values are left out.
 *
 * @param schema The mode's flags.
 * @param values Values by option name.
 * @returns The arguments after the mode word.
 *
 * @example
 * ```ts
 * import { emitFlags, flagSchema } from "./flag_schema.ts";
 * import assert from "node:assert/strict";
 * const s = flagSchema({
 *   period: { flag: "heartbeat-period", type: "number", default: 30, help: "seconds" },
 *   debug: { flag: "debug", type: "boolean", help: "debug log" },
 * });
 * assert.deepEqual(emitFlags(s, { period: 5, debug: true }), ["--heartbeat-period", "5", "--debug"]);
 * ```
 */
export function emitFlags<S extends FlagSchema>(
  schema: S,
  values: Partial<FlagValues<S>>,
): string[] {
  const out: string[] = [];
  for (const [key, spec] of Object.entries(schema)) {
    const v = (values as Record<string, unknown>)[key];
    if (v === undefined || v === false) continue;
    if (spec.type === "boolean") out.push(`--${spec.flag}`);
    else if (Array.isArray(v)) {
      if (v.length > 0) out.push(`--${spec.flag}`, v.join(","));
    } else out.push(`--${spec.flag}`, String(v));
  }
  return out;
}

/**
 * The Options section of a mode's `--help`: one line per flag people set, its default after it.
 *
 * @param schema The mode's flags.
 * @returns The lines, each ending with a newline; `-h, --help` last.
 *
 * @example
 * ```ts
 * import { flagHelp, flagSchema } from "./flag_schema.ts";
 * import assert from "node:assert/strict";
 * const s = flagSchema({
 *   period: { flag: "heartbeat-period", type: "number", default: 30, arg: "<s>", help: "seconds" },
 * });
 * assert(flagHelp(s).includes("--heartbeat-period <s>"));
 * assert(flagHelp(s).includes("(default 30)"));
 * ```
 */
export function flagHelp(schema: FlagSchema): string {
  const rows: [string, string][] = [];
  for (const spec of Object.values(schema)) {
    if (spec.internal) continue;
    const name = (spec.short ? `-${spec.short}, ` : "") + `--${spec.flag}` +
      (spec.type === "boolean" ? "" : ` ${spec.arg ?? "<value>"}`);
    const d = spec.default;
    const shown = Array.isArray(d) ? d.join(",") : d;
    const text = spec.help + (shown === undefined || shown === "" ? "" : ` (default ${shown})`);
    rows.push([name, text]);
  }
  rows.push(["-h, --help", "this page"]);
  const width = Math.max(...rows.map(([n]) => n.length)) + 2;
  return rows.map(([n, text]) =>
    `  ${n.padEnd(width)}${text.split("\n").join(`\n  ${" ".repeat(width)}`)}\n`
  ).join("");
}
