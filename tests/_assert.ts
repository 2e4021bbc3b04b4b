// Assertions for tests, on node:assert/strict (JSR's @std/assert is out of reach here).
import nodeAssert from "node:assert/strict";

/** Fails unless `cond` is truthy. */
export function assert(cond: unknown, msg?: string): asserts cond {
  nodeAssert.ok(cond, msg);
}

/** Deep, strict equality. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, msg);
}

// deno-lint-ignore no-explicit-any
type ErrorClass<E> = abstract new (...args: any[]) => E;

/** Awaits `fn` and returns the error it rejects with, checking its class and message part. */
export async function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  cls?: ErrorClass<E>,
  includes?: string,
): Promise<E> {
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  if (err === undefined) throw new nodeAssert.AssertionError({ message: "Expected a rejection" });
  if (cls && !(err instanceof cls)) {
    throw new nodeAssert.AssertionError({
      message: `Expected ${cls.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`,
    });
  }
  if (includes && !String((err as Error).message).includes(includes)) {
    throw new nodeAssert.AssertionError({
      message: `Expected message to include "${includes}": ${(err as Error).message}`,
    });
  }
  return err as E;
}
