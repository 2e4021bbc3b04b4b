// The interchange reads a task's fields from its bytes without decoding it (`_message_scan.ts`):
// whatever it takes that way must be exactly what decoding and validating would have given.
import nodeAssert from "node:assert/strict";
import { MSGPACK_NUMBERS } from "./_msgpack_numbers.ts";
import { assert, assertEquals } from "../_assert.ts";
import { scanResult, scanTask } from "../../interchange/_message_scan.ts";
import { TaskStore } from "../../interchange/task_store.ts";
import { type TaskEnvelope, validateMessage } from "../../interchange/protocol.ts";
import { ProtocolError } from "../../interchange/protocol_error.ts";
import { encode } from "../../dfk/serialize/codec.ts";
import { decodeWire, encodeWire } from "../../interchange/wire_codec.ts";
import { encodeFrame, FrameDecoder } from "../../interchange/framing.ts";
import {
  connect,
  makeInterchange,
  registeredPool,
  registerMsg,
  settle,
  taskMsg,
} from "./_memory_link.ts";

const base: TaskEnvelope = {
  k: "task",
  id: 7,
  w: 0,
  rt: 0,
  n: "noop",
  kind: "function",
  b: Uint8Array.of(1, 2, 3),
};

/** The task a valid message decodes to, or undefined when validation refuses it. */
function validated(bytes: Uint8Array): TaskEnvelope | undefined {
  try {
    const m = validateMessage("executorToInterchange", decodeWire(bytes));
    return m.k === "task" ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Checks that a scan either declines, or agrees with decoding and validating. */
function agrees(bytes: Uint8Array): boolean {
  const s = scanTask(bytes);
  if (s === undefined) return false;
  const m = validated(bytes);
  assert(m !== undefined, `scanned a message validation refuses: ${[...bytes]}`);
  const name = decodeWire(bytes.subarray(s.nameStart, s.nameEnd));
  assertEquals(
    [s.id, s.hasP ? s.p : undefined, s.w, s.rt, name, s.bash ? "bash" : "function"],
    [m.id, m.p, m.w, m.rt, m.n, m.kind],
  );
  assertEquals(bytes.subarray(s.bodyStart, s.bodyEnd), m.b);
  return true;
}

Deno.test("scanTask reads every number, string and byte size the codec writes", () => {
  for (const x of MSGPACK_NUMBERS) {
    for (const field of ["id", "p", "w", "rt"]) {
      const bytes = encodeWire({ ...base, [field]: x });
      // The protocol takes finite numbers only: the rest is left to validation, which refuses it.
      if (Number.isFinite(x)) assert(agrees(bytes), `${field}=${x}`);
      else assert(scanTask(bytes) === undefined && validated(bytes) === undefined, `${field}=${x}`);
    }
  }
  for (
    const n of ["", "a", "x".repeat(31), "y".repeat(32), "z".repeat(300), "é✓", "q".repeat(70_000)]
  ) {
    assert(agrees(encodeWire({ ...base, n })), `name of ${n.length}`);
  }
  for (const size of [0, 255, 256, 65535, 65536]) {
    assert(
      agrees(encodeWire({ ...base, kind: "bash", b: new Uint8Array(size).fill(3) })),
      `${size}`,
    );
  }
  // Other writers' forms: float32, int8/16/32, a map16 header, fields in another order.
  const raw = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
  const kv = (k: string, v: string) =>
    [...encodeWire(k)].map((b) => b.toString(16).padStart(2, "0")).join("") + v;
  const body = kv("k", "a47461736b") + kv("n", "a0") + kv("kind", "a462617368") + kv("b", "c40101");
  for (const [id, w, rt] of [["ca3fc00000", "d0ff", "d1fffe"], ["d2fffffffe", "cc05", "cd0102"]]) {
    const fields = body + kv("rt", rt) + kv("w", w) + kv("id", id);
    assert(agrees(raw("87" + fields)));
    assert(agrees(raw("de0007" + fields)));
  }
});

Deno.test("scanTask declines what is not the plain form, and what validation refuses", () => {
  const cases: [string, unknown][] = [
    ["extra field", { ...base, x: 1 }],
    ["missing body", { ...base, b: undefined }],
    ["missing id", { ...base, id: undefined }],
    ["other kind", { ...base, kind: "python" }],
    ["other message", { ...base, k: "hb" }],
    ["NaN", { ...base, w: NaN }],
    ["Infinity", { ...base, p: Infinity }],
    ["null priority", { ...base, p: null }],
    ["string id", { ...base, id: "7" }],
    ["bigint id", { ...base, id: 2n ** 70n }],
    ["name as bytes", { ...base, n: Uint8Array.of(1) }],
    ["body as string", { ...base, b: "abc" }],
    ["an array", [base]],
  ];
  for (const [what, m] of cases) {
    assertEquals(scanTask(encode(m, { omitUndefinedFields: true })), undefined, what);
  }
  const good = encodeWire(base);
  assertEquals(scanTask(Uint8Array.of(...good, 0xc0)), undefined, "trailing bytes");
  for (let cut = 0; cut < good.length; cut++) {
    assertEquals(scanTask(good.subarray(0, cut)), undefined, `cut at ${cut}`);
  }
  // The same key twice: decoding keeps the last, so the scan leaves it to decoding.
  const twice = Uint8Array.of(0x88, ...good.subarray(1), 0xa2, 0x69, 0x64, 0x09);
  assertEquals(scanTask(twice), undefined);
  assertEquals(validated(twice)?.id, 9);
});

Deno.test("scanTask agrees with decoding on every byte changed in a task message", () => {
  let seed = 11;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const messages = [
    encodeWire(base),
    encodeWire({ ...base, p: -3, w: 1.5, rt: 300, n: "an app", kind: "bash", id: 2 ** 33 }),
  ];
  let taken = 0;
  for (const m of messages) {
    for (let i = 0; i < m.length; i++) {
      for (let v = 0; v < 256; v += 1 + rand(7)) {
        const bytes = m.slice();
        bytes[i] = v;
        if (agrees(bytes)) taken++;
      }
    }
  }
  assert(taken > 100, `${taken}`);
});

Deno.test("TaskStore.pushEncoded queues the task decoding would have queued", () => {
  const a = new TaskStore(), b = new TaskStore();
  const tasks: TaskEnvelope[] = [
    base,
    {
      ...base,
      id: 8,
      p: 2,
      w: 60,
      rt: 5.5,
      n: "other",
      kind: "bash",
      b: new Uint8Array(300).fill(8),
    },
    { ...base, id: 9, p: -1 },
    { ...base, id: 10, n: "noop" },
  ];
  for (const t of tasks) {
    assert(a.pushEncoded(encodeWire(t)));
    b.push(t);
  }
  assert(!a.pushEncoded(encodeWire({ k: "hb" })));
  const [ta, tb] = [a.take(10), b.take(10)];
  assertEquals(
    ta.map((t) => [t.id, t.priority, t.runningTime]),
    tb.map((t) => [t.id, t.priority, t.runningTime]),
  );
  assertEquals(ta.map((t) => a.message(t).bytes), tb.map((t) => b.message(t).bytes));
  assertEquals(
    ta.map((t) => decodeWire(a.message(t).bytes)),
    [2, 1, 0, 3].map((i) => decodeWire(encodeWire(tasks[i]))),
  );
});

Deno.test("the interchange takes the executor's messages as bytes: tasks, other messages, shutdown, garbage", async () => {
  const { ic } = makeInterchange();
  const pool = registeredPool(ic, { workerCount: 4 });
  const d = new FrameDecoder();
  const odd = { ...taskMsg(3), extra: "decoded, then validated" };
  const msgs = d.pushEncoded(encodeFrame([taskMsg(1), { k: "hb" }, taskMsg(2, -1), odd]));
  assertEquals(ic.fromExecutorEncoded(msgs), false);
  await settle();
  assertEquals(pool.of("task").map((t) => t.id), [2, 1, 3]);
  assertEquals(pool.of("task")[0], taskMsg(2, -1));
  assertEquals(
    ic.fromExecutorEncoded([
      encodeWire({ k: "hold", managerId: "nobody" }),
      encodeWire({ k: "shutdown" }),
    ]),
    true,
  );
  nodeAssert.throws(() => ic.fromExecutorEncoded([Uint8Array.of(0xc1)]), ProtocolError);
  nodeAssert.throws(
    () => ic.fromExecutorEncoded([encodeWire({ ...taskMsg(4), id: "4" })]),
    ProtocolError,
  );
  ic.stopAll();
});

/** The result a valid message decodes to, or undefined when validation refuses it. */
function validResult(bytes: Uint8Array): { id: number; started?: number } | undefined {
  try {
    const m = validateMessage("managerToInterchange", decodeWire(bytes));
    return m.k === "result" ? m : undefined;
  } catch {
    return undefined;
  }
}

Deno.test("scanResult takes a worker's plain result, and agrees with decoding on every byte changed", () => {
  const plain = { k: "result", id: 70_000, b: new Uint8Array(300).fill(1) };
  assertEquals(scanResult(encodeWire(plain)), 70_000);
  assertEquals(scanResult(encodeWire({ ...plain, workerId: 3 })), 70_000);
  for (
    const m of [
      { ...plain, started: 5 }, // the interchange adds the pool's place to it
      { ...plain, hostname: "h" },
      { ...plain, k: "running" },
      { ...plain, id: "1" },
      { ...plain, b: undefined },
      { k: "hb" },
    ]
  ) {
    assertEquals(
      scanResult(encode(m, { omitUndefinedFields: true })),
      undefined,
      JSON.stringify(m),
    );
  }
  let seed = 5;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  let taken = 0;
  for (
    const m of [
      encodeWire({ ...plain, b: Uint8Array.of(1, 2) }),
      encodeWire({ ...plain, workerId: 1 }),
    ]
  ) {
    for (let i = 0; i < m.length; i++) {
      for (let v = 0; v < 256; v += 1 + rand(5)) {
        const bytes = m.slice();
        bytes[i] = v;
        const id = scanResult(bytes);
        if (id === undefined) continue;
        const r = validResult(bytes);
        assert(
          r !== undefined && r.started === undefined,
          `scanned an invalid result: ${[...bytes]}`,
        );
        assertEquals(id, r.id);
        taken++;
      }
    }
  }
  assert(taken > 50, `${taken}`);
});

Deno.test("a pool connection read as bytes: registers, relays plain results as they are, closes on garbage", async () => {
  const { ic, toExecutor } = makeInterchange();
  const link = connect(ic);
  const feed = (msgs: unknown[]) =>
    link.conn.receiveEncoded(new FrameDecoder().pushEncoded(encodeFrame(msgs)));
  // A result before registering is refused, as when decoded.
  const early = connect(ic);
  early.conn.receiveEncoded([encodeWire({ k: "result", id: 1, b: Uint8Array.of(1) })]);
  assert(early.closed);
  feed([registerMsg(link, { workerCount: 2 })]);
  assertEquals(link.of("registered").length, 1);
  ic.fromExecutor([taskMsg(1), taskMsg(2)]);
  await settle();
  assertEquals(link.of("task").map((t) => t.id), [1, 2]);
  const plain = { k: "result", id: 1, b: Uint8Array.of(7), workerId: 0 };
  const stamped = { k: "result", id: 2, b: Uint8Array.of(8), started: 1234 };
  feed([plain, { k: "hb" }, stamped, { k: "result", id: 99, b: Uint8Array.of(9) }]);
  // Task 99 is not this pool's: ignored.
  const results = toExecutor.filter((m) => m.k === "result") as Record<string, unknown>[];
  assertEquals(results.length, 2);
  assertEquals(results[0], plain);
  const r = results[1];
  assertEquals([r.id, r.started, r.hostname, r.blockId, typeof r.managerId], [
    2,
    1234,
    "h",
    "0",
    "string",
  ]);
  assertEquals(ic.queued, 0);
  link.conn.receiveEncoded([Uint8Array.of(0xc1)]);
  assert(link.closed, "garbage closes the connection");
  ic.stopAll();
});
