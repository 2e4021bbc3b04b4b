/**
 * Python's `str()` of a value, for monitoring's `task_inputs` / `task_outputs` columns: Parsl
 * stores `str(kwargs.get("inputs"))` there, so `None` without inputs and `[2, 'x']` with them.
 * A settled future shows its value (Parsl records its inputs once dependencies are resolved).
 *
 * @module
 */

const FILE_URL = (v: object): string | undefined => {
  const url = (v as { url?: unknown }).url;
  return v.constructor?.name === "File" && typeof url === "string" ? url : undefined;
};

function str(s: string): string {
  // Python quotes with ' unless the text holds ' and no ".
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

/**
 * The Python-style representation of a value.
 *
 * @param v A value (arrays, plain objects, files and futures are shown element by element).
 * @param depth Nesting so far (deep values are elided).
 * @returns Text as Python's `repr()` would print the equivalent value.
 *
 * @example
 * ```ts
 * import { pyRepr } from "./_py_repr.ts";
 * import assert from "node:assert/strict";
 * assert(pyRepr(undefined) === "None");
 * assert(pyRepr([2, "x", true]) === "[2, 'x', True]");
 * ```
 */
export function pyRepr(v: unknown, depth = 0): string {
  if (v === undefined || v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") {
    return Number.isNaN(v) ? "nan" : !Number.isFinite(v) ? (v > 0 ? "inf" : "-inf") : String(v);
  }
  if (typeof v === "bigint") return String(v);
  if (typeof v === "string") return str(v);
  if (typeof v !== "object") return `<${typeof v}>`;
  if (depth > 4) return "...";
  if (Array.isArray(v)) return `[${v.map((x) => pyRepr(x, depth + 1)).join(", ")}]`;
  const url = FILE_URL(v);
  if (url !== undefined) return `<File url=${url}>`;
  if ("outcome" in v && typeof (v as { then?: unknown }).then === "function") {
    const o = (v as { outcome?: { ok: boolean; value?: unknown } }).outcome;
    if (o?.ok) return pyRepr(o.value, depth);
    // A future's `constructor` reads as Promise (see future.ts): its kind by what it carries.
    const kind = "file" in v ? "DataFuture" : "outputs" in v ? "AppFuture" : "Future";
    return `<${kind} state=${o ? "failed" : "pending"}>`;
  }
  if (v instanceof Uint8Array) return `<bytes of length ${v.length}>`;
  const items = Object.entries(v).map(([k, x]) => `${str(k)}: ${pyRepr(x, depth + 1)}`);
  return `{${items.join(", ")}}`;
}
