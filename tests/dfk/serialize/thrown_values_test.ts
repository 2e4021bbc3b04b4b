// Thrown values and cyclic errors through the codec and the worker's outcome encoder.
import { assert, assertEquals } from "../../_assert.ts";
import { RemoteError, SerializationError } from "../../../dfk/errors.ts";
import { decode, encode, registerType } from "../../../dfk/serialize/codec.ts";
import { thrownError } from "../../../dfk/serialize/thrown_error.ts";
import { travelCopy } from "../../../dfk/serialize/travel_copy.ts";
import { decodeOutcome, encodeOutcome } from "../../../interchange/task_codec.ts";

Deno.test("travelCopy cuts cycles in arrays, maps and errors, keeps shared non-cyclic values", () => {
  const shared = { s: 1 };
  const arr: unknown[] = [shared, shared];
  arr.push(arr);
  assertEquals(travelCopy(arr), [{ s: 1 }, { s: 1 }, "[Circular]"]);
  const m = new Map<string, unknown>();
  m.set("me", m);
  assertEquals(travelCopy(m), new Map([["me", "[Circular]"]]));
  let deep: Record<string, unknown> = {};
  const top = deep;
  for (let i = 0; i < 200; i++) deep = (deep.next = {}) as Record<string, unknown>;
  assert(JSON.stringify(travelCopy(top)).includes("[Too deep]"));
});

Deno.test("an error with a cyclic field encodes with its message and class", () => {
  const e = new TypeError("loops") as TypeError & { self?: unknown };
  e.self = e;
  const back = decode(encode(e)) as TypeError & { self?: unknown };
  assert(back instanceof TypeError);
  assertEquals(back.message, "loops");
  assertEquals(back.self, "[Circular]");
});

Deno.test("a thrown number, null and undefined become RemoteErrors naming the value", () => {
  assertEquals(thrownError(3).message, "number thrown: 3");
  assertEquals(thrownError(null).message, "null thrown: null");
  assertEquals(thrownError(undefined).message, "undefined thrown: undefined");
  const withMessage = thrownError({ message: "custom", code: 1 });
  assert(withMessage.message.includes("custom") && withMessage.message.includes('"code":1'));
});

Deno.test("an error whose data the codec refuses still reaches the caller with its message", () => {
  class Bad {}
  registerType(Bad, "tests.thrown.Bad", {
    toData: () => {
      throw new Error("no data for Bad");
    },
    fromData: () => new Bad(),
  });
  const e = new Error("outer message") as Error & { bad?: Bad };
  e.bad = new Bad();
  const out = decodeOutcome(encodeOutcome({ id: 1, tryId: 0, ok: false, error: e }));
  assert(!out.ok && out.error instanceof RemoteError, String(out.ok || out.error));
  assert(!(out.error instanceof SerializationError));
  assert(out.error.message.startsWith("outer message"), out.error.message);
  assert(out.error.message.includes("no data for Bad"), out.error.message);
});
