import { assert, assertEquals } from "../_assert.ts";
import { KINDS, validateMessage } from "../../interchange/protocol.ts";
import { ProtocolError } from "../../interchange/protocol_error.ts";

function fault(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert(e instanceof ProtocolError);
    return e.fault;
  }
  return "none";
}

Deno.test("validateMessage accepts each direction's own kinds", () => {
  assertEquals(validateMessage("managerToInterchange", { k: "hb" }).k, "hb");
  assertEquals(
    validateMessage("managerToWorker", { k: "run", id: 1, b: new Uint8Array() }).k,
    "run",
  );
  assertEquals(KINDS.executorToInterchange.has("task"), true);
});

Deno.test("validateMessage refuses unknown kinds, kinds of another direction, and bad fields", () => {
  assertEquals(fault(() => validateMessage("managerToInterchange", { k: "nope" })), "unknown-kind");
  assertEquals(
    fault(() => validateMessage("managerToInterchange", { k: "shutdown" })),
    "unknown-kind",
  );
  assertEquals(
    fault(() =>
      validateMessage("managerToInterchange", { k: "result", id: "1", b: new Uint8Array() })
    ),
    "bad-message",
  );
  assertEquals(
    fault(() =>
      validateMessage("managerToInterchange", { k: "result", id: NaN, b: new Uint8Array() })
    ),
    "bad-message",
  );
  assertEquals(fault(() => validateMessage("managerToInterchange", [1, 2])), "bad-message");
  assertEquals(fault(() => validateMessage("managerToInterchange", null)), "bad-message");
});
