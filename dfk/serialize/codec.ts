/**
 * The one MessagePack codec every tsflow process uses (driver, interchange, manager, worker).
 * Built on msgpackr's plain-JavaScript entry, with extensions for `Error` (see
 * `error_codec.ts`) and user types registered with {@linkcode registerType}. `Map`, `Date`,
 * `Set`, `BigInt` and typed arrays are msgpackr built-ins.
 *
 * @module
 */
// A full specifier, not a deno.json mapping: workflows that import tsflow by URL have no map.
// deno-lint-ignore no-import-prefix
import { addExtension, Packr } from "npm:msgpackr@1.11.8/pack";
import { SerializationError } from "../errors.ts";
import { errorFromData, errorToData } from "./error_codec.ts";
import type { Class } from "../class_type.ts";

// Records (msgpackr's default) keep plain objects and Maps apart and are faster for repeated
// shapes; each message carries its own record definitions, so any process can decode it.
// copyBuffers: decoded binary fields are copies, never views into the input, so callers may
// decode straight from a reused read buffer.
const packr = new Packr(
  { moreTypes: true, int64AsType: "bigint", copyBuffers: true } as ConstructorParameters<
    typeof Packr
  >[0],
);

/** Extension type codes used by tsflow. */
const EXT_ERROR = 81;
const EXT_USER = 82;

/** How a user type is turned into serializable data and back (Python's `__reduce__`). */
export interface TypeRule<T> {
  /** Turns an instance into data msgpack can carry (plain values, arrays, objects). */
  toData(value: T): unknown;
  /** Rebuilds an instance from that data. */
  fromData(data: unknown): T;
}

const userRules = new Map<string, { cls: Class; rule: TypeRule<unknown> }>();
const userNames = new Map<Class, string>();

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
  // All user types share one extension code; the name inside says which rule rebuilds it.
  addExtension({
    Class: cls as unknown as new () => T,
    type: EXT_USER,
    write: (v: T) => [name, rule.toData(v)],
    read: readUserType,
  });
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

addExtension({
  Class: Error,
  type: EXT_ERROR,
  write: (e: Error) => errorToData(e),
  read: (data: unknown) => errorFromData(data),
});
/**
 * Encodes a value as MessagePack.
 *
 * @param value Any value the codec supports.
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
export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
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
  return packr.unpack(bytes);
}
