// A worker given tasks in one frame sends each one's result as soon as it is done, not after the
// next (a long synchronous body) has finished: the manager counts a task's walltime from the
// result before it, and a result held back looks like a task still running. (Found in reviews
// of the worker's synchronous path.)
import assert from "node:assert/strict";
import { within } from "../_wait.ts";
import { encodeFrame, FrameDecoder } from "../../interchange/framing.ts";
import { encodeTask } from "../../interchange/task_codec.ts";
import { task } from "../e2e/_htex_env.ts";

/** The `run` message a manager sends a worker for a task of the fixture module. */
function run(name: string, args: unknown[]) {
  const t = task(name, args);
  return { k: "run", id: t.id, b: encodeTask(t) };
}

Deno.test("a worker's quick results are not held back by the long synchronous task after them", async () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/w.sock`;
  const listener = Deno.listen({ transport: "unix", path });
  const script = `${dir}/worker.ts`;
  Deno.writeTextFileSync(
    script,
    `import { runWorkerProcess } from ${
      JSON.stringify(new URL("../../worker_pool/worker_process.ts", import.meta.url).href)
    };\n` +
      `Deno.exit(await runWorkerProcess(${JSON.stringify(path)}, 0));\n`,
  );
  const child = new Deno.Command(Deno.execPath(), { args: ["run", "-A", script], stdout: "null" })
    .spawn();
  const conn = await listener.accept();
  const dec = new FrameDecoder();
  const buf = new Uint8Array(65536);
  const next = async () => {
    while (true) {
      const n = await conn.read(buf);
      if (n === null) throw new Error("worker closed");
      const msgs = dec.push(buf.subarray(0, n)) as { k: string; id?: number }[];
      if (msgs.length) return msgs;
    }
  };
  try {
    assert.equal((await next())[0].k, "hello");
    // Both apps known (a worker caches each export at its first task): what follows runs on
    // the worker's synchronous path.
    const warm1 = run("add", [0, 0]);
    await conn.write(encodeFrame([warm1]));
    assert.equal((await next())[0].id, warm1.id);
    Deno.writeTextFileSync(`${dir}/warm`, "");
    const warm2 = run("spinUntilFile", [`${dir}/warm`]);
    await conn.write(encodeFrame([warm2]));
    assert.equal((await next())[0].id, warm2.id);
    // The second blocks its worker until the file exists, which is made only once the first's
    // result is in: a result held back behind the second never comes (bounded wait).
    const quick = run("add", [1, 2]), blocking = run("spinUntilFile", [`${dir}/go`]);
    await conn.write(encodeFrame([quick, blocking]));
    const first = await within(next(), 30, "the first result while the second task runs");
    assert.deepEqual(first.map((m) => m.id), [quick.id]);
    Deno.writeTextFileSync(`${dir}/go`, "");
    assert.equal((await within(next(), 30, "the second result"))[0].id, blocking.id);
    // Results the blocking body must not hold: two quick ones (the second runs chained behind
    // the first, on a link busy with the first's write), then an asynchronous one and a quick one.
    const ids = (ms: { id?: number }[]) => ms.map((m) => m.id!);
    const cases = [
      [run("add", [1, 1]), run("add", [2, 2])],
      [run("sleep", [0.01]), run("add", [3, 3])],
    ];
    for (const [i, before] of cases.entries()) {
      const blocks = run("spinUntilFile", [`${dir}/go${i}`]);
      await conn.write(encodeFrame([...before, blocks]));
      const got: number[] = [];
      while (got.length < before.length) {
        got.push(...ids(await within(next(), 30, `case ${i}: results before the blocking one`)));
      }
      assert.deepEqual(got, ids(before));
      Deno.writeTextFileSync(`${dir}/go${i}`, "");
      assert.deepEqual(ids(await within(next(), 30, `case ${i}: the blocking one`)), [blocks.id]);
    }
  } finally {
    conn.close();
    listener.close();
    child.kill();
    await child.status;
    Deno.removeSync(dir, { recursive: true });
  }
});
