/**
 * Errors as data: what crosses the wire when an app throws, and how it becomes a class again.
 * A tsflow error is rebuilt as its tsflow class; a user error whose class a registered module
 * exports is rebuilt as that class (so `instanceof` works); any other becomes
 * {@linkcode RemoteError} carrying the original name. Name, message, the worker's stack, `cause`
 * and own fields are kept; cycles among them are cut (`"[Circular]"`), so an error with a
 * cyclic field still travels with its message.
 *
 * @module
 */
import * as errors from "../errors.ts";
import { findExport, getModule } from "./module_registry.ts";
import { travelCopy } from "./travel_copy.ts";

/** The wire form of an error. */
export interface ErrorData {
  /** Class name. */
  name: string;
  /** Message. */
  message: string;
  /** Stack as printed where it was thrown. */
  stack?: string;
  /** `cause`, encoded recursively by the codec. */
  cause?: unknown;
  /** Own enumerable fields (exit codes, task ids...). */
  fields: Record<string, unknown>;
  /** Where the class is exported from, when a registered module exports it. */
  classRef?: { module: string; export: string };
  /** True for tsflow's own classes. */
  tsflow?: boolean;
}

const TSFLOW_CLASSES = new Map<string, new (...args: never[]) => Error>();
for (const value of Object.values(errors)) {
  if (typeof value === "function" && value.prototype instanceof Error) {
    TSFLOW_CLASSES.set(value.name, value as new (...args: never[]) => Error);
  }
}
TSFLOW_CLASSES.set("TsflowError", errors.TsflowError);

const BUILTIN = new Map<string, ErrorConstructor>([
  ["Error", Error],
  ["TypeError", TypeError],
  ["RangeError", RangeError],
  ["SyntaxError", SyntaxError],
  ["ReferenceError", ReferenceError],
  ["EvalError", EvalError],
  ["URIError", URIError],
]);

/**
 * Turns an error into plain data.
 *
 * @param e The error.
 * @returns Its wire form.
 *
 * @example
 * ```ts
 * import { errorToData } from "./error_codec.ts";
 * import assert from "node:assert/strict";
 * assert(errorToData(new TypeError("x")).name === "TypeError");
 * ```
 */
export function errorToData(error: Error): ErrorData {
  // The encoder recurses into fields and causes: a cycle among them would overflow the stack.
  const e = travelCopy(error) as Error;
  const fields: Record<string, unknown> = {};
  for (const k of Object.keys(e)) {
    if (k === "name" || k === "message" || k === "stack" || k === "cause") continue;
    const v = (e as unknown as Record<string, unknown>)[k];
    if (typeof v !== "function" && typeof v !== "symbol") fields[k] = v;
  }
  const data: ErrorData = { name: e.name, message: e.message, stack: e.stack, fields };
  if (e.cause !== undefined) data.cause = e.cause;
  const isTsflow = e instanceof errors.TsflowError;
  if (isTsflow) data.tsflow = true;
  else if (!BUILTIN.has(e.constructor.name)) {
    const ref = findExport(e.constructor);
    if (ref) data.classRef = ref;
  }
  return data;
}

/**
 * Rebuilds an error from its wire form (see module docs for which class it gets).
 *
 * @param raw Data made by {@linkcode errorToData}.
 * @returns An Error instance.
 *
 * @example
 * ```ts
 * import { errorFromData, errorToData } from "./error_codec.ts";
 * import { RemoteError } from "../errors.ts";
 * import assert from "node:assert/strict";
 * class Mine extends Error { override name = "Mine"; }
 * const back = errorFromData(errorToData(new Mine("boom")));
 * assert(back instanceof RemoteError && back.message === "boom");
 * ```
 */
export function errorFromData(raw: unknown): Error {
  const data = raw as ErrorData;
  let proto: object | undefined;
  if (data.tsflow) proto = TSFLOW_CLASSES.get(data.name)?.prototype;
  else if (BUILTIN.has(data.name) && !data.classRef) proto = BUILTIN.get(data.name)!.prototype;
  else if (data.classRef) {
    const cls = getModule(data.classRef.module)?.[data.classRef.export];
    if (typeof cls === "function") proto = cls.prototype;
  }
  let e: Error;
  if (proto) {
    e = Object.create(proto);
    Object.defineProperty(e, "message", {
      value: data.message,
      writable: true,
      configurable: true,
    });
  } else {
    e = new errors.RemoteError(data.name, data.message);
  }
  Object.assign(e, data.fields);
  if (proto) {
    Object.defineProperty(e, "name", { value: data.name, writable: true, configurable: true });
  }
  if (data.stack !== undefined) {
    Object.defineProperty(e, "stack", { value: data.stack, writable: true, configurable: true });
  }
  if (data.cause !== undefined) {
    Object.defineProperty(e, "cause", { value: data.cause, writable: true, configurable: true });
  }
  return e;
}
