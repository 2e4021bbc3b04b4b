import { assert, assertEquals } from "../../_assert.ts";
import { File, registerType, RemoteError } from "../../../mod.ts";
import { decode, encode } from "../../../dfk/serialize/mod.ts";

Deno.test("the codec round-trips Map, Set, Date, BigInt, typed arrays, undefined and nested objects", () => {
  const value = {
    m: new Map<unknown, unknown>([["a", 1], [2, [3]]]),
    s: new Set(["x", 4]),
    d: new Date(1_700_000_000_000),
    big: 2n ** 70n,
    small: 5n,
    f64: new Float64Array([1.5, -2]),
    u8: new Uint8Array([1, 2, 3]),
    u: undefined,
    n: null,
    nested: [{ a: 1, b: [{ c: "d" }] }, { a: 2, b: [] }],
  };
  assertEquals(decode(encode(value)), value);
});

Deno.test("decoded binary fields do not share memory with the input buffer", () => {
  const buf = encode({ b: new Uint8Array([7, 8, 9]) }).slice();
  const v = decode(buf) as { b: Uint8Array };
  buf.fill(0);
  assertEquals([...v.b], [7, 8, 9]);
});

Deno.test("errors keep class, message, fields and cause; unknown classes become RemoteError", () => {
  const e = new RangeError("outer", { cause: new TypeError("inner") });
  const back = decode(encode(e)) as RangeError;
  assert(back instanceof RangeError && back.message === "outer");
  assert(back.cause instanceof TypeError && (back.cause as Error).message === "inner");
  class Custom extends Error {
    override name = "Custom";
    code = 42;
  }
  const r = decode(encode(new Custom("c"))) as RemoteError & { code: number };
  assert(r instanceof RemoteError);
  assertEquals([r.remoteName, r.code, r.message], ["Custom", 42, "c"]);
});

Deno.test("registered types and Files come back as their classes", () => {
  class Vec {
    constructor(public x: number, public y: number) {}
  }
  registerType(Vec, "tests.Vec", {
    toData: (v) => [v.x, v.y],
    fromData: (d) => new Vec(...(d as [number, number])),
  });
  const back = decode(encode({ v: new Vec(1, 2), f: new File("/tmp/a.txt") })) as {
    v: Vec;
    f: File;
  };
  assert(back.v instanceof Vec && back.v.y === 2);
  assert(back.f instanceof File && back.f.filepath === "/tmp/a.txt");
});
