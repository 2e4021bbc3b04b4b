/**
 * The little schema language of the wire protocol: a message kind is an object of fields, each
 * field a descriptor (`num`, `str`, `bytes`, `bool`, `oneOf(...)`, `obj({...})`, `arr(...)`,
 * `opt(...)`). From one set of descriptors come the TypeScript type ({@linkcode Infer}) and the
 * validator ({@linkcode fieldsValidator}), which checks every field the type claims, nested ones
 * too. Encoding needs nothing more: every descriptor is inside the MessagePack subset of
 * `wire_codec.ts`, so a message that validates also encodes on the fast path.
 *
 * @module
 */

/** What one field holds. */
export type FieldType =
  | { readonly t: "number" }
  | { readonly t: "string" }
  | { readonly t: "bytes" }
  | { readonly t: "boolean" }
  | { readonly t: "literal"; readonly values: readonly string[] }
  | { readonly t: "object"; readonly fields: Fields }
  | { readonly t: "array"; readonly of: Field };

/** A field descriptor: its type and whether it may be absent. */
export type Field = FieldType & { readonly optional?: true };

/** The fields of a message kind (or of a nested object). */
export type Fields = { readonly [name: string]: Field };

/** A finite number (NaN and infinities are refused: no field means them). */
export const num = { t: "number" } as const;
/** A string. */
export const str = { t: "string" } as const;
/** A byte string (`Uint8Array`). */
export const bytes = { t: "bytes" } as const;
/** A boolean. */
export const bool = { t: "boolean" } as const;

/**
 * One of a few strings.
 *
 * @param values The strings allowed.
 * @returns The descriptor.
 *
 * @example
 * ```ts
 * import { oneOf } from "./wire_schema.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(oneOf("a", "b").values, ["a", "b"]);
 * ```
 */
export function oneOf<const V extends readonly string[]>(
  ...values: V
): { readonly t: "literal"; readonly values: V } {
  return { t: "literal", values };
}

/**
 * A nested object with its own fields.
 *
 * @param fields Its fields.
 * @returns The descriptor.
 *
 * @example
 * ```ts
 * import { num, obj } from "./wire_schema.ts";
 * import assert from "node:assert/strict";
 * assert.equal(obj({ n: num }).t, "object");
 * ```
 */
export function obj<const S extends Fields>(
  fields: S,
): { readonly t: "object"; readonly fields: S } {
  return { t: "object", fields };
}

/**
 * An array of one element type.
 *
 * @param of Its elements.
 * @returns The descriptor.
 *
 * @example
 * ```ts
 * import { arr, str } from "./wire_schema.ts";
 * import assert from "node:assert/strict";
 * assert.equal(arr(str).of.t, "string");
 * ```
 */
export function arr<const F extends Field>(of: F): { readonly t: "array"; readonly of: F } {
  return { t: "array", of };
}

/**
 * The same field, allowed to be absent (or `undefined`).
 *
 * @param field The field.
 * @returns The descriptor.
 *
 * @example
 * ```ts
 * import { num, opt } from "./wire_schema.ts";
 * import assert from "node:assert/strict";
 * assert.equal(opt(num).optional, true);
 * ```
 */
export function opt<const F extends FieldType>(field: F): F & { readonly optional: true } {
  return { ...field, optional: true };
}

/** The TypeScript value a descriptor describes. */
export type Value<F> = F extends { t: "number" } ? number
  : F extends { t: "string" } ? string
  : F extends { t: "bytes" } ? Uint8Array
  : F extends { t: "boolean" } ? boolean
  : F extends { t: "literal"; values: readonly (infer V)[] } ? V
  : F extends { t: "object"; fields: infer S extends Fields } ? Infer<S>
  : F extends { t: "array"; of: infer E } ? Value<E>[]
  : never;

/** An intersection flattened into one object type (for readable hovers and errors). */
export type Flat<T> = { [K in keyof T]: T[K] } & unknown;

/** The object type a set of fields describes (optional fields become optional properties). */
export type Infer<S extends Fields> = Flat<
  & { -readonly [K in keyof S as S[K] extends { optional: true } ? never : K]: Value<S[K]> }
  & { -readonly [K in keyof S as S[K] extends { optional: true } ? K : never]?: Value<S[K]> }
>;

/** The union of a direction's messages, each its fields plus its kind tag `k`. */
export type MessageUnion<D extends { readonly [kind: string]: Fields }> = {
  [K in keyof D & string]: Flat<{ k: K } & Infer<D[K]>>;
}[keyof D & string];

/** Checks one value; returns the dotted path of the first bad field, or `undefined`. */
export type Check = (v: unknown) => string | undefined;

function fieldCheck(f: Field): (v: unknown) => boolean | string | undefined {
  const present = fieldPresentCheck(f);
  if (!f.optional) return present;
  return (v) => v === undefined || present(v);
}

/** `true`: fits; `false`: does not; a string: the path of the nested field that does not. */
function fieldPresentCheck(f: Field): (v: unknown) => boolean | string | undefined {
  switch (f.t) {
    case "number":
      return (v) => typeof v === "number" && Number.isFinite(v);
    case "string":
      return (v) => typeof v === "string";
    case "bytes":
      return (v) => v instanceof Uint8Array;
    case "boolean":
      return (v) => typeof v === "boolean";
    case "literal": {
      const allowed = new Set<unknown>(f.values);
      return (v) => allowed.has(v);
    }
    case "object": {
      const check = fieldsValidator(f.fields);
      return (v) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
        const bad = check(v);
        return bad === undefined ? true : bad;
      };
    }
    case "array": {
      const item = fieldPresentCheck(f.of);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) {
          const r = item(v[i]);
          if (r !== true) return typeof r === "string" ? `${i}.${r}` : String(i);
        }
        return true;
      };
    }
  }
}

/**
 * A validator for an object of the given fields: it checks every field, nested ones too, and
 * ignores fields it does not know (a newer peer may add optional ones).
 *
 * @param fields The fields.
 * @returns A function giving the dotted path of the first bad field, or `undefined` when all fit.
 *
 * @example
 * ```ts
 * import { fieldsValidator, num, obj, str } from "./wire_schema.ts";
 * import assert from "node:assert/strict";
 * const check = fieldsValidator({ id: num, who: obj({ name: str }) });
 * assert.equal(check({ id: 1, who: { name: "a" } }), undefined);
 * assert.equal(check({ id: 1, who: { name: 2 } }), "who.name");
 * ```
 */
export function fieldsValidator(fields: Fields): Check {
  // Flat arrays, not an object walk: this runs for every message on the task path.
  const names = Object.keys(fields);
  const checks = names.map((n) => fieldCheck(fields[n]));
  const n = names.length;
  return (v) => {
    const o = v as Record<string, unknown>;
    for (let i = 0; i < n; i++) {
      const r = checks[i](o[names[i]]);
      if (r !== true) return typeof r === "string" ? `${names[i]}.${r}` : names[i];
    }
    return undefined;
  };
}
