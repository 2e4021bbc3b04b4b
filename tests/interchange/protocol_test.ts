import { assert, assertEquals } from "../_assert.ts";
import { type Direction, KINDS, PROTOCOL, validateMessage } from "../../interchange/protocol.ts";
import type { Field, Fields } from "../../interchange/wire_schema.ts";
import { encodeFrame, FrameDecoder } from "../../interchange/framing.ts";
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

// ---- Every field the types claim is checked: a table over the whole protocol ----

type Desc = Field;

/** A valid value for a descriptor (what a well-behaved peer sends). */
function sample(d: Desc): unknown {
  switch (d.t) {
    case "number":
      return 7;
    case "string":
      return "s";
    case "bytes":
      return new Uint8Array([1, 2]);
    case "boolean":
      return true;
    case "literal":
      return d.values[d.values.length - 1];
    case "object":
      return sampleOf(d.fields);
    case "array":
      return [sample(d.of)];
  }
}

function sampleOf(fields: Fields): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(fields)) o[name] = sample(d);
  return o;
}

// Written here, not taken from the validator: what each declared type accepts.
const fitsType: Record<Desc["t"], (v: unknown, d: Desc) => boolean> = {
  number: (v) => typeof v === "number" && Number.isFinite(v),
  string: (v) => typeof v === "string",
  bytes: (v) => v instanceof Uint8Array,
  boolean: (v) => typeof v === "boolean",
  literal: (v, d) => (d as { values: readonly string[] }).values.includes(v as string),
  object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  array: (v) => Array.isArray(v),
};
const WRONG: unknown[] = [null, "zz", 1, NaN, Infinity, false, {}, [], new Uint8Array(1)];

/** Every field path of a kind, nested objects and array elements included. */
function paths(fields: Fields, prefix: (string | number)[] = []): [(string | number)[], Desc][] {
  const out: [(string | number)[], Desc][] = [];
  for (const [name, d] of Object.entries(fields)) {
    const p = [...prefix, name];
    out.push([p, d]);
    if (d.t === "object") out.push(...paths(d.fields, p));
    if (d.t === "array" && d.of.t === "object") out.push(...paths(d.of.fields, [...p, 0]));
  }
  return out;
}

function setAt(msg: Record<string, unknown>, path: (string | number)[], v: unknown, drop: boolean) {
  let o = msg as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) o = o[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (drop) delete o[last];
  else o[last] = v;
}

const directions = Object.entries(PROTOCOL) as [Direction, Record<string, Fields>][];

Deno.test("validateMessage accepts a full message of every kind, and it survives a frame", () => {
  for (const [direction, kinds] of directions) {
    for (const [kind, fields] of Object.entries(kinds)) {
      const msg = { k: kind, ...sampleOf(fields) };
      assertEquals(validateMessage(direction, msg), msg, `${direction} ${kind}`);
      const [back] = new FrameDecoder().push(encodeFrame([msg]));
      assertEquals(validateMessage(direction, back), msg, `${direction} ${kind} after a frame`);
    }
  }
});

Deno.test("validateMessage refuses any message missing a required field or mistyping any field", () => {
  let cases = 0;
  for (const [direction, kinds] of directions) {
    for (const [kind, fields] of Object.entries(kinds)) {
      for (const [path, d] of paths(fields)) {
        const where = `${direction} ${kind}.${path.join(".")}`;
        const dropped = { k: kind, ...sampleOf(fields) };
        setAt(dropped, path, undefined, true);
        assertEquals(
          fault(() => validateMessage(direction, dropped)),
          d.optional ? "none" : "bad-message",
          `${where} absent`,
        );
        for (const wrong of WRONG) {
          if (fitsType[d.t](wrong, d)) continue;
          const msg = { k: kind, ...sampleOf(fields) };
          setAt(msg, path, wrong, false);
          let message = "";
          try {
            validateMessage(direction, msg);
          } catch (e) {
            message = (e as Error).message;
          }
          assert(message.includes("bad field"), `${where} = ${String(wrong)} was accepted`);
          assert(message.includes(String(path[0])), `${where}: error does not name the field`);
          cases++;
        }
      }
    }
  }
  assert(cases > 300, `only ${cases} cases: the table lost its fields`);
});

Deno.test("validateMessage checks the fields the old validator let through", () => {
  const b = new Uint8Array();
  const bad = (d: Direction, m: unknown) => fault(() => validateMessage(d, m));
  assertEquals(
    bad("managerToInterchange", { k: "resource", id: 1, time: 1, pid: 2 }),
    "bad-message",
  );
  assertEquals(
    bad("interchangeToExecutor", { k: "node", manager: {}, event: "registered" }),
    "bad-message",
  );
  assertEquals(
    bad("managerToInterchange", { k: "running", id: 1, state: "x", time: 1, workerId: 0 }),
    "bad-message",
  );
  assertEquals(bad("interchangeToExecutor", { k: "managers", managers: [{}] }), "bad-message");
  assertEquals(
    bad("executorToInterchange", { k: "task", id: 1, w: 0, rt: 0, n: "a", kind: "py", b }),
    "bad-message",
  );
});

Deno.test("KINDS lists exactly the kinds PROTOCOL defines for each direction", () => {
  for (const [direction, kinds] of directions) {
    assertEquals([...KINDS[direction]].sort(), Object.keys(kinds).sort());
  }
});
