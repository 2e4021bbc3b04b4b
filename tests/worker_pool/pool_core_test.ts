// The pool core without processes, sockets or threads: fake worker links record what they are
// sent, fake timers fire when the test says, as the interchange is tested with memory links.
import { assert, assertEquals } from "../_assert.ts";
import { AppTimeout, WorkerLost } from "../../dfk/errors.ts";
import { BASH_KILL_GRACE_S, MAX_FAILED_STARTS, PoolCore } from "../../worker_pool/pool_core.ts";
import type { PoolTask, PoolTimers, WorkerLink } from "../../worker_pool/pool_links.ts";

class FakeLink implements WorkerLink<PoolTask> {
  sent: number[][] = [];
  killed = false;
  constructor(readonly slot: number, readonly pool: FakePool) {}
  send(tasks: PoolTask[]): void {
    this.sent.push(tasks.map((t) => t.id));
  }
  kill(): void {
    this.killed = true;
  }
  /** Every task id this worker was handed. */
  get ids(): number[] {
    return this.sent.flat();
  }
}

class FakeTimers implements PoolTimers {
  clock = 0;
  pending = new Map<number, { at: number; fn: () => void }>();
  #next = 1;
  set(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.pending.set(id, { at: this.clock + ms, fn });
    return id;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  now(): number {
    return this.clock;
  }
  /** Moves the clock, firing what falls due. */
  advance(ms: number): void {
    this.clock += ms;
    for (const [id, t] of [...this.pending]) {
      if (t.at <= this.clock) {
        this.pending.delete(id);
        t.fn();
      }
    }
  }
}

class FakePool {
  links: FakeLink[] = [];
  began: [number, number][] = [];
  failed: { id: number; error: Error; began: boolean }[] = [];
  gaveUp?: string;
  warnings: string[] = [];
  timers = new FakeTimers();
  depth = 1;
  core: PoolCore<PoolTask>;
  constructor(workers: number, mode: "pipeline" | "batch") {
    this.core = new PoolCore<PoolTask>({
      workers,
      mode,
      depth: () => this.depth,
      logger: { warn: (m) => this.warnings.push(m) },
      hostname: "node1",
      timers: this.timers,
      hooks: {
        spawn: (slot) => {
          const link = new FakeLink(slot, this);
          this.links.push(link);
          return link;
        },
        began: (t, slot) => this.began.push([t.id, slot]),
        failed: (t, error, began) => this.failed.push({ id: t.id, error, began }),
        giveUp: (why) => this.gaveUp = why,
      },
    });
    this.core.start();
  }
  /** The current link of a slot. */
  link(slot: number): FakeLink {
    return this.links.findLast((l) => l.slot === slot)!;
  }
}

const task = (id: number, extra: Partial<PoolTask> = {}): PoolTask => ({
  id,
  w: 0,
  kind: "function",
  n: `app${id}`,
  ...extra,
});

Deno.test("pool core: tasks wait for a ready worker, then go out by priority, one per worker", () => {
  const pool = new FakePool(2, "pipeline");
  pool.core.submit([task(1), task(2, { p: 5 }), task(3, { p: 0 })]);
  assertEquals(pool.links.map((l) => l.ids), [[], []], "no worker said ready yet");
  pool.core.ready(0);
  pool.core.ready(1);
  assertEquals(pool.link(0).ids, [3]);
  assertEquals(pool.link(1).ids, [2]);
  assertEquals(pool.began, [[3, 0], [2, 1]], "a pipelined task begins when handed over");
  assertEquals(pool.core.queued, 1);
  const { done } = pool.core.completed(0, 1);
  assertEquals(done.map((d) => [d.task.id, d.began]), [[3, true]]);
  pool.core.dispatch();
  assertEquals(pool.link(0).ids, [3, 1]);
  assert(!pool.core.idle);
  pool.core.completed(0, 1);
  pool.core.completed(1, 1);
  assert(pool.core.idle);
});

Deno.test("pool core: short tasks pipeline behind a worker, never behind a long-running one", () => {
  const pool = new FakePool(1, "pipeline");
  pool.core.ready(0);
  pool.depth = 4;
  pool.core.submit([task(1), task(2), task(3)]);
  assertEquals(pool.link(0).sent, [[1], [2], [3]], "one message per task, queued behind");
  pool.timers.advance(1000);
  pool.core.completed(0, 1);
  assertEquals(
    pool.began.map(([id]) => id),
    [1, 2],
    "the next task begins as its predecessor ends",
  );
  pool.timers.advance(1000);
  pool.core.submit([task(4)]);
  assertEquals(pool.link(0).ids, [1, 2, 3], "task 2 has run 1 s: nothing more queues behind it");
});

Deno.test("pool core: a walltime kills the worker; its task fails with AppTimeout, the rest are requeued", () => {
  const pool = new FakePool(1, "pipeline");
  pool.core.ready(0);
  pool.depth = 4;
  pool.core.submit([task(1, { w: 2 }), task(2), task(3)]);
  const first = pool.link(0);
  pool.timers.advance(1999);
  assert(!first.killed);
  pool.timers.advance(1);
  assert(first.killed, "killed at the walltime");
  pool.core.lost(0, first, "killed by SIGKILL");
  assertEquals(pool.failed.length, 1);
  assert(pool.failed[0].error instanceof AppTimeout);
  assertEquals([pool.failed[0].id, pool.failed[0].began], [1, true]);
  assertEquals(pool.links.length, 2, "the worker is replaced");
  assertEquals(pool.core.queued, 2, "tasks behind the lost one go back to the queue");
  pool.core.ready(0);
  assertEquals(pool.link(0).ids, [2, 3]);
});

Deno.test("pool core: a bash task gets a grace period before the pool kills its worker", () => {
  const pool = new FakePool(1, "pipeline");
  pool.core.ready(0);
  pool.core.submit([task(1, { w: 1, kind: "bash" })]);
  pool.timers.advance(1000);
  assert(!pool.link(0).killed, "the worker kills the command itself at the walltime");
  pool.timers.advance(BASH_KILL_GRACE_S * 1000);
  assert(pool.link(0).killed);
});

Deno.test("pool core: a worker that dies mid-task fails it with WorkerLost; a finished task's timer is gone", () => {
  const pool = new FakePool(1, "pipeline");
  pool.core.ready(0);
  pool.core.submit([task(1, { w: 5 })]);
  pool.core.completed(0, 1);
  assertEquals(pool.timers.pending.size, 0, "the walltime timer stops with its task");
  pool.core.submit([task(2)]);
  pool.core.lost(0, pool.link(0), "exit code 9");
  const [f] = pool.failed;
  assert(f.error instanceof WorkerLost && f.error.message.includes("exit code 9"), f.error.message);
  assertEquals(f.id, 2);
  pool.core.lost(0, pool.links[0], "exit code 9");
  assertEquals(pool.failed.length, 1, "a second report about the old worker is ignored");
});

Deno.test("pool core: gives up after workers keep dying before they are ready", () => {
  const pool = new FakePool(1, "pipeline");
  pool.core.submit([task(1)]);
  for (let i = 0; i < MAX_FAILED_STARTS - 1; i++) pool.core.lost(0, pool.link(0), "exit code 1");
  assertEquals(pool.gaveUp, undefined);
  assertEquals(pool.links.length, MAX_FAILED_STARTS);
  pool.core.ready(0);
  pool.core.completed(0, 1);
  pool.core.lost(0, pool.link(0), "exit code 1");
  assertEquals(pool.gaveUp, undefined, "a worker that was ready resets the count");
  for (let i = 0; i < MAX_FAILED_STARTS; i++) pool.core.lost(0, pool.link(0), "exit code 1");
  assertEquals(pool.gaveUp, "exit code 1");
  const spawned = pool.links.length;
  pool.core.lost(0, pool.link(0), "exit code 1");
  assertEquals(pool.links.length, spawned, "no worker is started after giving up");
});

Deno.test("pool core: batch mode hands an idle worker a batch, a walltime task alone", () => {
  const pool = new FakePool(2, "batch");
  pool.depth = 3;
  pool.core.submit([task(1), task(2), task(3), task(4), task(5, { w: 9 }), task(6)]);
  pool.core.ready(0);
  pool.core.ready(1);
  assertEquals(pool.link(0).sent, [[1, 2, 3]]);
  assertEquals(pool.link(1).sent, [[4]], "the walltime task does not join a batch");
  assertEquals(pool.began, [], "a batch's tasks begin when the worker says so");
  pool.core.began(0, 0);
  pool.core.began(0, 1);
  pool.core.began(0, 0);
  assertEquals(pool.began, [[1, 0], [2, 0]]);
  const { done } = pool.core.completed(0, 3);
  assertEquals(done.map((d) => [d.task.id, d.began]), [[1, true], [2, true], [3, false]]);
  pool.core.dispatch();
  assertEquals(pool.link(0).sent, [[1, 2, 3], [5]], "then the walltime task, alone");
  pool.core.completed(1, 1);
  pool.core.dispatch();
  assertEquals(pool.link(1).sent, [[4], [6]]);
});

Deno.test("pool core: a lost batch worker fails its whole batch", () => {
  const pool = new FakePool(1, "batch");
  pool.depth = 8;
  pool.core.ready(0);
  pool.core.submit([task(1), task(2), task(3)]);
  pool.core.began(0, 0);
  pool.core.lost(0, pool.link(0), "crashed");
  assertEquals(pool.failed.map((f) => [f.id, f.began]), [[1, true], [2, false], [3, false]]);
  assert(pool.failed.every((f) => f.error instanceof WorkerLost));
  assertEquals(pool.core.queued, 0);
});

Deno.test("pool core: after stop no worker is replaced and the caller gets the tasks", () => {
  const pool = new FakePool(1, "pipeline");
  pool.core.ready(0);
  pool.core.submit([task(1, { w: 3 }), task(2)]);
  assertEquals(pool.core.stop().map((t) => t.id), [2]);
  assertEquals(pool.timers.pending.size, 0, "walltime timers are cleared");
  assertEquals(pool.core.takeHeld().map((t) => t.id), [1]);
  pool.core.killAll();
  assert(pool.link(0).killed);
  pool.core.lost(0, pool.link(0), "killed by SIGKILL");
  assertEquals([pool.links.length, pool.failed.length], [1, 0]);
});
