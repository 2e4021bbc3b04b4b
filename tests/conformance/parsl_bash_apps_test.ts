// Parsl's parsl/tests/test_bash_apps scenarios that tsflow covers (see
// docs/parsl-conformance.md), on the ThreadPoolExecutor and the HighThroughputExecutor.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { AUTO_LOGNAME, BadStdStreamFile, type StdStream } from "../../mod.ts";
import {
  echoToFile,
  echoToStreams,
  foo,
  identity,
  outputToStds,
  sumInputs,
} from "./fixtures/parsl_apps.ts";
import { DataFuture, File } from "../../mod.ts";
import { onEveryExecutor } from "./_parsl_suite.ts";

const lines = (path: string) => Deno.readTextFileSync(path).split("\n").filter((l) => l).length;

onEveryExecutor("bash apps: std streams", async (t, { dfk, dir }) => {
  await t.step("test_bad_stdout_specs: a malformed spec fails the task, naming it", async () => {
    // Parsl's speclist; ['t3.out', 'w'] (a list, not a tuple) is the valid form in TypeScript.
    const bad = [
      ["t4.out", null],
      [42, "w"],
      ["t6.out", "w", 42],
      ["t7.out"],
      ["t8.out", "badmode"],
      42,
    ] as unknown as StdStream[];
    for (const spec of bad) {
      const f = echoToStreams.with({ stdout: spec, stderr: `${dir}/t.err` })("Hello world");
      const e = await assertRejects(() => f, BadStdStreamFile);
      assert(e.message.includes(JSON.stringify(spec)), e.message);
      assertEquals(f.taskState, "failed");
    }
  });
  await t.step(
    "test_bad_stdout_file / test_bad_stderr_file: BadStdStreamFile names the path",
    async () => {
      Deno.writeTextFileSync(`${dir}/plain`, "a file, not a folder");
      const o = `${dir}/plain/dir/t2.out`;
      const e1 = await assertRejects(
        () => echoToStreams.with({ stdout: o, stderr: `${dir}/t.err` })("Hello world"),
        BadStdStreamFile,
      );
      assertEquals(e1.path, o);
      const err = `${dir}/plain/dir/t2.err`;
      const e2 = await assertRejects(
        () => echoToStreams.with({ stderr: err })("Hello world"),
        BadStdStreamFile,
      );
      assertEquals(e2.path, err);
      assert(e2.message.includes(err));
    },
  );
  await t.step("test_stdout_truncate: [path, 'w'] truncates", async () => {
    const out: StdStream = [`${dir}/t1w.out`, "w"];
    await echoToStreams.with({ stdout: out, stderr: `${dir}/t1w.err` })("hi");
    await echoToStreams.with({ stdout: out, stderr: `${dir}/t1w.err` })("hi");
    assertEquals(lines(`${dir}/t1w.out`), 1);
  });
  await t.step("test_stdout_append: a plain path appends (Parsl's default mode)", async () => {
    const out = `${dir}/t1.out`;
    await echoToStreams.with({ stdout: out, stderr: `${dir}/t1.err` })("hi");
    assertEquals(lines(out), 1);
    await echoToStreams.with({ stdout: out, stderr: `${dir}/t1.err` })("hi");
    assertEquals(lines(out), 2);
    assertEquals(lines(`${dir}/t1.err`), 2);
  });
  await t.step("missing parent folders of a std stream are created", async () => {
    const out = `${dir}/new/deeper/x.out`;
    await echoToStreams.with({ stdout: out })("deep");
    assertEquals(Deno.readTextFileSync(out), "deep\n");
  });
  await t.step("test_command_format_1: default arguments reach the command", async () => {
    const out = `${dir}/outputs/foo-std.out`;
    assertEquals(await foo.with({ stdout: out })(1, 4), 0);
    assertEquals(Deno.readTextFileSync(out).trim(), "1 4 10");
  });
  await t.step(
    "test_auto_log_filename_format: AUTO_LOGNAME names a file in the run dir",
    async () => {
      const y = 1000 + Math.floor(Math.random() * 1e6);
      const f = foo.with({ stdout: AUTO_LOGNAME })(1, y);
      assertEquals(await f, 0);
      const path = f.stdout;
      assert(typeof path === "string", `stdout is ${String(path)}`);
      assert(path.startsWith(`${dfk.runDir}/task_logs/0000/`), path);
      assert(/\/task_\d{4,}_foo\.stdout$/.test(path), path);
      assertEquals(Deno.readTextFileSync(path), `1 ${y} 10\n`);
    },
  );
  await t.step("test_inputs_default (bash): futures in inputs, AUTO_LOGNAME stdout", async () => {
    const f = sumInputs.with({ inputs: [identity(1), identity(2)], stdout: AUTO_LOGNAME })();
    await f;
    assertEquals(Number(Deno.readTextFileSync(f.stdout as string)), 3);
  });
  await t.step("test_stdout_staging_file: a File as stdout has a DataFuture", async () => {
    const basename = `${dir}/stdout.txt`;
    const errFile = new File(`${dir}/stds/stderr.txt`);
    const f = outputToStds.with({ stdout: new File(`file://${basename}`), stderr: errFile })();
    assert(f.stdout instanceof DataFuture && f.stderr instanceof DataFuture);
    assertEquals((await f.stdout).filepath, basename);
    assertEquals(Deno.readTextFileSync(basename), "hello\n");
    assertEquals(Deno.readTextFileSync((await f.stderr).filepath), "goodbye\n");
    assertEquals(errFile.localPath, undefined);
  });
  await t.step("test_parallel_for: plain-string inputs, File outputs, std files", async () => {
    const outdir = `${dir}/outputs/test_parallel`;
    const futs = Array.from({ length: 3 }, (_, i) =>
      echoToFile.with({
        inputs: [`Hello World ${i}`],
        outputs: [new File(`${outdir}/out.${i}.txt`)],
        stdout: `${outdir}/std.${i}.out`,
        stderr: `${outdir}/std.${i}.err`,
      })());
    await Promise.all(futs);
    const outs = [...Deno.readDirSync(outdir)].filter((e) => e.name.endsWith(".out"));
    assertEquals(outs.length, 3);
    assertEquals(Deno.readTextFileSync(`${outdir}/out.1.txt`), "Hello World 1\n");
  });
});
