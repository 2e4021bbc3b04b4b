/**
 * A bash-app pipeline: generate numbers into a file, sort them into another, count the lines.
 * Each step's output File is the next step's input, so tasks chain through DataFutures.
 *
 *   deno run -A main.ts run examples/bash_pipeline.ts
 *
 * @module
 */
import { bashApp, File, taskContext } from "../mod.ts";

/** Writes `n` random numbers to its output file. */
export const generate = bashApp((n: number) =>
  `shuf -i 1-100000 -n ${n} > ${taskContext().outputs[0].filepath}`
);
/** Sorts its input file numerically into its output file. */
export const sortNumbers = bashApp(() => {
  const { inputs, outputs } = taskContext();
  return `sort -n ${inputs[0].filepath} > ${outputs[0].filepath}`;
});
/** Prints the line count and the first line of its input to stdout. */
export const summarize = bashApp(() => {
  const f = taskContext().inputs[0].filepath;
  return `echo "$(wc -l < ${f}) numbers, smallest $(head -n 1 ${f})"`;
});

/** Runs the pipeline in a temporary directory. */
export default async function main(): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tsflow-pipeline-" });
  const raw = generate.with({ outputs: [new File(`${dir}/raw.txt`)] })(1000);
  const sorted = sortNumbers.with({
    inputs: raw.outputs,
    outputs: [new File(`${dir}/sorted.txt`)],
  })();
  await summarize.with({ inputs: sorted.outputs, stdout: `${dir}/summary.txt` })();
  console.log(await Deno.readTextFile(`${dir}/summary.txt`));
}
