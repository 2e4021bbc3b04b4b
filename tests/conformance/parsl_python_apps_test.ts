// Parsl's parsl/tests/test_python_apps scenarios that tsflow covers (see
// docs/parsl-conformance.md), on the ThreadPoolExecutor and the HighThroughputExecutor.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { DependencyError, File, RemoteError } from "../../mod.ts";
import { add, fail } from "../dfk/fixtures/apps.ts";
import { addInputs, addTwoValues, delayIncr, identity, takeAValue } from "./fixtures/parsl_apps.ts";
import { EventLog } from "../dfk/_helpers.ts";
import { onEveryExecutor } from "./_parsl_suite.ts";

onEveryExecutor("python apps: inputs and whole-promise futures", async (t, { dir }) => {
  await t.step("test_arg_input_types: inputs hold strings, numbers and lists", async () => {
    assertEquals(await takeAValue.with({ inputs: ["hi"] })(), "hi");
    assertEquals(await takeAValue.with({ inputs: [3.14] })(), 3.14);
    assertEquals(await addTwoValues.with({ inputs: [5, 7, 3] })(), 12);
    assertEquals(await takeAValue.with({ inputs: [["foo", 7]] })(), ["foo", 7]);
    assertEquals(await takeAValue.with({ inputs: [null, 1] })(), null);
  });
  await t.step(
    "test_inputs_default: AppFutures in inputs are replaced by their results",
    async () => {
      assertEquals(await addInputs.with({ inputs: [identity(1), identity(2)] })(), 3);
      // A promise that is no task is a dependency too, as at the top level.
      assertEquals(await addInputs.with({ inputs: [Promise.resolve(4), 5] })(), 9);
    },
  );
  await t.step("a failed future in inputs fails the task as dep_fail", async () => {
    const f = addInputs.with({ inputs: [identity(1), fail("in inputs")] })();
    const e = await assertRejects(() => f, DependencyError);
    assertEquals(f.taskState, "dep_fail");
    assert(e.cause instanceof RemoteError || (e.cause as Error).message.includes("in inputs"));
  });
  await t.step(
    "test_futures: AppFutures and DataFutures, with and without dependencies",
    async () => {
      assertEquals(await delayIncr(1), 2);
      assertEquals(await delayIncr(delayIncr(1)), 3);
      const f2 = delayIncr.with({ outputs: [new File(`${dir}/test_fut_case_2.txt`)] })(1);
      const file2 = await f2.outputs[0];
      assertEquals(file2.filename, "test_fut_case_2.txt");
      assertEquals(Deno.readTextFileSync(file2.filepath), "2");
      const a1 = delayIncr.with({ outputs: [new File(`${dir}/f1.txt`)] })(1);
      const a2 = delayIncr.with({ outputs: [new File(`${dir}/f2.txt`)] })(a1);
      assertEquals(Deno.readTextFileSync(String(await a2.outputs[0])), "3");
    },
  );
  await t.step("an AppFuture is a whole promise: then, catch, finally", async () => {
    assertEquals(await add(1, 2).then((v) => v * 10), 30);
    const caught = await fail("caught").catch((e: Error) => `caught: ${e.message}`);
    assertEquals(caught, "caught: caught");
    let ran = 0;
    assertEquals(await add(2, 2).finally(() => ran++), 4);
    await assertRejects(() => fail("after finally").finally(() => ran++));
    assertEquals(ran, 2);
    assertEquals(Object.prototype.toString.call(add(0, 0)), "[object Future]");
  });
  // Monitoring on: task events list the Files among inputs, whatever else they hold.
}, { monitoring: new EventLog() });
