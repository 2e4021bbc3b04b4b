// A worker given two tasks in one frame sends the first one's result as soon as it is done,
// not after the second (a long synchronous body) has finished: the manager counts the second's
// walltime from the first's result, and a first result held back looks like a first task still
// running. (Found in review of the worker's synchronous path.)
import assert from "node:assert/strict";
import { within } from "../_wait.ts";
import { encodeFrame, FrameDecoder } from "../../interchange/framing.ts";
import { encodeTask } from "../../interchange/task_codec.ts";

const ROOT = Deno.env.get("TSFLOW_ROOT") ?? new URL("../../", import.meta.url).href;
const module = new URL("tests/fixtures/htex_apps.ts", ROOT).href;
const run = (id: number, name: string, args: unknown[]) => ({
  k: "run",
  id,
  b: encodeTask({
    id,
    tryId: 0,
    ref: { module, export: name },
    kind: "function",
    args,
    context: {
      appName: name,
      taskId: id,
      tryId: 0,
      inputs: [],
      outputs: [],
      resourceSpecification: {},
    },
  }),
});

Deno.test("a worker's quick result is not held back by the long synchronous task after it", async () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/w.sock`;
  const listener = Deno.listen({ transport: "unix", path });
  const script = `${dir}/worker.ts`;
  Deno.writeTextFileSync(
    script,
    `import { runWorkerProcess } from ${
      JSON.stringify(new URL("worker_pool/worker_process.ts", ROOT).href)
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
    // The module is imported: what follows runs on the worker's synchronous path.
    // Both apps known (a worker caches each export at its first task).
    await conn.write(encodeFrame([run(1, "add", [0, 0])]));
    assert.equal((await next())[0].id, 1);
    Deno.writeTextFileSync(`${dir}/warm`, "");
    await conn.write(encodeFrame([run(4, "spinUntilFile", [`${dir}/warm`])]));
    assert.equal((await next())[0].id, 4);
    // Task 3 blocks its worker until the file exists, which is made only once task 2's result
    // is in: a result held back behind task 3 never comes (bounded wait).
    await conn.write(encodeFrame([run(2, "add", [1, 2]), run(3, "spinUntilFile", [`${dir}/go`])]));
    const first = await within(next(), 30, "task 2's result while task 3 runs");
    assert.deepEqual(first.map((m) => m.id), [2]);
    Deno.writeTextFileSync(`${dir}/go`, "");
    assert.equal((await within(next(), 30, "task 3's result"))[0].id, 3);
  } finally {
    conn.close();
    listener.close();
    child.kill();
    await child.status;
    Deno.removeSync(dir, { recursive: true });
  }
});
