/**
 * Whether the interchange accepts a pool's registration: same protocol version, a correct HMAC
 * answer to this connection's challenge, and a manager id never seen before.
 *
 * @module
 */
import { verifyAnswer } from "./auth.ts";
import { PROTOCOL_VERSION, type RegisterMsg } from "./protocol.ts";
import type { ProtocolFault } from "./protocol_error.ts";

/** Why a registration is refused. */
export interface Refusal {
  /** Kind of fault, for the log. */
  fault: ProtocolFault;
  /** Reason sent to the pool, which prints it before exiting. */
  reason: string;
}

/**
 * Checks a registration.
 *
 * @param secret The run's secret.
 * @param nonce The challenge sent on this connection.
 * @param r The registration.
 * @param seen Whether the manager id is registered or was lost before.
 * @returns A refusal, or undefined when the pool is accepted.
 *
 * @example
 * ```ts
 * import { checkRegistration } from "./registration.ts";
 * import assert from "node:assert/strict";
 * const r = { protocol: 999 } as Parameters<typeof checkRegistration>[2];
 * assert(checkRegistration("s", new Uint8Array(32), r, false)?.fault === "version");
 * ```
 */
export function checkRegistration(
  secret: string,
  nonce: Uint8Array,
  r: RegisterMsg,
  seen: boolean,
): Refusal | undefined {
  if (r.protocol !== PROTOCOL_VERSION) {
    return {
      fault: "version",
      reason:
        `pool speaks protocol ${r.protocol} (tsflow ${r.tsflowVersion}), interchange speaks ` +
        `${PROTOCOL_VERSION}: run the same tsflow version on both sides`,
    };
  }
  if (!(r.hmac instanceof Uint8Array) || !verifyAnswer(secret, nonce, r.hmac)) {
    return { fault: "auth", reason: "wrong HMAC answer: the pool does not have this run's secret" };
  }
  if (seen) {
    return {
      fault: "bad-message",
      reason: `manager id ${r.managerId} is already known or was lost`,
    };
  }
  return undefined;
}
