/**
 * Checking a task's `resourceSpecification` against what its executor honours, so a request the
 * executor would ignore fails the task instead of passing silently (as Parsl's executors do).
 *
 * @module
 */
import { InvalidResourceSpecification } from "./execution_errors.ts";
import type { ResourceSpecification } from "./task_context.ts";

/**
 * Throws when `spec` holds a key outside `accepted`.
 *
 * @param spec The task's resource specification (missing or empty is always fine).
 * @param accepted Keys the executor honours.
 * @param executor The executor's kind, for the message.
 * @throws InvalidResourceSpecification naming the keys and what is accepted.
 *
 * @example
 * ```ts
 * import { checkResourceSpecification } from "./resource_specification.ts";
 * import assert from "node:assert/strict";
 * checkResourceSpecification({ priority: 1 }, ["priority"], "HighThroughputExecutor");
 * assert.throws(() => checkResourceSpecification({ cores: 2 }, [], "ThreadPoolExecutor"));
 * ```
 */
export function checkResourceSpecification(
  spec: ResourceSpecification | undefined,
  accepted: readonly string[],
  executor: string,
): void {
  const invalid = Object.keys(spec ?? {}).filter((k) => !accepted.includes(k));
  if (invalid.length === 0) return;
  throw new InvalidResourceSpecification(
    invalid,
    accepted.length
      ? `the ${executor} accepts only: ${accepted.join(", ")}`
      : `the ${executor} accepts no resource specification; run the app on a ` +
        "HighThroughputExecutor, or leave resourceSpecification out",
  );
}
