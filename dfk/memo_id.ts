/**
 * `idForMemo`: turns an argument into a stable string for the memo key, by type, extensible per
 * class (Parsl's `id_for_memo` single-dispatch). A value of a class with no rule is an error, not
 * a silent wrong key.
 *
 * @module
 */
import { sha256Hash } from "./_sha256.ts";
import { FILE_BRAND, FUTURE_BRAND } from "./brands.ts";
import { MemoKeyError } from "./errors.ts";
import type { Class } from "./class_type.ts";

/** Turns a value into a stable identity string; `recurse` handles nested values. */
export type MemoRule<T> = (value: T, recurse: (v: unknown, path: string) => string) => string;

const rules = new Map<unknown, { name: string; rule: MemoRule<unknown> }>();

function id(v: unknown, path: string): string {
  switch (typeof v) {
    case "string":
      return "s" + JSON.stringify(v);
    case "number":
      return "n" + (Object.is(v, -0) ? "-0" : String(v));
    case "boolean":
      return v ? "T" : "F";
    case "bigint":
      return "b" + v.toString();
    case "undefined":
      return "u";
    case "function": {
      const def = (v as unknown as Record<symbol, { ref?: { module: string; export: string } }>)[
        Symbol.for("tsflow.app.v1")
      ];
      if (def?.ref) return `A${def.ref.module}#${def.ref.export}`;
      throw new MemoKeyError(path, "function");
    }
    case "symbol":
      throw new MemoKeyError(path, "symbol");
  }
  if (v === null) return "N";
  const obj = v as object;
  const proto = Object.getPrototypeOf(obj);
  const rule = rules.get(proto);
  // Quoted, so a rule's output can never run into the next argument's identity.
  if (rule) return `C${JSON.stringify(rule.name)}:${JSON.stringify(rule.rule(obj, id))}`;
  if (Array.isArray(obj)) return "[" + obj.map((x, i) => id(x, `${path}[${i}]`)).join(",") + "]";
  if (proto === Object.prototype || proto === null) {
    return "{" +
      Object.keys(obj).sort().map((k) =>
        JSON.stringify(k) + ":" + id((obj as Record<string, unknown>)[k], `${path}.${k}`)
      ).join(",") + "}";
  }
  if (FILE_BRAND in obj) return "F" + String((obj as unknown as { url: string }).url);
  if (FUTURE_BRAND in obj) throw new MemoKeyError(path, "future (not yet resolved)");
  if (obj instanceof Date) return "D" + obj.getTime();
  if (obj instanceof Map) {
    const entries = [...obj].map((
      [k, x],
      i,
    ) => [id(k, `${path}.<key ${i}>`), id(x, `${path}.<value ${i}>`)]);
    entries.sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    return "M{" + entries.map(([k, x]) => k + ":" + x).join(",") + "}";
  }
  if (obj instanceof Set) {
    return "S{" + [...obj].map((x, i) => id(x, `${path}.<item ${i}>`)).sort().join(",") + "}";
  }
  if (ArrayBuffer.isView(obj)) {
    const bytes = new Uint8Array(obj.buffer, obj.byteOffset, obj.byteLength);
    return `V${obj.constructor.name}(${sha256Hash().update(bytes).digest("hex")})`;
  }
  if (obj instanceof ArrayBuffer) {
    return `B(${sha256Hash().update(new Uint8Array(obj)).digest("hex")})`;
  }
  throw new MemoKeyError(path, proto?.constructor?.name ?? "unknown");
}

/** The memo identity registry's interface. */
export interface IdForMemo {
  /** Registers how instances of a class contribute to memo keys. */
  register<T>(cls: Class<T>, rule: MemoRule<T>, name?: string): void;
  /** The identity string of a value. */
  of(value: unknown, path?: string): string;
}

/**
 * The memo identity registry.
 *
 * @example Give a class a memo identity
 * ```ts
 * import { idForMemo } from "./memo_id.ts";
 * import assert from "node:assert/strict";
 * class Sample { constructor(public name: string) {} }
 * idForMemo.register(Sample, (s) => s.name);
 * assert(idForMemo.of(new Sample("a")) === idForMemo.of(new Sample("a")));
 * ```
 */
export const idForMemo: IdForMemo = {
  /**
   * Registers how instances of a class contribute to memo keys.
   * @param cls The class.
   * @param rule Returns a stable string for an instance.
   * @param name A stable name for the type in keys; give one when two registered classes
   *   share a class name. @default the class name
   */
  register<T>(cls: Class<T>, rule: MemoRule<T>, name: string = cls.name): void {
    rules.set(cls.prototype, { name, rule: rule as MemoRule<unknown> });
  },
  /**
   * The identity string of a value.
   * @param value Any value.
   * @param path Its name for error messages.
   * @returns A stable string.
   */
  of(value: unknown, path = "value"): string {
    return id(value, path);
  },
};
