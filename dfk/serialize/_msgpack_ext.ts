/**
 * The extension codes and typed-array table the MessagePack writer and reader share.
 *
 * @module
 */

/** Extension codes (application range, 0–127). */
export const EXT = {
  undefined: 0,
  error: 81,
  user: 82,
  date: 84,
  map: 85,
  set: 86,
  bigint: 87,
  typed: 88,
  arrayBuffer: 89,
} as const;

/** Turns an object the writer has no rule for into `[extension code, payload value]`, or not. */
export type ExtWriter = (value: object) => [number, unknown] | undefined;
/** Rebuilds a value from an extension's code and decoded payload value. */
export type ExtReader = (code: number, payload: unknown) => unknown;

/** A typed-array class. */
export type TypedArrayClass = {
  new (buffer: ArrayBuffer): ArrayBufferView;
  BYTES_PER_ELEMENT: number;
};
export const TYPED: TypedArrayClass[] = [
  Uint8Array,
  Int8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];
export const TYPED_CODE = new Map<unknown, number>(TYPED.map((c, i) => [c, i]));
