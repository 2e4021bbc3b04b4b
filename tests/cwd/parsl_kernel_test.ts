// In tests/cwd/: these tests change the process's working directory (Deno.chdir), which test
// files running in parallel in the same process would see; the test task runs this folder alone.
// Parsl scenarios that load and shut down their own kernel (test_context_manager, test_summary,
// test_logging, test_regression's 98, 221, 226 and 3874, integration's default config), on the
// ThreadPoolExecutor and the HighThroughputExecutor (see docs/parsl-conformance.md).
import { assert, assertEquals } from "../_assert.ts";
import { type Config, load, UnresolvableApp } from "../../mod.ts";
import { noop, sleep } from "../dfk/fixtures/apps.ts";
import { double, echoThere } from "../conformance/fixtures/parsl_python_apps.ts";
import { foo } from "../conformance/fixtures/parsl_apps.ts";
import { SUITE_EXECUTORS } from "../conformance/_parsl_suite.ts";
import { inTmpCwd as inCwd } from "../_cwd.ts";

/** Runs `fn` in a fresh folder that is also the working directory (Parsl's `tmpd_cwd`). */
const inTmpCwd = (fn: (dir: string) => Promise<void>) => inCwd("tsflow-parsl-", fn);

for (const [name, make] of SUITE_EXECUTORS) {
  Deno.test(`${name}: test_context_manager: test_within_context_manger`, () =>
    inTmpCwd(async (dir) => {
      {
        await using dfk = await load({ executors: [make()], runDir: "runinfo" });
        assert(dfk.runId);
        assertEquals(await foo.with({ stdout: `${dir}/foo.stdout` })(1, 1, 1), 0);
        assertEquals(Deno.readTextFileSync(`${dir}/foo.stdout`), "1 1 1\n");
      }
      // Parsl: NoDataFlowKernelError "Must first load config", raised by the call itself.
      let thrown: unknown;
      try {
        double(2);
      } catch (e) {
        thrown = e;
      }
      assert(thrown instanceof UnresolvableApp, String(thrown));
      assert(thrown.message.includes("No tsflow kernel is running"));
    }));

  Deno.test(`${name}: test_summary: cleanup logs how many tasks ended in each state`, () =>
    inTmpCwd(async () => {
      const dfk = await load({ executors: [make()], runDir: "runinfo" });
      await noop();
      await double.with({ resourceSpecification: { gpus: 1 } })(1).exception();
      await dfk.cleanup();
      const log = Deno.readTextFileSync(`${dfk.runDir}/tsflow.log`);
      const line = log.split("\n").find((l) => l.includes("Summary of tasks in DFK:"));
      assert(line, log);
      assert(line.includes("exec_done: 1") && line.includes("failed: 1"), line);
    }));

  Deno.test(`${name}: test_initialize_logging: tsflow.log, or none when turned off`, () =>
    inTmpCwd(async () => {
      for (const initializeLogging of [true, false]) {
        const dfk = await load({ executors: [make()], runDir: "runinfo", initializeLogging });
        try {
          const exists = await Deno.stat(`${dfk.runDir}/tsflow.log`).then(() => true, () => false);
          assertEquals(exists, initializeLogging);
        } finally {
          await dfk.cleanup();
        }
      }
    }));

  Deno.test(`${name}: test_98: load leaves the config as it was`, () =>
    inTmpCwd(async () => {
      const config: Config = { executors: [make()], runDir: "runinfo", retries: 1 };
      const executors = [...config.executors!];
      const text = () => JSON.stringify(config, (k, v) => k === "executors" ? undefined : v);
      const before = text();
      const dfk = await load(config);
      await dfk.cleanup();
      assertEquals(text(), before);
      assertEquals(Object.keys(config), ["executors", "runDir", "retries"]);
      assertEquals(config.executors, executors);
    }));

  Deno.test(`${name}: test_221: cleanup with two rounds of tasks in flight finishes`, () =>
    inTmpCwd(async () => {
      const dfk = await load({ executors: [make()], runDir: "runinfo" });
      const round1 = [0, 1].map(() => sleep(100));
      const round2 = round1.map((f) => sleep(f));
      await dfk.cleanup();
      // Every future settles: done, or cancelled by the cleanup.
      await Promise.allSettled([...round1, ...round2]);
      assert([...round1, ...round2].every((f) => f.done()));
    }));

  Deno.test(`${name}: test_226: test_bash_default_arg (stdout set where the app is made)`, () =>
    inTmpCwd(async (dir) => {
      await using _dfk = await load({ executors: [make()], runDir: "runinfo" });
      assertEquals(await echoThere("hello"), 0);
      assertEquals(Deno.readTextFileSync(`${dir}/std.out`).trim(), "hello there");
    }));

  Deno.test(`${name}: test_3874: a second run after the first's run directory is gone`, () =>
    inTmpCwd(async (dir) => {
      for (const n of ["1", "2"]) {
        {
          await using _dfk = await load({ executors: [make()], runDir: `${dir}/${n}` });
          assertEquals(await noop(), undefined);
        }
        Deno.removeSync(`${dir}/${n}`, { recursive: true });
      }
    }));
}

Deno.test("test_parsl_load_default_config: load() with no config runs apps", () =>
  inTmpCwd(async () => {
    await using dfk = await load();
    assertEquals(dfk.config.executors, undefined);
    assertEquals(await double(21), 42);
  }));
