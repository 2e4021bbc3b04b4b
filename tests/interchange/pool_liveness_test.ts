import { assertEquals } from "../_assert.ts";
import { PoolLiveness } from "../../interchange/pool_liveness.ts";

function link(peer: string) {
  const sent: unknown[] = [];
  return { peer, sent, send: (m: unknown) => void sent.push(m), close() {} };
}

Deno.test("PoolLiveness: heartbeats the connections heard from, reports each silent one once", () => {
  const live = new PoolLiveness();
  const a = link("a"), b = link("b"), gone = link("gone");
  live.seen(a, 0);
  live.seen(b, 0);
  live.seen(gone, 0);
  live.forget(gone); // its connection ended: neither pinged nor reported
  live.seen(b, 4_000); // b spoke again
  assertEquals(live.sweep(6_000, 5_000), [a]);
  assertEquals([a.sent.length, b.sent, gone.sent.length], [0, [{ k: "hb" }], 0]);
  assertEquals(live.sweep(6_000, 5_000), []); // a is no longer watched
  assertEquals(live.sweep(9_001, 5_000), [b]);
});
