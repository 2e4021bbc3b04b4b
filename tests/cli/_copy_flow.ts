// A workflow that exercises apps, futures, files and errors through whatever copy of tsflow it
// imports (`SPEC` is replaced by a path, a URL or the bare name "tsflow").
export const COPY_FLOW = `
import { app, bashApp, BashExitFailure, File, joinApp, taskContext, TSFLOW_VERSION } from "SPEC";

export const add = app((x: number, y: number) => x + y);
export const write = bashApp((text: string) => "echo " + text + " > " + taskContext().outputs[0].filepath);
export const read = app(() => Deno.readTextFileSync(taskContext().inputs[0].filepath).trim());
export const both = joinApp((x: number) => [add(x, 1), add(x, 2)]);
export const exit3 = bashApp(() => "exit 3");
export const where = app(() => import.meta.url);

export default async function main() {
  console.log("add=" + await add(add(1, 2), 3));
  const w = write.with({ outputs: [new File(Deno.cwd() + "/out.txt")] })("hello");
  console.log("read=" + await read.with({ inputs: w.outputs })());
  console.log("file=" + ((await w.outputs[0]) instanceof File));
  console.log("join=" + JSON.stringify(await both(10)));
  try {
    await exit3();
  } catch (e) {
    console.log("bash-error=" + (e instanceof BashExitFailure) + "," + (e as BashExitFailure).exitCode);
  }
  console.log("module=" + await where());
  console.log("version=" + TSFLOW_VERSION);
}
`;

/** The lines the workflow prints when everything works. */
export const COPY_FLOW_OK = [
  "add=6",
  "read=hello",
  "file=true",
  "join=[11,12]",
  "bash-error=true,3",
];
