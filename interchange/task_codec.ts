/**
 * The bodies the wire messages carry as opaque bytes (`b`): the task a worker runs
 * ({@linkcode TaskMessage}, built by {@linkcode encodeTask} in both executors) and the outcome it
 * sends back ({@linkcode TaskOutcome}, read by {@linkcode decodeOutcome}). Every failed outcome
 * made outside a worker (a lost worker or pool, a walltime, a frame too large) comes from
 * {@linkcode failedOutcome}, so all of them decode alike.
 *
 * Bodies use the full codec (`dfk/serialize/codec.ts`): they carry the user's values and errors.
 *
 * @module
 */
import { RemoteError, SerializationError } from "../dfk/errors.ts";
import type { ExecutorTask, FunctionRef, TaskKind } from "../dfk/executor.ts";
import { assertSerializable } from "../dfk/serialize/check.ts";
import { decode, encode, encodeScratch } from "../dfk/serialize/codec.ts";
import type { TaskContextData } from "../dfk/task_context.ts";

/** A task as the worker receives it. */
export interface TaskMessage {
  /** Kernel task id. */
  id: number;
  /** Try number. */
  tryId: number;
  /** Function reference. */
  ref: FunctionRef;
  /** Body kind. */
  kind: TaskKind;
  /**
   * Arguments, or their encoding: encoded separately, they are decoded after the app's module
   * is imported, so types the module registers (registerType) decode.
   */
  args: unknown[] | Uint8Array;
  /** Per-call options. */
  context: TaskContextData;
}

/** What a worker adds to an outcome: its own times and, with monitoring, its samples. */
export interface OutcomeExtras {
  /** When the worker started it (ms epoch, worker's clock, microseconds). */
  started?: number;
  /** When the worker finished it (ms epoch, worker's clock). */
  ended?: number;
  /** The worker's samples of its own process at the task's end (HTEX monitoring), flat. */
  samples?: (number | string)[];
  /** The worker's host name, with `samples`. */
  host?: string;
}

/** The outcome of a task. */
export type TaskOutcome =
  & (
    | { id: number; tryId: number; ok: true; value: unknown }
    | { id: number; tryId: number; ok: false; error: Error }
  )
  & OutcomeExtras;

/**
 * The task body is a MessagePack array, not a map: field names would be most of a small task's
 * bytes, and every queued task is held in the interchange as these bytes (issue 14: a million
 * queued no-ops in bounded memory). Positions:
 * `[id, tryId, module, export, kind, args, [appName, taskId, tryId, inputs, outputs,
 * resourceSpecification, rest?]]`, where `rest` holds the context's other (optional) fields.
 */
const BODY_LENGTH = 7;
const CONTEXT_LENGTH = 7;

/** Why a decoded body is not a task: the name of the first bad field, or undefined. */
function badBodyField(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length !== BODY_LENGTH) return "(the task array)";
  if (typeof v[0] !== "number") return "id";
  if (typeof v[1] !== "number") return "tryId";
  if (typeof v[2] !== "string" || typeof v[3] !== "string") return "ref";
  if (v[4] !== "function" && v[4] !== "bash") return "kind";
  if (!(v[5] instanceof Uint8Array)) return "args";
  const c = v[6];
  if (
    !Array.isArray(c) || c.length < CONTEXT_LENGTH - 1 || c.length > CONTEXT_LENGTH ||
    (c[6] !== undefined && (typeof c[6] !== "object" || c[6] === null))
  ) return "context";
  return undefined;
}

/**
 * Encodes a task for a worker. Its arguments are encoded on their own: the worker decodes them
 * after importing the app's module, so types that module registers (registerType) decode.
 *
 * @param task The task as the kernel hands it to an executor.
 * @param scratch Return a view of the coder's buffer, valid until the next encoding (the driver
 *   copies it at once into a shared chunk: no array allocated per task).
 * @returns The bytes of the task message's body (`b`).
 * @throws SerializationError when an argument cannot be encoded.
 *
 * @example
 * ```ts
 * import { decodeTask, encodeTask } from "./task_codec.ts";
 * import assert from "node:assert/strict";
 * const ref = { module: "file:///flow.ts", export: "add" };
 * const context = {
 *   appName: "add", taskId: 1, tryId: 0, inputs: [], outputs: [], resourceSpecification: {},
 * };
 * const b = encodeTask({ id: 1, tryId: 0, ref, kind: "function", args: [1, 2], context });
 * assert.equal(decodeTask(b).ref.export, "add");
 * ```
 */
export function encodeTask(task: ExecutorTask, scratch = false): Uint8Array {
  const { appName, taskId, tryId, inputs, outputs, resourceSpecification, ...rest } = task.context;
  const context: unknown[] = [appName, taskId, tryId, inputs, outputs, resourceSpecification];
  for (const k in rest) {
    if ((rest as Record<string, unknown>)[k] !== undefined) {
      context.push(rest);
      break;
    }
  }
  const body = [
    task.id,
    task.tryId,
    task.ref.module,
    task.ref.export,
    task.kind,
    encode(task.args),
    context,
  ];
  return scratch ? encodeScratch(body) : encode(body);
}

/**
 * Decodes a task body in a worker, checking the fields it needs.
 *
 * @param bytes The task message's body.
 * @returns The task.
 * @throws SerializationError when the bytes are not a task (or use a type with no rule here).
 *
 * @example
 * ```ts
 * import { decodeTask } from "./task_codec.ts";
 * import { encode } from "../dfk/serialize/codec.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => decodeTask(encode({ id: 1 })), /the worker cannot decode it/);
 * ```
 */
export function decodeTask(bytes: Uint8Array): TaskMessage {
  let value: unknown;
  try {
    value = decode(bytes);
  } catch (e) {
    throw new SerializationError(
      "the task",
      `the worker cannot decode it: ${(e as Error).message}`,
    );
  }
  const bad = badBodyField(value);
  if (bad !== undefined) {
    throw new SerializationError(
      "the task",
      `the worker cannot decode it: field "${bad}" is missing or of the wrong ` +
        `type (driver and workers must run the same tsflow version)`,
    );
  }
  const [id, tryId, module, exportName, kind, args, c] = value as [
    number,
    number,
    string,
    string,
    TaskKind,
    Uint8Array,
    unknown[],
  ];
  const context = {
    ...(c[6] as object | undefined),
    appName: c[0],
    taskId: c[1],
    tryId: c[2],
    inputs: c[3],
    outputs: c[4],
    resourceSpecification: c[5],
  } as TaskContextData;
  return { id, tryId, ref: { module, export: exportName }, kind, args, context };
}

/**
 * Encodes an outcome; a result that cannot be encoded becomes a `SerializationError` outcome.
 *
 * @param out The outcome.
 * @returns MessagePack bytes.
 *
 * @example
 * ```ts
 * import { decodeOutcome, encodeOutcome } from "./task_codec.ts";
 * import assert from "node:assert/strict";
 * const out = decodeOutcome(encodeOutcome({ id: 1, tryId: 0, ok: true, value: 3 }));
 * assert(out.ok && out.value === 3);
 * ```
 */
export function encodeOutcome(out: TaskOutcome): Uint8Array {
  try {
    // msgpack would turn a class instance into a plain object without a word: check first.
    if (out.ok) assertSerializable(out.value, "the task's return value");
    return encode(outcomeArray(out, out.ok ? out.value : out.error));
  } catch (e) {
    if (!out.ok) return encodeBareError(out, e);
    const error = e instanceof SerializationError ? e : new SerializationError(
      "the task's return value",
      `${(e as Error).message}; return plain data (or register the type with registerType)`,
    );
    return failedOutcome(error, out);
  }
}

/**
 * An error whose data the codec refused (a field of a registered type whose rule throws, say)
 * still reaches the caller: its class name, message and stack, and why the rest stayed behind.
 */
function encodeBareError(out: TaskOutcome & { ok: false }, why: unknown): Uint8Array {
  const { name, message, stack } = out.error;
  const error = new RemoteError(
    name,
    `${message} (its other data could not be sent: ${(why as Error)?.message ?? why})`,
  );
  if (stack !== undefined) error.stack = stack;
  return failedOutcome(error, out);
}

/**
 * The encoded outcome of a task that failed with `error` outside the app: its worker or pool was
 * lost, its walltime passed, its message did not fit a frame. The one place such outcomes are
 * made.
 *
 * @param error Why it failed.
 * @param task The task's kernel id and try, when known (the wire's sequence number keys it).
 * @returns Outcome bytes for a result message's `b` field.
 *
 * @example
 * ```ts
 * import { decodeOutcome, failedOutcome } from "./task_codec.ts";
 * import assert from "node:assert/strict";
 * const out = decodeOutcome(failedOutcome(new Error("worker lost")));
 * assert(!out.ok && out.error.message === "worker lost");
 * ```
 */
export function failedOutcome(
  error: Error,
  task: { id: number; tryId: number } & OutcomeExtras = { id: -1, tryId: -1 },
): Uint8Array {
  return encode(outcomeArray({ ...task, ok: false }, error));
}

/**
 * The outcome body is a MessagePack array, as the task body is: field names were most of a
 * no-op's result bytes, written by the worker and read by the driver on every task. Positions:
 * `[id, tryId, ok, value or error, started, ended]`, then `[samples, host]` when monitoring
 * sampled.
 */
const OUTCOME_LENGTH = 6;
const SAMPLED_OUTCOME_LENGTH = 8;

function outcomeArray(
  out: { id: number; tryId: number; ok: boolean } & OutcomeExtras,
  valueOrError: unknown,
): unknown[] {
  const a = [out.id, out.tryId, out.ok, valueOrError, out.started, out.ended];
  if (out.samples !== undefined || out.host !== undefined) a.push(out.samples, out.host);
  return a;
}

/**
 * Decodes an outcome; bytes that do not decode to one become a failed outcome carrying why, so
 * the caller always has a settled task.
 *
 * @param bytes A result message's body.
 * @returns The outcome.
 *
 * @example
 * ```ts
 * import { decodeOutcome } from "./task_codec.ts";
 * import assert from "node:assert/strict";
 * assert.equal(decodeOutcome(new Uint8Array([0xc1])).ok, false);
 * ```
 */
export function decodeOutcome(bytes: Uint8Array): TaskOutcome {
  let a: unknown;
  try {
    a = decode(bytes);
  } catch (e) {
    return { id: -1, tryId: -1, ok: false, error: e as Error };
  }
  // A value may be absent (an app that returns nothing); an error is passed on as it came.
  if (
    Array.isArray(a) && (a.length === OUTCOME_LENGTH || a.length === SAMPLED_OUTCOME_LENGTH) &&
    typeof a[0] === "number" && typeof a[1] === "number" && typeof a[2] === "boolean"
  ) {
    const out = (a[2]
      ? { id: a[0], tryId: a[1], ok: true, value: a[3], started: a[4], ended: a[5] }
      : { id: a[0], tryId: a[1], ok: false, error: a[3], started: a[4], ended: a[5] }) as
        & TaskOutcome
        & OutcomeExtras;
    if (a.length === SAMPLED_OUTCOME_LENGTH) {
      out.samples = a[6];
      out.host = a[7];
    }
    return out;
  }
  return {
    id: -1,
    tryId: -1,
    ok: false,
    error: new SerializationError(
      "the task's outcome",
      "the bytes decode to no outcome (driver and workers must run the same tsflow version)",
    ),
  };
}
