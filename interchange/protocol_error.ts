/**
 * The error a peer's bad input raises: a connection that sends it is closed with this reason.
 *
 * @module
 */
import { TsflowError } from "../dfk/errors.ts";

/** What was wrong with the input. */
export type ProtocolFault =
  | "oversize"
  | "garbage"
  | "truncated"
  | "unknown-kind"
  | "bad-message"
  | "auth"
  | "version";

/**
 * Bad input on a tsflow connection (frame or message level). Only the connection that sent it
 * is closed; the process keeps serving others.
 *
 * @example
 * ```ts
 * import { ProtocolError } from "./protocol_error.ts";
 * import assert from "node:assert/strict";
 * const e = new ProtocolError("oversize", "frame of 9 MB exceeds maxFrameBytes");
 * assert(e.fault === "oversize");
 * ```
 */
export class ProtocolError extends TsflowError {
  /** Which kind of fault. */
  fault: ProtocolFault;
  /**
   * Creates the error.
   * @param fault Kind of fault.
   * @param detail What exactly was wrong.
   */
  constructor(fault: ProtocolFault, detail: string) {
    super(`Protocol error (${fault}): ${detail}`);
    this.fault = fault;
  }
}
