import { assert, assertEquals } from "../_assert.ts";
import { ManagerLost } from "../../dfk/errors.ts";
import { decodeOutcome } from "../../interchange/task_codec.ts";
import { BUSY_IDLE_REPORT_MS } from "../../interchange/pool_reports.ts";
import { waitFor } from "../_wait.ts";
import {
  connect,
  makeInterchange,
  registeredPool,
  registerMsg,
  settle,
  taskMsg,
} from "./_memory_link.ts";

Deno.test("Interchange dispatches queued tasks when a pool registers, up to its capacity", async () => {
  const { ic, toExecutor } = makeInterchange();
  ic.fromExecutor([taskMsg(1), taskMsg(2), taskMsg(3)]);
  await settle();
  const pool = registeredPool(ic, { workerCount: 1, prefetchCapacity: 1 });
  await settle();
  assertEquals(pool.of("task").map((t) => t.id), [1, 2]);
  assert(toExecutor.some((m) => m.k === "node" && m.event === "registered"));
  pool.deliver([{ k: "result", id: 1, b: new Uint8Array([9]) }]);
  await settle();
  assertEquals(pool.of("task").map((t) => t.id), [1, 2, 3]);
  assertEquals(toExecutor.filter((m) => m.k === "result").map((m) => m.k === "result" && m.id), [
    1,
  ]);
});

Deno.test("Interchange refuses a wrong HMAC, another protocol version, and a reused manager id", async () => {
  const { ic } = makeInterchange();
  const a = connect(ic);
  a.deliver([registerMsg(a, { hmac: new Uint8Array(32) })]);
  assert(a.closed && String(a.of("refused")[0].reason).includes("HMAC"));
  const b = connect(ic);
  b.deliver([registerMsg(b, { protocol: 99 })]);
  assert(b.closed && String(b.of("refused")[0].reason).includes("protocol 99"));
  const ok = registeredPool(ic, { managerId: "m1" });
  const dup = connect(ic);
  dup.deliver([registerMsg(dup, { managerId: "m1" })]);
  assert(dup.closed && !ok.closed);
  assertEquals(ic.managerCount, 1);
  await settle();
});

Deno.test("Interchange fails a lost pool's tasks with ManagerLost and ignores its late messages", async () => {
  const { ic, toExecutor } = makeInterchange(1);
  const pool = registeredPool(ic, { managerId: "late", workerCount: 2 });
  ic.fromExecutor([taskMsg(1), taskMsg(2)]);
  await settle();
  assertEquals(pool.of("task").length, 2);
  ic.tick(Date.now() + 5000); // silent past the threshold
  assert(pool.closed);
  const lost = toExecutor.filter((m) => m.k === "result").map((m) =>
    m.k === "result" && decodeOutcome(m.b)
  );
  assertEquals(lost.length, 2);
  for (const o of lost) assert(o && !o.ok && o.error instanceof ManagerLost);
  // A heartbeat and a result arriving after the pool was forgotten change nothing.
  const before = toExecutor.length;
  pool.conn.receive([{ k: "hb" }, { k: "result", id: 1, b: new Uint8Array(1) }]);
  await settle();
  assertEquals(toExecutor.length, before);
  // It cannot come back under the same id.
  const again = connect(ic);
  again.deliver([registerMsg(again, { managerId: "late" })]);
  assert(again.closed);
});

Deno.test("Interchange ignores a result for a task the pool does not hold", async () => {
  const { ic, toExecutor } = makeInterchange();
  const a = registeredPool(ic);
  const b = registeredPool(ic);
  ic.fromExecutor([taskMsg(1)]);
  await settle();
  const holder = a.of("task").length === 1 ? a : b;
  const other = holder === a ? b : a;
  other.deliver([{ k: "result", id: 1, b: new Uint8Array(1) }]);
  await settle();
  assertEquals(toExecutor.filter((m) => m.k === "result").length, 0);
  assert(!other.closed);
  holder.deliver([{ k: "result", id: 1, b: new Uint8Array(1) }]);
  assertEquals(toExecutor.filter((m) => m.k === "result").length, 1);
});

Deno.test("Interchange hold and drain stop dispatch to a pool", async () => {
  const { ic } = makeInterchange();
  const a = registeredPool(ic, { managerId: "a", blockId: "7" });
  ic.fromExecutor([{ k: "hold", managerId: "a" }, taskMsg(1)]);
  await settle();
  assertEquals(a.of("task").length, 0);
  const b = registeredPool(ic, { managerId: "b", blockId: "8" });
  await settle();
  assertEquals(b.of("task").length, 1);
  ic.fromExecutor([{ k: "drain", blockId: "8" }, taskMsg(2)]);
  await settle();
  assertEquals(b.of("drain").length, 1);
  assertEquals(b.of("task").length, 1);
  assertEquals(ic.queued, 1);
});

Deno.test("Interchange closes a connection that sends anything before registering", async () => {
  const { ic } = makeInterchange();
  const c = connect(ic);
  c.deliver([{ k: "hb" }]);
  assert(c.closed);
  const d = connect(ic);
  d.deliver([{ k: "no-such-kind" }]);
  assert(d.closed);
  await settle();
});

Deno.test("Interchange reports holds and drains at once, busy/idle soon after as the pool's latest state, before the next tick", async () => {
  const { ic, toExecutor } = makeInterchange();
  const updates = () =>
    toExecutor.flatMap((m) =>
      m.k === "node" && m.event === "updated"
        ? [{
          outstanding: m.manager.outstanding,
          active: m.manager.active,
          draining: m.manager.draining,
        }]
        : []
    );
  const a = registeredPool(ic, { managerId: "a", workerCount: 1, prefetchCapacity: 0 });
  const b = registeredPool(ic, { managerId: "b", workerCount: 1, prefetchCapacity: 0 });
  ic.fromExecutor([{ k: "hold", managerId: "b" }]);
  // No wait: a hold is reported in the same turn.
  assertEquals(updates(), [{ outstanding: 0, active: false, draining: false }], "held");
  ic.fromExecutor([taskMsg(1)]);
  await settle();
  assertEquals(a.of("task").length, 1);
  await waitFor(() => updates().length === 2, 10, "the busy report");
  assertEquals(updates()[1], { outstanding: 1, active: true, draining: false }, "busy");
  // Idle, busy and idle again within one window: one report, of the state at its end.
  a.deliver([{ k: "result", id: 1, b: new Uint8Array(1) }]);
  ic.fromExecutor([taskMsg(2)]);
  await settle();
  assertEquals(a.of("task").length, 2);
  a.deliver([{ k: "result", id: 2, b: new Uint8Array(1) }]);
  await waitFor(() => updates().length === 3, 10, "the idle report");
  assertEquals(updates()[2], { outstanding: 0, active: true, draining: false }, "idle");
  a.deliver([{ k: "draining" }]);
  assertEquals(updates().at(-1), { outstanding: 0, active: false, draining: true }, "draining");
  ic.fromExecutor([{ k: "drain", managerId: "b" }]);
  assertEquals(updates().at(-1), { outstanding: 0, active: false, draining: true }, "drained b");
  await new Promise((r) => setTimeout(r, BUSY_IDLE_REPORT_MS * 2));
  assertEquals(updates().length, 5, "no report beyond these");
  assert(!toExecutor.some((m) => m.k === "managers"), "no tick happened");
  assert(!b.closed);
});
