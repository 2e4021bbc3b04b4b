// Parsl's parsl/tests/test_staging scenarios that tsflow covers (see docs/parsl-conformance.md).
// Parsl runs the local-file ones on every executor and the custom-provider ones (test_1316) on a
// ThreadPoolExecutor only; so do these.
import { assert, assertEquals } from "../_assert.ts";
import { DataFuture, File, type StagingProvider, ThreadPoolExecutor } from "../../mod.ts";
import { withKernel } from "../dfk/_helpers.ts";
import {
  catArg,
  catFiles,
  increment,
  observeInputLocalPath,
  readArg,
  waitAndCreate,
  writeInputName,
} from "./fixtures/parsl_apps.ts";
import { onEveryExecutor } from "./_parsl_suite.ts";

onEveryExecutor("staging: local Files in inputs, outputs and arguments", async (t, { dir }) => {
  await t.step("test_pipeline test_increment: a chain through DataFutures", async () => {
    Deno.writeTextFileSync(`${dir}/test0.txt`, "0\n");
    let prev: (File | DataFuture)[] = [new File(`${dir}/test0.txt`)];
    const outs: File[] = [];
    const futs: DataFuture[] = [];
    for (let i = 1; i < 5; i++) {
      const output = new File(`${dir}/test${i}.txt`);
      outs.push(output);
      const f = increment.with({
        inputs: prev,
        outputs: [output],
        stdout: `${dir}/incr${i}.out`,
        stderr: `${dir}/incr${i}.err`,
      })();
      prev = f.outputs;
      assert(prev[0] instanceof DataFuture);
      futs.push(f.outputs[0]);
    }
    for (const [i, df] of futs.entries()) {
      const file = await df;
      assertEquals(file.localPath, undefined, "the submit side File has no localPath");
      assertEquals(file.filepath, `${dir}/test${i + 1}.txt`);
      assertEquals(Deno.readTextFileSync(file.filepath).trim(), String(i + 1));
    }
    assert(outs.every((o) => o.localPath === undefined));
  });
  await t.step("test_file_apps test_files: String(file) is its path in a command", async () => {
    Deno.writeTextFileSync(`${dir}/a`, "1\n");
    Deno.writeTextFileSync(`${dir}/b`, "2\n");
    const x = catFiles.with({
      inputs: [new File(`${dir}/a`), new File(`${dir}/b`)],
      outputs: [new File(`${dir}/cat_out.txt`)],
    })();
    await x;
    assertEquals(Deno.readTextFileSync(x.outputs[0].filepath).trim(), "1\n2");
  });
  await t.step("test_output_chain_filenames: a DataFuture input keeps its path", async () => {
    const expected = `${dir}/simple-out.txt`;
    const first = increment.with({
      inputs: [new File(`${dir}/test0.txt`)],
      outputs: [new File(expected)],
    })();
    const second = writeInputName.with({
      inputs: [first.outputs[0]],
      outputs: [new File(`${dir}/simple-out2.txt`)],
    })();
    await second;
    assertEquals(Deno.readTextFileSync(`${dir}/simple-out2.txt`).trim(), expected);
  });
  await t.step("a File passed as an ordinary argument is staged and reaches the task", async () => {
    Deno.writeTextFileSync(`${dir}/test.4`, "test");
    const f = new File(`${dir}/test.4`);
    assertEquals(await readArg(f), "test");
    const out = `${dir}/cat-arg.out`;
    await catArg.with({ stdout: out })(f);
    assertEquals(Deno.readTextFileSync(out), "test");
    assertEquals(String(f), `${dir}/test.4`);
  });
});

/** Parsl's test_1316 SP2 provider: sets a localPath on the execution side, launches no task. */
const sp2: StagingProvider = {
  canStageIn: (f) => f.scheme === "sp2",
  canStageOut: (f) => f.scheme === "sp2",
  inTask(file) {
    file.localPath = "./test1.tmp";
    return undefined;
  },
};

Deno.test("test_1316: a provider's localPath reaches the task; the caller's File is untouched", async () => {
  await withKernel({
    executors: [new ThreadPoolExecutor({ storageAccess: [sp2] })],
  }, async () => {
    const file = new File("sp2://test");
    assertEquals(await observeInputLocalPath(file), "./test1.tmp");
    assertEquals(file.localPath, undefined, "the submit side File has no localPath");

    // local_path_setting_preserves_dependency: through an output's DataFuture.
    const produced = new File("sp2://test");
    const wc = waitAndCreate.with({ outputs: [produced] })();
    const p = await observeInputLocalPath(wc.outputs[0]);
    assert(wc.done(), "the producer finished before the consumer");
    assertEquals(p, "./test1.tmp");
    assertEquals(produced.localPath, undefined);
    assertEquals((await wc.outputs[0]).localPath, undefined);
  });
});
