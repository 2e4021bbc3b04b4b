// runTask runs a plain function app synchronously once its module is imported (a worker sends
// the result without a turn of promises), and everything else through a Promise, with the same
// outcomes either way.
import assert from "node:assert/strict";
import { resolveFunction, runTask } from "../../worker_pool/run_task.ts";
import { APPS as module, task } from "../e2e/_htex_env.ts";
import { taskContext } from "../../dfk/task_context.ts";

const cleared = () => assert.throws(() => taskContext(), /only available inside/);
const valueOf = (o: object) => (o as { value?: unknown }).value;
Deno.test("runTask imports an app's module through a Promise, then runs its plain calls synchronously", async () => {
  const first = runTask(task("add", [1, 2]));
  assert(first instanceof Promise, "the module is not imported yet");
  assert.equal(valueOf(await first), 3);
  const second = task("add", [2, 3]);
  const again = runTask(second);
  assert(!(again instanceof Promise), "imported: no Promise");
  assert.deepEqual([again.id, again.ok, valueOf(again)], [second.id, true, 5]);
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
