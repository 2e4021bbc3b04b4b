// runTask runs a plain function app synchronously once its module is imported (a worker sends
// the result without a turn of promises), and everything else through a Promise, with the same
// outcomes either way.
import assert from "node:assert/strict";
import { resolveFunction, runTask } from "../../worker_pool/run_task.ts";
import type { TaskMessage } from "../../interchange/task_codec.ts";
import { encode } from "../../dfk/serialize/codec.ts";
import { taskContext } from "../../dfk/task_context.ts";

const cleared = () => assert.throws(() => taskContext(), /only available inside/);
const valueOf = (o: object) => (o as { value?: unknown }).value;
const module = new URL("../fixtures/htex_apps.ts", import.meta.url).href;
const task = (name: string, args: unknown[], id = 1): TaskMessage => ({
  id,
  tryId: 0,
  ref: { module, export: name },
  kind: "function",
  args: encode(args),
  context: {
    appName: name,
    taskId: id,
    tryId: 0,
    inputs: [],
    outputs: [],
    resourceSpecification: {},
  },
});

Deno.test("runTask imports an app's module through a Promise, then runs its plain calls synchronously", async () => {
  const first = runTask(task("add", [1, 2]));
  assert(first instanceof Promise, "the module is not imported yet");
  assert.equal(valueOf(await first), 3);
  const again = runTask(task("add", [2, 3], 2));
  assert(!(again instanceof Promise), "imported: no Promise");
  assert.deepEqual([again.id, again.ok, valueOf(again)], [2, true, 5]);
  assert(again.ended! >= again.started!);
  cleared(); // once the body returned
});

Deno.test("runTask: a synchronous throw is a failed outcome; an async body keeps its context until it settles", async () => {
  await resolveFunction({ module, export: "fail" });
  const failed = runTask(task("fail", ["boom"]));
  assert(!(failed instanceof Promise));
  assert.equal(failed.ok, false);
  assert.match(String((failed as { error?: Error }).error?.message), /boom/);
  cleared();
  await resolveFunction({ module, export: "contextAfterAwait" });
  const later = runTask(task("contextAfterAwait", []));
  assert(later instanceof Promise, "an async body's outcome comes through a Promise");
  const out = await later;
  assert.deepEqual([out.ok, valueOf(out)], [true, "contextAfterAwait"]);
  cleared();
});
