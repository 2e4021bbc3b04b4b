// Entry of the bundle (dist/tsflow.js), which is both the program and the library: run it and
// the CLI starts (`./tsflow.js run flow.ts`); import it and a workflow gets the public API
// (`import { app } from "./tsflow.js"`). When the bundle runs a workflow that imports that same
// file, both are one module instance: one copy of tsflow in the process.
import { runProgram } from "../main.ts";

export * from "../mod.ts";

// Only the bundle's entry module sees its own import.meta.main (esbuild sets it to false in
// every other module), so the program starts here rather than in main.ts.
if (import.meta.main) void runProgram(import.meta.url);
