/**
 * A copy of a value that the codec can always encode: cycles become the string `"[Circular]"`,
 * functions and symbols are left out (as the codec would), nesting past a depth becomes
 * `"[Too deep]"`, and objects of unregistered classes become plain objects (as the codec
 * would). Errors stay errors (same prototype, so their class survives), with their fields and
 * `cause` copied the same way. Used for what a task throws: its data should reach the caller,
 * not break the encoder.
 *
 * @module
 */
import { hasTypeRule } from "./codec.ts";

/** Deepest nesting copied. */
const MAX_DEPTH = 64;

/**
 * Copies a value so that it can travel (see module docs).
 *
 * @param value Any value.
 * @returns The copy (the value itself when nothing needs changing inside it).
 *
 * @example A cycle is cut
 * ```ts
 * import { travelCopy } from "./travel_copy.ts";
 * import assert from "node:assert/strict";
 * const a: Record<string, unknown> = { n: 1 };
 * a.self = a;
 * assert.deepEqual(travelCopy(a), { n: 1, self: "[Circular]" });
 * ```
 */
export function travelCopy(value: unknown): unknown {
  return copy(value, new Set(), 0);
}

function copy(v: unknown, path: Set<object>, depth: number): unknown {
  if (typeof v === "function" || typeof v === "symbol") return undefined;
  if (typeof v !== "object" || v === null) return v;
  if (path.has(v)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Too deep]";
  if (
    v instanceof Date || ArrayBuffer.isView(v) || v instanceof ArrayBuffer || hasTypeRule(v)
  ) return v;
  path.add(v);
  try {
    const inner = (x: unknown) => copy(x, path, depth + 1);
    if (Array.isArray(v)) return v.map(inner);
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [inner(k), inner(x)]));
    if (v instanceof Set) return new Set([...v].map(inner));
    if (v instanceof Error) return copyError(v, inner);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = inner((v as Record<string, unknown>)[k]);
      if (x !== undefined) out[k] = x;
    }
    return out;
  } finally {
    path.delete(v);
  }
}

function copyError(e: Error, inner: (x: unknown) => unknown): Error {
  const out = Object.create(Object.getPrototypeOf(e)) as Error;
  for (const k of ["name", "message", "stack"] as const) {
    if (Object.hasOwn(e, k)) {
      Object.defineProperty(out, k, { value: e[k], writable: true, configurable: true });
    }
  }
  for (const k of Object.keys(e)) {
    if (k === "name" || k === "message" || k === "stack" || k === "cause") continue;
    const x = inner((e as unknown as Record<string, unknown>)[k]);
    if (x !== undefined) (out as unknown as Record<string, unknown>)[k] = x;
  }
  if (e.cause !== undefined) {
    Object.defineProperty(out, "cause", {
      value: inner(e.cause),
      writable: true,
      configurable: true,
    });
  }
  return out;
}
