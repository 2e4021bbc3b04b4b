// Parsl's parsl/tests/test_bash_apps scenarios that tsflow covers (see
// docs/parsl-conformance.md), on the ThreadPoolExecutor and the HighThroughputExecutor.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import {
  AppTimeout,
  AUTO_LOGNAME,
  BadStdStreamFile,
  BashExitFailure,
  type StdStream,
} from "../../mod.ts";
import {
  echoToFile,
  echoToStreams,
  echoZ,
  failOnPresence,
  foo,
  identity,
  multiline,
  oneshotApp,
  outputToStds,
  runCommand,
  sleepy,
  stdoutIgnored,
  sumInputs,
} from "./fixtures/parsl_apps.ts";
import { DataFuture, File } from "../../mod.ts";
import { onEveryExecutor } from "./_parsl_suite.ts";

const exists = (path: string) => {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
};
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

onEveryExecutor("bash apps: commands, exit codes, walltime, memoization", async (t, { dir }) => {
  await t.step("test_error_codes: BashExitFailure carries bash's exit code", async () => {
    const cases: [string, number][] = [
      ["$((5/0))", 1],
      ["exit 15", 15],
      ["catdogcat", 127],
      ["/dev/null", 126],
    ];
    for (const [cmd, code] of cases) {
      const std = { stdout: `${dir}/std.out`, stderr: `${dir}/std.err` };
      const e = await assertRejects(() => runCommand.with(std)(cmd), BashExitFailure);
      assertEquals(e.exitCode, code, cmd);
    }
  });
  await t.step("test_multiline: a multi-line command, its outputs and both streams", async () => {
    const outs = ["hello.txt", "this.txt", "cat.txt"].map((n) => new File(`${dir}/ml/${n}`));
    Deno.mkdirSync(`${dir}/ml`);
    await multiline.with({
      inputs: ["Hello", "This is", "Cat!"],
      outputs: outs,
      stdout: `${dir}/ml/std.out`,
      stderr: `${dir}/ml/std.err`,
    })();
    for (const o of outs) assert(Deno.statSync(o.filepath).isFile, o.filepath);
    assert(Deno.readTextFileSync(`${dir}/ml/std.out`).includes("Testing STDOUT"));
    assert(Deno.readTextFileSync(`${dir}/ml/std.err`).includes("Testing STDERR"));
  });
  await t.step("test_apptimeout: walltime stops the command with AppTimeout", async () => {
    await assertRejects(() => sleepy(60), AppTimeout);
    assertEquals(await sleepy.with({ walltime: 30 })(), 0);
  });
  await t.step("test_kwarg_storage: each call formats its own arguments", async () => {
    const out = `${dir}/kw.out`;
    for (const z of [3, 4, 5]) {
      await echoZ.with({ stdout: [out, "w"] })(z);
      assertEquals(Deno.readTextFileSync(out).trim(), String(z));
    }
    await echoZ.with({ stdout: [out, "w"] })();
    assertEquals(Deno.readTextFileSync(out).trim(), "2");
  });
  await t.step("test_memoize: a repeated cached bash call does not run again", async () => {
    for (const kw of [undefined, { a: 1, b: 2 }]) {
      const temp = new File(`${dir}/memo-${kw ? "kw" : "plain"}.tmp`);
      await failOnPresence.with({ outputs: [temp] })(kw);
      const futs = [1, 2].map(() => failOnPresence.with({ outputs: [temp] })(kw));
      for (const f of futs) assertEquals(await f.exception(), undefined);
    }
  });
  await t.step("test_memoize_ignore_args: ignored arguments and stdout, AUTO_LOGNAME", async () => {
    await oneshotApp(0);
    await oneshotApp(1); // memoized: running it would throw
    const x = `${dir}/test.memo.stdout.x`;
    await stdoutIgnored.with({ stdout: x })();
    assert(Deno.statSync(x).isFile);
    const y = `${dir}/test.memo.stdout.y`;
    await stdoutIgnored.with({ stdout: y })();
    assertEquals(exists(y), false, "memoized: no file written");
    const z = stdoutIgnored.with({ stdout: AUTO_LOGNAME })();
    await z;
    assertEquals(z.taskState, "memo_done");
    assertEquals(exists(z.stdout as string), false);
  });
});

// test_std_uri test_std_autopath_const_*: the config's name generator answers AUTO_LOGNAME.
const CONST = `${Deno.makeTempDirSync({ prefix: "tsflow-autopath-" })}/CONST`;
onEveryExecutor("bash apps: AUTO_LOGNAME through the config's name generator", async (t) => {
  await t.step("test_std_autopath_const_str: the generated path is used as is", async () => {
    await Deno.remove(CONST).catch(() => {});
    const f = outputToStds.with({ stdout: AUTO_LOGNAME })();
    assertEquals(f.stdout, CONST, "known before the task runs");
    await f;
    assertEquals(Deno.readTextFileSync(CONST), "hello\ngoodbye\n");
  });
}, { stdNameGenerator: () => CONST });
