/**
 * Launchers: each turns the worker command into the command a block runs, so one pool starts on
 * every node or rank (Parsl's `parsl.launchers`). A launcher is one pure method,
 * `launch(command, tasksPerNode, nodesPerBlock) → string`.
 *
 * @example Pick a launcher for a provider
 * ```ts
 * import { SrunLauncher } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const text = new SrunLauncher().launch("tsflow worker --interchange h:9000", 1, 2);
 * assert(text.includes("srun --ntasks 2"));
 * ```
 *
 * @module
 */
export type { Launcher } from "./launcher.ts";
export type { LauncherOptions } from "./_cmd_file.ts";
export { ScriptLauncher, type ScriptLauncherOptions } from "./script_launcher.ts";
export { SimpleLauncher } from "./simple_launcher.ts";
export { WrappedLauncher } from "./wrapped_launcher.ts";
export { SingleNodeLauncher, type SingleNodeLauncherOptions } from "./single_node_launcher.ts";
export { SrunLauncher, type SrunLauncherOptions } from "./srun_launcher.ts";
export { SrunMPILauncher } from "./srun_mpi_launcher.ts";
export { MpiExecLauncher, type MpiExecLauncherOptions } from "./mpiexec_launcher.ts";
export { MpiRunLauncher, type MpiRunLauncherOptions } from "./mpirun_launcher.ts";
export { AprunLauncher } from "./aprun_launcher.ts";
export { JsrunLauncher } from "./jsrun_launcher.ts";
export { GnuParallelLauncher } from "./gnu_parallel_launcher.ts";
