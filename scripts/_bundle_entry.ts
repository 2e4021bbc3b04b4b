// Entry of the bundle (dist/tsflow.js), which is both the program and the library: run it and
// the CLI starts (`./tsflow.js run flow.ts`); import it and a workflow gets the public API
// (`import { app } from "./tsflow.js"`). When the bundle runs a workflow that imports that same
// file, both are one module instance: one copy of tsflow in the process.
import { runProgram } from "../main.ts";

export * from "../mod.ts";

// esbuild initializes mod.ts lazily, and asynchronously when any module under it has a
// top-level await, but does not wait for that on `export *`: awaiting it here makes every
// export ready before a workflow importing the bundle runs.
await import("../mod.ts");

// Only the bundle's entry module sees its own import.meta.main (esbuild sets it to false in
// every other module), so the program starts here rather than in main.ts. Not awaited: a
// workflow run by the bundle imports the bundle, which must have finished evaluating.
if (import.meta.main) void runProgram(import.meta.url);
