// Parsl's parsl/tests/test_staging scenarios that need a staging provider of their own (see
// docs/parsl-conformance.md): test_elaborate_noop_file.py, run on the ThreadPoolExecutor as in
// Parsl and on the HighThroughputExecutor (its `storageAccess`).
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { File, load } from "../../mod.ts";
import { readArg, touch } from "./fixtures/parsl_apps.ts";
import { NoOpError, NoOpTestingFileStaging } from "./fixtures/noop_staging.ts";
import { SUITE_EXECUTORS } from "./_parsl_suite.ts";

/** Loads a kernel whose one executor stages file:// through `staging`, runs `body`, cleans up. */
async function withNoOpStaging(
  make: (typeof SUITE_EXECUTORS)[number][1],
  staging: NoOpTestingFileStaging,
  body: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "tsflow-parsl-noop-" }));
  const dfk = await load({
    executors: [make([staging])],
    runDir: `${dir}/runinfo`,
    strategy: "none",
  });
  try {
    await body(dir);
  } finally {
    await dfk.cleanup();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

for (const [name, make] of SUITE_EXECUTORS) {
  Deno.test(`${name}: test_elaborate_noop_file test_regression_stage_out_does_not_stage_in`, async () => {
    const staging = new NoOpTestingFileStaging({ allowStageIn: false });
    await withNoOpStaging(make, staging, async (dir) => {
      // The helper app runs with no staging at all.
      await touch.with({ outputs: [] })(`${dir}/test.1`);
      assertEquals(staging.requests, []);
      // Stage-out only: the provider is asked to stage out, never in (stage-in would throw).
      const fpath = `${dir}/test.2`;
      const f = touch.with({ outputs: [new File(fpath)] })(fpath);
      await f;
      assertEquals(await f.outputs[0], f.outputs[0].file);
      assert(Deno.statSync(fpath).isFile);
      assertEquals(staging.requests.map((r) => [r.direction, r.path]), [["out", fpath]]);
      // The stage-out task ran before the app's future completed.
      assertEquals(await staging.requests[0].task, null);
      // A stage-in failure reaches the caller.
      const err = await assertRejects(
        () => touch.with({ inputs: [new File(`${dir}/test.3`)] })(`${dir}/test.3`),
        NoOpError,
        "prohibit stage in",
      );
      assert(err instanceof NoOpError);
      assertEquals(staging.requests.map((r) => r.direction), ["out", "in"]);
      assertEquals(staging.requests[1].task, undefined);
    });
  });

  Deno.test(`${name}: test_elaborate_noop_file test_regression_stage_in_does_not_stage_out`, async () => {
    const staging = new NoOpTestingFileStaging({ allowStageOut: false });
    await withNoOpStaging(make, staging, async (dir) => {
      const fpath = `${dir}/test.4`;
      Deno.writeTextFileSync(fpath, "test");
      // Stage-in only: the provider is asked to stage in, never out (stage-out would throw).
      assertEquals(await readArg(new File(fpath)), "test");
      assertEquals(staging.requests.map((r) => [r.direction, r.path]), [["in", fpath]]);
      assertEquals(await staging.requests[0].task, null);
      // The same through `inputs` (a bash app): still nothing is staged out.
      await touch.with({ inputs: [new File(fpath)] })(`${dir}/test.4b`);
      assertEquals(staging.requests.map((r) => r.direction), ["in", "in"]);
      assert(Deno.statSync(`${dir}/test.4b`).isFile);
      // A stage-out failure reaches the caller.
      await assertRejects(
        () => touch.with({ outputs: [new File(`${dir}/test.5`)] })(`${dir}/test.5`),
        NoOpError,
        "prohibit stage out",
      );
      assertEquals(staging.requests.map((r) => r.direction), ["in", "in", "out"]);
    });
  });
}
