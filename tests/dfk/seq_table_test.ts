// SeqTable: the kernel's and the executor's table of in-flight entries, checked against a Map.
import assert from "node:assert/strict";
import { SeqTable } from "../../dfk/_seq_table.ts";

Deno.test("SeqTable agrees with a Map under random completion order, stragglers included", () => {
  const t = new SeqTable<number>();
  const m = new Map<number, number>();
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let next = 1;
  // A few entries live through everything (long tasks among many short ones).
  for (let round = 0; round < 400_000; round++) {
    if (rand() < 0.52 || m.size === 0) {
      const key = next;
      next += rand() < 0.01 ? 3 : 1; // gaps: keys need only increase
      t.set(key, key * 2);
      m.set(key, key * 2);
    } else {
      // Mostly the oldest goes (FIFO-ish), sometimes one a little younger; keys below 50 never
      // go (stragglers).
      const it = m.keys();
      let k = it.next().value!;
      for (let skip = rand() < 0.8 ? 0 : Math.floor(rand() * 30); skip > 0 || k < 50; skip--) {
        const n = it.next();
        if (n.done) break;
        k = n.value;
      }
      if (k < 50) continue;
      assert.equal(t.delete(k), true);
      m.delete(k);
      assert.equal(t.delete(k), false);
    }
    if (round % 50_000 === 0) {
      assert.equal(t.size, m.size);
      assert.deepEqual([...t.keys()], [...m.keys()]);
      assert.deepEqual([...t.values()], [...m.values()]);
    }
  }
  assert.equal(t.size, m.size);
  for (const [k, v] of m) assert.equal(t.get(k), v);
  assert.equal(t.get(next + 10), undefined);
  assert.equal(t.has(0), false);
  assert.deepEqual([...t.keys()], [...m.keys()]);
});

Deno.test("SeqTable refuses a key that does not increase", () => {
  const t = new SeqTable<string>();
  t.set(5, "a");
  assert.throws(() => t.set(5, "b"), RangeError);
  assert.throws(() => t.set(3, "b"), RangeError);
  t.delete(5);
  t.set(9, "c"); // empty again: any larger key
  assert.deepEqual([...t.values()], ["c"]);
});
