/**
 * Every key of an options interface, listed once next to it and checked by the compiler. Each
 * plugin class declares the keys a configuration file may set as `static configKeys`; the YAML
 * loader (`cli/builtin_types.ts`) reads them from the class, so no table elsewhere repeats them.
 *
 * @module
 */

/**
 * Lists an options interface's keys, checked by the compiler to be complete and correct: adding
 * an option to the interface without listing it here is a type error, so the YAML loader's
 * "unknown option" check never rejects a real option.
 *
 * @returns A function taking every key of `T` once.
 *
 * @example
 * ```ts
 * import { optionKeys } from "./option_keys.ts";
 * import assert from "node:assert/strict";
 * interface Opts { label?: string; workers?: number }
 * const keys = optionKeys<Opts>()("label", "workers");
 * assert(keys.length === 2);
 * ```
 */
export function optionKeys<T>(): <K extends (keyof T & string)[]>(
  ...keys: K & ([Exclude<keyof T & string, K[number]>] extends [never] ? unknown : never)
) => K {
  return (...keys) => keys;
}
