// Compares tsflow's own MessagePack codec with @msgpack/msgpack (a plain-JavaScript codec, a
// development dependency recorded in dev.lock), in one process, on a typical task message (the
// driver's encode and the worker's decode, arguments nested as bytes) and a typical result.
// Prints name=value lines and the ratio own/reference. (Against msgpackr 1.11.8, the codec it
// replaced, the own codec measured x1.17 here when it was introduced.)
//   deno run -A --lock=dev.lock scripts/bench_codec.ts [--quick]
// deno-lint-ignore no-import-prefix
import { decode as refDecode, encode as refEncode } from "npm:@msgpack/msgpack@3.1.3";
import { decode, encode } from "../dfk/serialize/codec.ts";

const quick = Deno.args.includes("--quick");
function task(enc: (v: unknown) => Uint8Array, id: number): Uint8Array {
  return enc({
    id,
    tryId: 0,
    ref: { module: "file:///home/user/flows/flow.ts", export: "add" },
    kind: "function",
    args: enc([id, 3]).slice(),
    context: { appName: "add", taskId: id, tryId: 0, inputs: [], outputs: [] },
  });
}

function result(enc: (v: unknown) => Uint8Array, id: number): Uint8Array {
  return enc({ id, tryId: 0, ok: true, value: { sum: id + 3, at: new Date(0), tags: ["a", "b"] } });
}

function rate(enc: (v: unknown) => Uint8Array, dec: (b: Uint8Array) => unknown, n: number) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const m = dec(task(enc, i)) as { args: Uint8Array };
    dec(m.args);
    dec(result(enc, i));
  }
  return n / ((performance.now() - t0) / 1000);
}

const n = quick ? 20_000 : 200_000;
const own = { enc: encode, dec: decode };
const ref = { enc: (v: unknown) => refEncode(v), dec: (b: Uint8Array) => refDecode(b) };
// Warm both, then alternate rounds so neither gains from the machine's mood; keep the best.
rate(own.enc, own.dec, n / 10);
rate(ref.enc, ref.dec, n / 10);
let bestOwn = 0, bestRef = 0;
for (let round = 0; round < 5; round++) {
  bestRef = Math.max(bestRef, rate(ref.enc, ref.dec, n));
  bestOwn = Math.max(bestOwn, rate(own.enc, own.dec, n));
}
console.log(`codec_task_roundtrip_per_s_reference=${Math.round(bestRef)}`);
console.log(`codec_task_roundtrip_per_s_own=${Math.round(bestOwn)}`);
console.log(`codec_task_roundtrip_ratio_own_over_reference=${(bestOwn / bestRef).toFixed(2)}`);
console.log(`codec_task_bytes_reference=${task(ref.enc, 7).length}`);
console.log(`codec_task_bytes_own=${task(own.enc, 7).length}`);
