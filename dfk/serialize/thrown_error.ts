/**
 * What a task threw, as an `Error` that can travel. JavaScript lets code throw anything; an
 * `Error` stays as it is, and any other value becomes a {@linkcode RemoteError} whose message
 * describes the value and whose `value` field carries a copy of it (cycles cut, see
 * `travel_copy.ts`), so the caller sees the data, never `"[object Object]"`. Parsl does the
 * same job with `RemoteExceptionWrapper`; in Python every raised value is already an exception.
 *
 * @module
 */
import { RemoteError } from "../errors.ts";
import { travelCopy } from "./travel_copy.ts";

/** Longest description of a thrown value kept in the message. */
const MAX_DESCRIPTION = 1000;

/**
 * Turns a thrown value into an error.
 *
 * @param thrown Whatever was thrown.
 * @returns The error itself, or a `RemoteError` describing and carrying the value.
 *
 * @example
 * ```ts
 * import { thrownError } from "./thrown_error.ts";
 * import assert from "node:assert/strict";
 * const e = thrownError({ code: 42 }) as Error & { value: unknown };
 * assert(e.message.includes('"code":42'));
 * assert.deepEqual(e.value, { code: 42 });
 * ```
 */
export function thrownError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  const value = travelCopy(thrown);
  const kind = thrown === null
    ? "null"
    : typeof thrown === "object"
    ? (thrown.constructor?.name || "Object")
    : typeof thrown;
  const e = new RemoteError(kind, `${kind} thrown: ${describe(thrown, value)}`);
  (e as RemoteError & { value: unknown }).value = value;
  return e;
}

function describe(thrown: unknown, copy: unknown): string {
  if (typeof thrown === "string") return thrown;
  if (typeof thrown !== "object" || thrown === null) return String(thrown);
  const message = (thrown as { message?: unknown }).message;
  let text: string;
  try {
    text = JSON.stringify(copy, (_k, v) => typeof v === "bigint" ? `${v}n` : v) ?? String(copy);
  } catch {
    text = Object.prototype.toString.call(thrown);
  }
  if (typeof message === "string" && message !== "") text = `${message} ${text}`;
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}…` : text;
}
