import { assert, assertEquals } from "../_assert.ts";
// An independent MessagePack reader (a test-only package, in dev.lock): the wire must be
// standard MessagePack.
// deno-lint-ignore no-import-prefix
import { decode as independentDecode } from "npm:@msgpack/msgpack@3.1.3";
import { decode, encode } from "../../dfk/serialize/codec.ts";
import { decodeWire, encodeWire } from "../../interchange/wire_codec.ts";
import { MSGPACK_NUMBERS as NUMBERS } from "./_msgpack_numbers.ts";

/** A seeded generator (mulberry32), so a failure names a case that can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHARS = ["a", "b", "€", "😀", "\u0000", "z"];

/**
 * Every size boundary of the format once (str8/16/32, bin8/16/32, array16/32, map16), in ASCII
 * and multi-byte text, instead of drawing megabyte values again and again in the random cases.
 */
function sizeEdges(): unknown[] {
  const text = (n: number) => Array.from({ length: n }, (_, i) => CHARS[i % CHARS.length]).join("");
  const bytes = (n: number) => new Uint8Array(n).map((_, i) => (i * 31) & 255);
  const map = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
  return [
    ...[31, 32, 255, 256, 65535, 65536, 70000].flatMap((n) => ["x".repeat(n), text(n)]),
    ...[0, 1, 255, 256, 65535, 65536, 70000].map(bytes),
    ...[15, 16, 65535, 65536].map((n) => Array.from({ length: n }, (_, i) => i % 3 ? i : null)),
    ...[15, 16].map(map),
  ];
}

function value(r: () => number, depth: number): unknown {
  const pick = Math.floor(r() * (depth > 3 ? 5 : 8));
  switch (pick) {
    case 0:
      return NUMBERS[Math.floor(r() * NUMBERS.length)];
    case 1: {
      // Lengths around the fixstr/str8 boundaries; the str16/str32 sizes are in SIZE_EDGES.
      const n = [0, 5, 31, 32, 255, 256][Math.floor(r() * 6)];
      return Array.from({ length: n }, () => CHARS[Math.floor(r() * CHARS.length)]).join("");
    }
    case 2:
      return [true, false, null][Math.floor(r() * 3)];
    case 3:
      // Around the bin8/bin16 boundary; bin32 sizes are in SIZE_EDGES.
      return new Uint8Array([0, 1, 255, 256][Math.floor(r() * 4)]).map(() => r() * 256);
    case 4:
      return Math.floor(r() * 2 ** 31) * (r() < 0.5 ? -1 : 1);
    case 5:
      return Array.from({ length: Math.floor(r() * 20) }, () => value(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      const n = Math.floor(r() * 20);
      for (let i = 0; i < n; i++) o[`key${i}${"é".repeat(i % 3)}`] = value(r, depth + 1);
      return o;
    }
  }
}

Deno.test("wire codec: every size boundary round trips exactly, alone and nested", () => {
  for (const [i, edge] of sizeEdges().entries()) {
    const v = [edge, { k: "result", b: edge }, [edge]];
    assertEquals(decodeWire(encodeWire(v)), v, `edge ${i}`);
    assertEquals(independentDecode(encodeWire(v)), v, `edge ${i} (independent reader)`);
  }
});

Deno.test("wire codec: 120 random protocol-shaped values round trip exactly", () => {
  const r = rng(20261128);
  for (let i = 0; i < 120; i++) {
    const v = [value(r, 0), value(r, 0)];
    assertEquals(decodeWire(encodeWire(v)), v, `case ${i}`);
  }
});

Deno.test("wire codec: its bytes are standard MessagePack another reader decodes", () => {
  const r = rng(7);
  for (let i = 0; i < 60; i++) {
    const v = [value(r, 0)];
    assertEquals(independentDecode(encodeWire(v)), v, `case ${i}`);
  }
  // A task message's exact bytes: fixarray(1), fixmap(2), "k" → "result", "id" → 7.
  assertEquals(
    [...encodeWire([{ k: "result", id: 7 }])],
    [0x91, 0x82, 0xa1, 0x6b, 0xa6, ...new TextEncoder().encode("result"), 0xa2, 0x69, 0x64, 7],
  );
});

Deno.test("wire codec: values outside the subset go through the full codec", () => {
  const cases: unknown[] = [
    [{ when: new Date(5) }],
    [{ n: 5n }],
    [new Set([1])],
    [1, undefined, 2],
    [new Float64Array([1.5])],
  ];
  for (const v of cases) assertEquals(decodeWire(encodeWire(v)), v);
  const e = (decodeWire(encodeWire([new RangeError("too far")])) as Error[])[0];
  assert(e instanceof RangeError && e.message === "too far");
});

Deno.test("wire codec: a map is an object, whichever coder wrote the body", () => {
  assertEquals(decodeWire(encodeWire([{ a: 1 }, new Date(0)])), [{ a: 1 }, new Date(0)]);
  // A Map (no protocol message has one) keeps its class through the full codec.
  assertEquals(decodeWire(encodeWire([new Map([["a", 1]])])), [new Map([["a", 1]])]);
});

Deno.test("wire codec: undefined fields are left out, as every protocol reader treats them", () => {
  assertEquals(decodeWire(encodeWire([{ k: "drain", managerId: undefined, blockId: "3" }])), [
    { k: "drain", blockId: "3" },
  ]);
});

Deno.test("wire codec: reads the full codec's frames", () => {
  const v = [{ k: "task", id: 3, b: new Uint8Array([9]) }, { k: "hb" }];
  assertEquals(decodeWire(encode(v)), v);
  assertEquals(decode(encode(v)), v);
});

Deno.test("wire codec: decoded bytes never alias the (reused) input buffer", () => {
  const body = encodeWire([{ b: new Uint8Array([1, 2, 3]) }]);
  const out = decodeWire(body) as { b: Uint8Array }[];
  body.fill(0);
  assertEquals([...out[0].b], [1, 2, 3]);
});

Deno.test("wire codec: a __proto__ key from the network cannot change a prototype", () => {
  // fixmap(1) { "__proto__": fixmap(1) { "polluted": true } }
  const key = new TextEncoder().encode("__proto__");
  const inner = new TextEncoder().encode("polluted");
  const bytes = Uint8Array.of(
    0x81,
    0xa0 | key.length,
    ...key,
    0x81,
    0xa0 | inner.length,
    ...inner,
    0xc3,
  );
  let value: unknown;
  try {
    value = decodeWire(bytes);
  } catch {
    value = undefined;
  }
  assertEquals(({} as Record<string, unknown>).polluted, undefined);
  if (value !== undefined) assertEquals(Object.getPrototypeOf(value), Object.getPrototypeOf({}));
});

Deno.test("wire codec: truncated and trailing bytes are errors, not partial values", () => {
  const full = encodeWire([{ k: "result", id: 1, b: new Uint8Array(10) }]);
  for (let cut = 1; cut < full.length; cut++) {
    let ok = true;
    try {
      const v = decodeWire(full.subarray(0, cut));
      ok = JSON.stringify(v) !== JSON.stringify(decodeWire(full));
    } catch {
      ok = true;
    }
    assert(ok, `cut at ${cut} decoded as the whole message`);
  }
});
