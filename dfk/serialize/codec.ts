/**
 * The one MessagePack codec every tsflow process uses (driver, interchange, manager, worker).
 * Built on tsflow's own MessagePack coder (`_msgpack.ts`: no dependency, no native add-on), with
 * extensions for `Error` (see `error_codec.ts`) and user types registered with
 * {@linkcode registerType}. `Map`, `Set`, `Date`, `BigInt`, typed arrays and `undefined` are the
 * coder's own.
 *
 * @module
 */
import { SerializationError } from "../errors.ts";
import { errorFromData, errorToData } from "./error_codec.ts";
import {
  EXT,
  type ExtReader,
  type ExtWriter,
  pack,
  type PackOptions,
  packScratch,
  unpack,
} from "./_msgpack.ts";
import type { Class } from "../class_type.ts";

/** How a user type is turned into serializable data and back (Python's `__reduce__`). */
export interface TypeRule<T> {
  /** Turns an instance into data msgpack can carry (plain values, arrays, objects). */
  toData(value: T): unknown;
  /** Rebuilds an instance from that data. */
  fromData(data: unknown): T;
}

// On globalThis, shared by every copy of tsflow in the process (a workflow may import another
// copy by URL): a File or AppRef of one copy is encoded by the other's codec.
const REGISTRY_KEY = Symbol.for("tsflow.typeRules.v1");
const registry = ((globalThis as unknown as Record<symbol, unknown>)[REGISTRY_KEY] ??= {
  rules: new Map(),
  names: new Map(),
}) as {
  rules: Map<string, { cls: Class; rule: TypeRule<unknown> }>;
  names: Map<Class, string>;
};
const userRules = registry.rules;
const userNames = registry.names;

/**
 * Registers a class so instances can be sent to and from workers. Register the same name and
 * rule in a module every worker imports (the workflow module itself is the usual place).
 *
 * @param cls The class.
 * @param name A stable name for the type, the same on every process.
 * @param rule How to convert instances to data and back.
 *
 * @example Send a class instance to a worker
 * ```ts
 * import { registerType, encode, decode } from "./codec.ts";
 * import assert from "node:assert/strict";
 * class Point { constructor(public x: number, public y: number) {} }
 * registerType(Point, "example.Point", {
 *   toData: (p) => [p.x, p.y],
 *   fromData: (d) => new Point(...(d as [number, number])),
 * });
 * const back = decode(encode(new Point(1, 2))) as Point;
 * assert(back instanceof Point && back.y === 2);
 * ```
 */
export function registerType<T>(cls: Class<T>, name: string, rule: TypeRule<T>): void {
  userRules.set(name, { cls, rule: rule as TypeRule<unknown> });
  userNames.set(cls, name);
}

function readUserType([name, data]: [string, unknown]): unknown {
  const entry = userRules.get(name);
  if (!entry) {
    throw new SerializationError(
      `a value of type "${name}"`,
      `no rule registered on this process; call registerType(..., "${name}", ...) in a module the worker imports`,
    );
  }
  return entry.rule.fromData(data);
}

/**
 * Whether a registered rule covers this value's class.
 *
 * @param value Any object.
 * @returns True when {@linkcode registerType} registered its class.
 *
 * @example
 * ```ts
 * import { hasTypeRule } from "./codec.ts";
 * import assert from "node:assert/strict";
 * assert(!hasTypeRule(new (class Foo {})()));
 * ```
 */
export function hasTypeRule(value: object): boolean {
  return userNames.has(value.constructor as Class);
}

// A registered class first (by exact class, so a registered Error subclass uses its rule), then
// any Error.
const writeExt: ExtWriter = (v) => {
  const name = userNames.get(v.constructor as Class);
  if (name !== undefined) return [EXT.user, [name, userRules.get(name)!.rule.toData(v)]];
  if (v instanceof Error) return [EXT.error, errorToData(v)];
  return undefined;
};

const readExt: ExtReader = (code, payload) => {
  if (code === EXT.user) return readUserType(payload as [string, unknown]);
  if (code === EXT.error) return errorFromData(payload);
  throw new SerializationError("a value", `unknown MessagePack extension ${code}`);
};

/**
 * Encodes a value as MessagePack.
 *
 * @param value Any value the codec supports.
 * @param opts Room left before the value, and whether undefined fields are left out
 * (`PackOptions`).
 * @returns The bytes.
 *
 * @example
 * ```ts
 * import { encode, decode } from "./codec.ts";
 * import assert from "node:assert/strict";
 * const m = decode(encode(new Map([["a", 1]]))) as Map<string, number>;
 * assert(m.get("a") === 1);
 * ```
 */
export function encode(value: unknown, opts?: PackOptions): Uint8Array {
  return pack(value, writeExt, opts);
}

/**
 * Encodes a value as {@linkcode encode} does, into the coder's own buffer: the view returned is
 * valid only until the next encoding (for a caller that copies the bytes at once, and saves an
 * allocation per value).
 *
 * @param value Any value the codec supports.
 * @param opts Packing options, as for {@linkcode encode}.
 * @returns A view of the coder's buffer.
 *
 * @example
 * ```ts
 * import { decode, encodeScratch } from "./codec.ts";
 * import assert from "node:assert/strict";
 * const copy = encodeScratch({ a: 1 }).slice();
 * assert.deepEqual(decode(copy), { a: 1 });
 * ```
 */
export function encodeScratch(value: unknown, opts?: PackOptions): Uint8Array {
  return packScratch(value, writeExt, opts);
}

/**
 * Decodes MessagePack bytes made by {@linkcode encode}.
 *
 * @param bytes The bytes.
 * @returns The value.
 *
 * @example
 * ```ts
 * import { encode, decode } from "./codec.ts";
 * import assert from "node:assert/strict";
 * assert(String(decode(encode([1, "a"]))) === "1,a");
 * ```
 */
export function decode(bytes: Uint8Array): unknown {
  return unpack(bytes, readExt);
}
