// Parsl's parsl/tests/test_error_handling scenarios (failures, walltime, retries, retry handlers,
// unserializable arguments, resource specifications) on the ThreadPoolExecutor and the
// HighThroughputExecutor (see docs/parsl-conformance.md).
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import {
  AppTimeout,
  BashExitFailure,
  InvalidResourceSpecification,
  SerializationError,
} from "../../mod.ts";
import { EventLog } from "../dfk/_helpers.ts";
import { noop } from "../dfk/fixtures/apps.ts";
import {
  alwaysFail,
  double,
  failPickling,
  myApp,
  sleepThenFail,
  succeedOnRetry,
} from "./fixtures/parsl_python_apps.ts";
import { onEveryExecutor } from "./_parsl_suite.ts";

const log = new EventLog();
onEveryExecutor("error handling: failures and walltime", async (t, { executor }) => {
  await t.step("test_fail: test_simple", async () => {
    await assertRejects(() => alwaysFail(), RangeError, "should propagate");
  });
  await t.step("test_python_walltime: test_python_walltime", async () => {
    const f = myApp(2);
    await assertRejects(() => f, AppTimeout);
    assertEquals(f.taskState, "failed");
  });
  await t.step("test_python_walltime: test_python_longer_walltime_at_invocation", async () => {
    assertEquals(await myApp.with({ walltime: 6 })(0.01), 7);
  });
  await t.step("test_python_walltime: test_python_walltime_wrapped_names", async () => {
    const f = myApp.with({ walltime: 6 })(0.01);
    assertEquals(await f, 7);
    assertEquals(myApp.appName, "myApp");
    const names = log.events.filter((e) => e.type === "task" && e.taskId === f.taskId)
      .map((e) => (e as { appName: string }).appName);
    assert(names.length > 0 && names.every((n) => n === "myApp"), String(names));
  });
  await t.step(
    "test_resource_spec: keys the executor does not support fail the task",
    async () => {
      for (const spec of [{ cores: 1, memory: 1 }, { cpus: 1, memory: 1, disk: 1 }]) {
        const f = double.with({ resourceSpecification: spec as never })(2);
        const e = await assertRejects(() => f, InvalidResourceSpecification);
        assert(e.invalidKeys.includes("memory"), e.message);
        assert(e.message.includes(executor === "ThreadPoolExecutor" ? "ThreadPool" : "priority"));
      }
      assertEquals(await double.with({ resourceSpecification: {} })(2), 4);
      if (executor === "HighThroughputExecutor") {
        assertEquals(await double.with({ resourceSpecification: { priority: 2 } })(2), 4);
      }
    },
  );
  await t.step("test_serialization_fail: an unserializable argument", async () => {
    function* generator() {
      for (let n = 0;; n++) yield n;
    }
    const f = failPickling(generator());
    const e = await assertRejects(() => f, SerializationError);
    assertEquals(e.path, "args[0]");
    assertEquals(f.taskState, "failed");
    assertEquals(f.task.tryId, 0); // not retried: it can never be sent
  });
}, { monitoring: log, retries: 2 });

onEveryExecutor("error handling: test_retries (retries = 2)", async (t, { dir }) => {
  await t.step("test_fail_nowait: every try fails, the last error is the task's", async () => {
    const fus = Array.from({ length: 10 }, () => sleepThenFail(0.1));
    for (const f of fus) {
      await assertRejects(() => f, TypeError);
      assertEquals(f.task.tryId, 2);
    }
  });
  await t.step("test_fail_delayed: the same behind a dependency", async () => {
    const x = noop();
    const fus = Array.from({ length: 10 }, () => sleepThenFail.with({ inputs: [x] })(0.1));
    for (const f of fus) await assertRejects(() => f, TypeError);
  });
  await t.step("test_retry: a bash app that succeeds on its second try", async () => {
    const f = succeedOnRetry.with({ stdout: `${dir}/stdout` })(`${dir}/retry.out`);
    assertEquals(await f, 0);
    assertEquals(f.task.tryId, 1);
  });
}, { retries: 2 });

onEveryExecutor(
  "error handling: test_retry_handler (each failure costs 0.5)",
  async (t, { dir }) => {
    await t.step("test_retry: 5 tries fit a budget of 2 at 0.5 each, 6 do not", async () => {
      const fname = `${dir}/retry.out`;
      const stdout = `${dir}/succeed.out`;
      assertEquals(await succeedOnRetry.with({ stdout })(fname, 4), 0);
      Deno.removeSync(fname);
      const fu = succeedOnRetry.with({ stdout })(fname, 5);
      const e = await assertRejects(() => fu, BashExitFailure);
      assertEquals(e.exitCode, 5);
      assertEquals(fu.task.tryId, 4);
    });
  },
  { retries: 2, retryHandler: () => 0.5 },
);

onEveryExecutor("error handling: test_retry_handler_failure", async (t) => {
  await t.step("test_retry_handler_exception: the handler's own error fails the task", async () => {
    const f = alwaysFail();
    const e = await assertRejects(() => f);
    assertEquals((e as Error).message, "retry_handler_raises deliberate exception");
  });
}, {
  retryHandler: () => {
    throw new Error("retry_handler_raises deliberate exception");
  },
});
