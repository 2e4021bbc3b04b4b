/**
 * What a value too large for one frame becomes: a {@linkcode SerializationError} naming the
 * size, the limit, and the setting that raises it. Every link that drops an oversized message
 * (worker → manager, manager → interchange, interchange → executor, executor → interchange)
 * turns it into this error for its task, so the task fails at once instead of waiting forever.
 *
 * @module
 */
import { SerializationError } from "../dfk/errors.ts";
import { failedOutcome } from "./task_codec.ts";

/**
 * The error of a task whose message did not fit a frame.
 *
 * @param what What was too large, e.g. `"the task's return value"`.
 * @param bytes Size of the encoded message.
 * @param maxFrameBytes The link's limit.
 * @returns The error.
 *
 * @example
 * ```ts
 * import { oversizeError } from "./oversize.ts";
 * import assert from "node:assert/strict";
 * const e = oversizeError("the task's return value", 2048, 1024);
 * assert(e.message.includes("maxFrameBytes (1024 bytes)"));
 * ```
 */
export function oversizeError(
  what: string,
  bytes: number,
  maxFrameBytes: number,
): SerializationError {
  return new SerializationError(
    what,
    `its message is ${bytes} bytes, over the frame limit maxFrameBytes (${maxFrameBytes} ` +
      `bytes). Raise the HighThroughputExecutor's maxFrameBytes setting, or move less data ` +
      `through the task (write it to a file and pass a File instead)`,
  );
}

/**
 * An encoded failed outcome for a result message that did not fit.
 *
 * @param bytes Size of the encoded result message.
 * @param maxFrameBytes The link's limit.
 * @returns Outcome bytes for the result's `b` field.
 *
 * @example
 * ```ts
 * import { oversizeOutcome } from "./oversize.ts";
 * import { decodeOutcome } from "./task_codec.ts";
 * import assert from "node:assert/strict";
 * const out = decodeOutcome(oversizeOutcome(2048, 1024));
 * assert(!out.ok && out.error.name === "SerializationError");
 * ```
 */
export function oversizeOutcome(bytes: number, maxFrameBytes: number): Uint8Array {
  return failedOutcome(oversizeError("the task's return value", bytes, maxFrameBytes));
}
