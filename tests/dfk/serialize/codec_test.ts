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

Deno.test("the codec round-trips edge values: int64 bounds, huge negative BigInt, typed arrays, ArrayBuffer, -0", () => {
  const value = [
    2n ** 63n - 1n,
    -(2n ** 63n),
    2n ** 64n - 1n,
    -(2n ** 80n),
    new Int16Array([-1, 2]),
    new BigInt64Array([-5n]),
    new Uint8Array(new ArrayBuffer(8), 2, 3),
    new Float32Array([0.5]),
    -0,
    2 ** 53,
    [undefined, null],
    new Date(NaN),
    "é".repeat(40),
  ];
  const back = decode(encode(value)) as unknown[];
  assertEquals(back, value);
  assert(Object.is(back[8], -0));
  const ab = decode(encode(new Uint8Array([1, 2]).buffer)) as ArrayBuffer;
  assert(ab instanceof ArrayBuffer && new Uint8Array(ab)[1] === 2);
});

Deno.test("a registered Error subclass uses its rule; a rule may encode nested values", () => {
  class Tagged extends Error {
    constructor(public tag: string) {
      super(tag);
    }
  }
  registerType(Tagged, "tests.Tagged", {
    toData: (e) => ({ tag: e.tag, inner: encode(new Map([[1, e.tag]])) }),
    fromData: (d) => {
      const { tag, inner } = d as { tag: string; inner: Uint8Array };
      const e = new Tagged(tag);
      assertEquals(decode(inner), new Map([[1, tag]]));
      return e;
    },
  });
  const back = decode(encode([new Tagged("t"), "after"])) as [Tagged, string];
  assert(back[0] instanceof Tagged && back[0].tag === "t");
  assertEquals(back[1], "after");
});

Deno.test("truncated or trailing bytes are errors, not partial values", () => {
  const bytes = encode({ a: [1, new Set([2])], b: new Date(3) });
  for (let cut = 0; cut < bytes.length; cut++) {
    let threw = false;
    try {
      decode(bytes.subarray(0, cut));
    } catch {
      threw = true;
    }
    assert(threw, `cut at ${cut} decoded`);
  }
  let threw = false;
  try {
    decode(Uint8Array.of(...bytes, 0));
  } catch {
    threw = true;
  }
  assert(threw, "trailing byte accepted");
});

Deno.test("map keys come back exactly, however often they repeat and however their bytes collide", () => {
  // Keys of one length sharing first, middle and last bytes land in the same slot of the
  // decoder's key cache: each must still come back as itself, and so must non-ASCII keys.
  const keys = [
    "a",
    "b",
    "ab",
    "axb",
    "ayb",
    "azb",
    "task",
    "tack",
    "__proto__",
    "é",
    "日本",
    "k".repeat(16),
    "k".repeat(17),
  ];
  for (let i = 0; i < 200; i++) keys.push(`k${i.toString(36)}x`);
  for (let round = 0; round < 3; round++) {
    for (const k of keys) {
      const back = decode(encode({ [k]: k.length, id: round })) as Record<string, unknown>;
      assertEquals(Object.keys(back), [k, "id"]);
      assertEquals(back[k], k.length);
    }
  }
  // "__proto__" from the wire stays a plain field.
  const p = decode(encode(JSON.parse('{"__proto__": 1}'))) as Record<string, unknown>;
  assertEquals(Object.getPrototypeOf(p), Object.prototype);
  assertEquals(Object.keys(p), ["__proto__"]);
});

Deno.test("strings that repeat decode to their own text, whatever else shares their length", () => {
  // The reader keeps recent strings of 4..256 bytes to give the same string again: it must never
  // give one for another (same length, same ends, same hash slot), nor one of changed bytes.
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const strings: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const n = [4, 5, 31, 32, 33, 64, 200, 256, 257][rand(9)];
    const chars = Array.from({ length: n }, () => "abxyé/._"[rand(8)]);
    strings.push(chars.join(""));
    // Same length and ends, one middle byte apart.
    chars[n >> 2] = chars[n >> 2] === "a" ? "b" : "a";
    strings.push(chars.join(""));
  }
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < strings.length; i += 1 + rand(3)) {
      assertEquals(decode(encode(strings[i])), strings[i]);
      assertEquals(decode(encode({ module: strings[i], n: i })), { module: strings[i], n: i });
    }
  }
  // The bytes it was read from change afterwards: the string does not.
  const bytes = encode("file:///a/workflow/module.ts");
  const s = decode(bytes);
  bytes[bytes.length - 1] = "x".charCodeAt(0);
  assertEquals(s, "file:///a/workflow/module.ts");
  assertEquals(decode(bytes), "file:///a/workflow/module.tx");
});
