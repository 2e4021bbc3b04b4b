// Every example runs through `tsflow run` (main.ts) and prints what its header promises.
import { assert, assertEquals } from "../_assert.ts";

const root = new URL("../../", import.meta.url);

async function run(example: string, ...args: string[]): Promise<string> {
  const cwd = await Deno.makeTempDir({ prefix: "tsflow-example-" });
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("main.ts", root).pathname,
      "run",
      new URL(example, root).pathname,
      ...args,
    ],
    cwd,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(120_000),
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  assert(Deno.statSync(`${cwd}/runinfo/000`).isDirectory, "the run wrote runinfo/000");
  return text;
}

Deno.test("examples/add.ts runs add and twice(add) on a HighThroughputExecutor block", async () => {
  assertEquals(await run("examples/add.ts"), "add(5, 3) = 8\ntwice(add(5, 3)) = 16\n");
});

Deno.test("examples/fan_out_fan_in.ts sums squares", async () => {
  assertEquals(
    await run("examples/fan_out_fan_in.ts", "--", "10"),
    "sum of squares below 10 = 285\n",
  );
});

Deno.test("examples/bash_pipeline.ts chains bash apps through files", async () => {
  assert(/^1000 numbers, smallest \d+\n/.test(await run("examples/bash_pipeline.ts")));
});

Deno.test("examples/join.ts unfolds fibonacci into join tasks", async () => {
  assertEquals(await run("examples/join.ts", "--", "10"), "fibonacci(10) = 55\n");
});
