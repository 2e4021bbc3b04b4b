/**
 * Providers: each submits *blocks* (pilot jobs running a worker-pool command) to some resource —
 * this machine, a batch scheduler, Kubernetes — reports their status and cancels them (Parsl's
 * `parsl.providers`). A provider is handed to an executor in the config.
 *
 * @example A local block
 * ```ts
 * import assert from "node:assert/strict";
 * import { LocalProvider } from "./mod.ts";
 * const p = new LocalProvider({ initBlocks: 1, maxBlocks: 2 });
 * p.scriptDir = Deno.makeTempDirSync();
 * const id = await p.submit("sleep 60", 1, "block-0");
 * await p.cancel([id]);
 * assert.equal((await p.status([id]))[0].state, "CANCELLED");
 * ```
 *
 * @module
 */
export type {
  ExecutionProvider,
  JobState,
  JobStatus,
  ProviderLogger,
  ProviderOptions,
} from "./execution_provider.ts";
export { TERMINAL_JOB_STATES } from "./execution_provider.ts";
export { ScaleOutFailed, SchedulerCommandError, SubmitException } from "./errors.ts";
export {
  blockScript,
  type BlockScriptParts,
  type ResolvedProviderOptions,
} from "./batch_script.ts";
export { commandLine, shellQuote } from "./shell_quote.ts";
export { formatWalltime, walltimeMinutes, walltimeSeconds } from "./_walltime.ts";
export { LocalProvider, type LocalProviderOptions } from "./local_provider.ts";
export {
  type CommandResult,
  runChecked,
  type RunCheckedOptions,
  runCommand,
  type RunCommandOptions,
} from "./command_runner.ts";
export {
  ClusterProvider,
  type ClusterProviderOptions,
  type HeaderParams,
} from "./cluster_provider.ts";
export { SlurmProvider, type SlurmProviderOptions } from "./slurm_provider.ts";
export { GridEngineProvider, type GridEngineProviderOptions } from "./grid_engine_provider.ts";
export { PBSProProvider, type PBSProProviderOptions } from "./pbspro_provider.ts";
export { TorqueProvider, type TorqueProviderOptions } from "./torque_provider.ts";
export { LSFProvider, type LSFProviderOptions } from "./lsf_provider.ts";
export { CondorProvider, type CondorProviderOptions } from "./condor_provider.ts";
export {
  type KubernetesPod,
  KubernetesProvider,
  type KubernetesProviderOptions,
} from "./kubernetes_provider.ts";
