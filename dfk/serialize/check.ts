/**
 * A walk over task arguments that fails early, naming the argument, when a value cannot travel to
 * a worker. msgpack alone would silently turn a class instance into a plain object or drop a
 * function; this catches both before the task is sent.
 *
 * @module
 */
import { SerializationError } from "../errors.ts";
import { APP_BRAND, FILE_BRAND, isThenable } from "../brands.ts";
import { hasTypeRule } from "./codec.ts";

const PLAIN_CLASSES = new Set<unknown>([Object.prototype, Array.prototype, null]);

/**
 * Throws {@linkcode SerializationError} naming the first value under `value` that cannot be sent.
 *
 * @param value The value to check.
 * @param path Its name in messages, e.g. `args[0]`.
 * @param allowThenable Thenables that will be replaced by their values before sending.
 * @returns Whether the value holds an app (to be sent as a reference, see `app_ref.ts`).
 *
 * @example
 * ```ts
 * import { assertSerializable } from "./check.ts";
 * import assert from "node:assert/strict";
 * assertSerializable([1, "a", new Map(), new Date()], "args");
 * try {
 *   assertSerializable([() => 1], "args");
 * } catch (e) {
 *   assert((e as Error).message.includes("args[0]"));
 * }
 * ```
 */
export function assertSerializable(
  value: unknown,
  path: string,
  allowThenable: (v: unknown) => boolean = () => false,
): boolean {
  // Plain values only (the usual arguments): nothing to walk.
  if (Array.isArray(value) && value.every(isPrimitive)) return false;
  const found = { app: false };
  walk(value, path, allowThenable, new Set(), found);
  return found.app;
}

function walk(
  v: unknown,
  path: string,
  allow: (v: unknown) => boolean,
  seen: Set<object>,
  found: { app: boolean },
): void {
  switch (typeof v) {
    case "string":
    case "number":
    case "boolean":
    case "bigint":
    case "undefined":
      return;
    case "symbol":
      throw new SerializationError(path, "a symbol cannot be sent to a worker");
    case "function":
      if (APP_BRAND in v) {
        found.app = true;
        return;
      }
      throw new SerializationError(
        path,
        `function "${
          v.name || "anonymous"
        }" is not an app; export it as an app, or pass data instead`,
      );
  }
  const obj = v as object | null;
  if (obj === null) return;
  if (isThenable(obj)) {
    if (allow(obj)) return;
    throw new SerializationError(
      path,
      "a future or promise the dependency resolver does not look into; pass it as a direct " +
        "argument, or set dependencyResolver: DEEP_DEPENDENCY_RESOLVER in the config",
    );
  }
  if (seen.has(obj)) throw new SerializationError(path, "a circular reference");
  if (FILE_BRAND in obj || obj instanceof Date || ArrayBuffer.isView(obj)) return;
  if (obj instanceof ArrayBuffer || hasTypeRule(obj)) return;
  seen.add(obj);
  try {
    if (obj instanceof Error) {
      if (obj.cause !== undefined) walk(obj.cause, `${path}.cause`, allow, seen, found);
      return;
    }
    if (obj instanceof Map) {
      let i = 0;
      for (const [k, val] of obj) {
        walk(k, `${path}.<key ${i}>`, allow, seen, found);
        walk(
          val,
          `${path}.get(${typeof k === "string" ? JSON.stringify(k) : i})`,
          allow,
          seen,
          found,
        );
        i++;
      }
      return;
    }
    if (obj instanceof Set) {
      let i = 0;
      for (const item of obj) walk(item, `${path}.<item ${i++}>`, allow, seen, found);
      return;
    }
    const proto = Object.getPrototypeOf(obj);
    if (!PLAIN_CLASSES.has(proto)) {
      const name = proto?.constructor?.name ?? "unknown";
      throw new SerializationError(
        path,
        `an instance of class ${name}, which has no serialization rule; register one with ` +
          `registerType(${name}, "${name}", { toData, fromData }) or pass plain data`,
      );
    }
    if (Array.isArray(obj)) {
      for (let i = 0; i < obj.length; i++) walk(obj[i], `${path}[${i}]`, allow, seen, found);
      return;
    }
    for (const k of Object.keys(obj)) {
      walk((obj as Record<string, unknown>)[k], `${path}.${k}`, allow, seen, found);
    }
  } finally {
    seen.delete(obj);
  }
}

function isPrimitive(v: unknown): boolean {
  const t = typeof v;
  return t === "string" || t === "number" || t === "boolean" || t === "undefined" ||
    t === "bigint" || v === null;
}
