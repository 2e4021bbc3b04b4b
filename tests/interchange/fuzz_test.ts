// 100,000 random and mutated frames into the frame decoder and the interchange's message
// handler: nothing may throw past them, and nothing may grow without bound.
import { assert, assertEquals } from "../_assert.ts";
import { encodeFrame, FrameDecoder } from "../../interchange/framing.ts";
import { ProtocolError } from "../../interchange/protocol_error.ts";
import {
  connect,
  makeInterchange,
  type MemoryLink,
  registeredPool,
  registerMsg,
  settle,
  taskMsg,
} from "./_memory_link.ts";

const FRAMES = 100_000;
const MAX = 64 * 1024;

let seed = 12345;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const int = (n: number) => Math.floor(rnd() * n);

function randomValue(depth = 0): unknown {
  switch (int(depth > 2 ? 6 : 9)) {
    case 0:
      return int(1 << 30) - (1 << 29);
    case 1:
      return rnd() * 1e9;
    case 2:
      return ["hb", "result", "register", "running", "resource", "draining", "task", "x"][int(8)];
    case 3:
      return new Uint8Array(int(40));
    case 4:
      return null;
    case 5:
      return rnd() < 0.5;
    case 6:
      return Array.from({ length: int(4) }, () => randomValue(depth + 1));
    case 7: {
      const o: Record<string, unknown> = {};
      for (const k of ["k", "id", "b", "state", "time", "workerId", "pid", "hmac"]) {
        if (rnd() < 0.5) o[k] = randomValue(depth + 1);
      }
      return o;
    }
    default:
      return new Map([[randomValue(depth + 1), randomValue(depth + 1)]]);
  }
}

function mutate(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame);
  const how = int(5);
  if (how === 0) { for (let i = 0; i < 1 + int(4); i++) out[int(out.length)] = int(256); }
  if (how === 1) return out.subarray(0, int(out.length));
  if (how === 2) {
    return new Uint8Array([
      ...out,
      ...Array.from({ length: int(20) }, () => int(256)),
    ]);
  }
  if (how === 3) {
    const body = Uint8Array.from({ length: int(200) }, () => int(256));
    const f = new Uint8Array(4 + body.length);
    new DataView(f.buffer).setUint32(0, rnd() < 0.9 ? body.length : int(2 ** 32));
    f.set(body, 4);
    return f;
  }
  return out;
}

Deno.test("100,000 random and mutated frames: typed errors only, no crash, bounded state", async () => {
  const { ic, toExecutor } = makeInterchange();
  // Only the chosen frame is built: encoding all six candidates per frame took most of the time.
  const valid = (link: MemoryLink): (() => Uint8Array)[] => [
    () => encodeFrame([{ k: "hb" }]),
    () => encodeFrame([{ k: "result", id: int(100), b: new Uint8Array(3) }]),
    () => encodeFrame([{ k: "running", id: int(100), state: "running", time: 1, workerId: 0 }]),
    () => encodeFrame([{ k: "draining" }, { k: "hb" }]),
    () => encodeFrame([registerMsg(link)]),
    () => encodeFrame([randomValue(), randomValue()]),
  ];
  const good = registeredPool(ic, { workerCount: 4 });
  let link = registeredPool(ic, { workerCount: 4 });
  let typed = 0, delivered = 0, reconnects = 0;
  for (let i = 0; i < FRAMES; i++) {
    if (i % 100 === 0) ic.fromExecutor([taskMsg(i)]);
    const candidates = valid(link);
    const frame = rnd() < 0.8
      ? mutate(candidates[int(candidates.length)]())
      : candidates[int(candidates.length)]();
    const decoder = new FrameDecoder(MAX);
    let msgs: unknown[] = [];
    try {
      // Feed in two chunks to exercise buffering.
      const cut = int(frame.length + 1);
      msgs = [...decoder.push(frame.subarray(0, cut)), ...decoder.push(frame.subarray(cut))];
      decoder.finish();
    } catch (e) {
      assert(e instanceof ProtocolError, `decoder threw ${e}`);
      typed++;
    }
    assert(decoder.buffered <= MAX + 4);
    if (msgs.length > 0) {
      link.conn.receive(msgs); // must never throw: bad messages close the link
      delivered++;
    }
    if (link.closed) {
      link = rnd() < 0.5 ? connect(ic) : registeredPool(ic, { workerCount: 4 });
      reconnects++;
    }
    if (i % 1000 === 0) {
      await settle();
      toExecutor.length = 0; // the executor consumes these
    }
  }
  await settle();
  assert(
    typed > 10_000 && delivered > 10_000 && reconnects > 100,
    `${typed} ${delivered} ${reconnects}`,
  );
  // The well-behaved pool is still registered and still gets work.
  assert(!good.closed);
  ic.fromExecutor([taskMsg(10_000_001)]);
  await settle();
  const pools = ic.managers();
  assert(pools.length < 1000, `forgotten pools do not pile up: ${pools.length}`);
  assertEquals(pools.some((p) => p.outstanding > 0), true);
});
