import { assert, assertEquals } from "../_assert.ts";
import type { TaskContextData } from "../../dfk/task_context.ts";
import { ManagerLost, SerializationError } from "../../dfk/errors.ts";
import { encode } from "../../dfk/serialize/codec.ts";
import {
  decodeOutcome,
  decodeTask,
  encodeOutcome,
  encodeTask,
  failedOutcome,
} from "../../interchange/task_codec.ts";

const ref = { module: "file:///flow.ts", export: "add" };
const context: TaskContextData = {
  appName: "add",
  taskId: 4,
  tryId: 1,
  inputs: [],
  outputs: [],
  walltime: 3,
  resourceSpecification: {},
};

function assertThrows(
  fn: () => unknown,
  type: abstract new (...a: never[]) => Error,
  includes = "",
): Error {
  try {
    fn();
  } catch (e) {
    assert(e instanceof type, `threw ${e}, not a ${type.name}`);
    assert(e.message.includes(includes), e.message);
    return e;
  }
  throw new Error("did not throw");
}

Deno.test("encodeTask carries the task, its arguments encoded apart for the worker", () => {
  const t = decodeTask(encodeTask({
    id: 4,
    tryId: 1,
    ref,
    kind: "bash",
    args: [1, "x"],
    context,
  }));
  assertEquals([t.id, t.tryId, t.ref, t.kind, t.context.walltime], [4, 1, ref, "bash", 3]);
  assert(t.args instanceof Uint8Array, "arguments stay encoded until the app's module loads");
});

Deno.test("decodeTask refuses bytes that are not a task, naming the field", () => {
  const ctx = ["add", 1, 0, [], [], {}];
  const good: unknown[] = [1, 0, "file:///flow.ts", "add", "function", new Uint8Array(), ctx];
  assert(decodeTask(encode(good)).ref.module === "file:///flow.ts");
  const fields = ["id", "tryId", "ref", "ref", "kind", "args", "context"];
  for (const [i, field] of fields.entries()) {
    const broken = [...good];
    broken[i] = { wrong: true };
    const e = assertThrows(() => decodeTask(encode(broken)), SerializationError);
    assert(e.message.includes(`"${field}"`), e.message);
  }
  assertThrows(() => decodeTask(encode(good.slice(0, 6))), SerializationError, "task array");
  assertThrows(() => decodeTask(encode([...good.slice(0, 6), [...ctx, 7]])), SerializationError);
  // A body of an older tsflow (a map) is refused with the version hint, never misread.
  assertThrows(
    () => decodeTask(encode({ id: 1, tryId: 0, ref: {}, kind: "function", context: {} })),
    SerializationError,
    "same tsflow version",
  );
  assertThrows(() => decodeTask(new Uint8Array([0xc1])), SerializationError, "cannot decode");
});

Deno.test("encodeTask keeps the context's optional fields, and only the set ones", () => {
  const stdout: [string, "w" | "a"] = ["/tmp/o", "w"];
  const t = decodeTask(encodeTask({
    id: 4,
    tryId: 1,
    ref,
    kind: "bash",
    args: [],
    context: { ...context, stdout, walltime: undefined },
  }));
  assertEquals(t.context.stdout, stdout);
  assertEquals(
    [t.context.appName, t.context.taskId, t.context.tryId, t.context.walltime],
    ["add", 4, 1, undefined],
  );
  const plain = decodeTask(encodeTask({
    id: 4,
    tryId: 1,
    ref,
    kind: "bash",
    args: [],
    context: {
      ...context,
      walltime: undefined,
    },
  }));
  assertEquals(Object.keys(plain.context).sort(), [
    "appName",
    "inputs",
    "outputs",
    "resourceSpecification",
    "taskId",
    "tryId",
  ]);
});

Deno.test("decodeOutcome settles every body: values, errors, and garbage as a failure", () => {
  const v = decodeOutcome(encodeOutcome({ id: 1, tryId: 0, ok: true, value: undefined }));
  assert(v.ok && v.value === undefined);
  const lost = decodeOutcome(failedOutcome(new ManagerLost("m1", "h", "gone")));
  assert(!lost.ok && lost.error instanceof ManagerLost);
  const garbage = decodeOutcome(new Uint8Array([0xc1]));
  assert(!garbage.ok && garbage.error instanceof Error);
  const notOutcome = decodeOutcome(encode({ hello: 1 }));
  assert(!notOutcome.ok && notOutcome.error instanceof SerializationError);
});

Deno.test("an outcome keeps the worker's times, and its samples and host only when sampled", () => {
  const plain = decodeOutcome(
    encodeOutcome({ id: 4, tryId: 1, ok: true, value: [1, "a"], started: 1.5, ended: 2.25 }),
  );
  assertEquals(plain, { id: 4, tryId: 1, ok: true, value: [1, "a"], started: 1.5, ended: 2.25 });
  assert(!("samples" in plain) && !("host" in plain));
  const sampled = decodeOutcome(encodeOutcome({
    id: 5,
    tryId: 0,
    ok: true,
    value: undefined, // an app that returns nothing
    started: 3,
    ended: 4,
    samples: [0.5, 1024, "R"],
    host: "node7",
  }));
  assert(sampled.ok && sampled.value === undefined);
  assertEquals([sampled.samples, sampled.host], [[0.5, 1024, "R"], "node7"]);
  const failed = decodeOutcome(
    failedOutcome(new Error("walltime"), { id: 6, tryId: 2, started: 7 }),
  );
  assert(!failed.ok && failed.error.message === "walltime");
  assertEquals([failed.id, failed.tryId, failed.started, failed.ended], [6, 2, 7, undefined]);
  // An outcome in another shape (a pool of another tsflow version) fails its task, saying so.
  const other = decodeOutcome(encode({ id: 1, tryId: 0, ok: true, value: 1 }));
  assert(!other.ok && other.error instanceof SerializationError);
  assert(other.error.message.includes("same tsflow version"), other.error.message);
});
