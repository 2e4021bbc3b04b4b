/**
 * The root of tsflow's errors, {@linkcode TsflowError}, with a `Symbol.for` brand so that
 * `instanceof` works across two copies of tsflow in one process.
 *
 * @module
 */

const ERROR_BRAND = Symbol.for("tsflow.error");

/**
 * Root of every error tsflow raises.
 *
 * @example Catch any tsflow error
 * ```ts
 * import { ConfigError, TsflowError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * try {
 *   throw new ConfigError("Unknown key \"retry\": did you mean \"retries\"?");
 * } catch (e) {
 *   assert(e instanceof TsflowError);
 * }
 * ```
 */
export class TsflowError extends Error {
  /**
   * Creates the error.
   * @param message What went wrong and how to fix it.
   * @param options Standard error options (`cause`).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Brand-aware `instanceof`, so errors from another copy of tsflow match by class name. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== "object" || value === null) return false;
    if (!(value as Record<symbol, unknown>)[ERROR_BRAND]) return false;
    for (let p = Object.getPrototypeOf(value); p; p = Object.getPrototypeOf(p)) {
      if (p.constructor?.name === this.name) return true;
    }
    return false;
  }
}
// On the prototype, so errors rebuilt with Object.create (see serialize/) carry it too.
Object.defineProperty(TsflowError.prototype, ERROR_BRAND, { value: true });
