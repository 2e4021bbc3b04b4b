/**
 * Scaling: the job status poller and the strategies (`none`, `simple`, `htex_auto_scale`) that
 * add and remove blocks of executors implementing {@linkcode ScalableExecutor}.
 *
 * @example Scale an executor
 * ```ts ignore
 * // Not run by `deno test --doc`: scales a HighThroughputExecutor's blocks of real worker pools (tests/e2e/providers_local_scaling_test.ts).
 * import { startScaling } from "./mod.ts";
 * const scaling = startScaling([htex], { strategy: "htex_auto_scale", strategyPeriod: 5, maxIdletime: 60 });
 * await scaling.stop();
 * ```
 *
 * @module
 */
export type { ManagerSummary, ScalableExecutor } from "./scalable_executor.ts";
export {
  type BlockView,
  decideScaling,
  type ScalingDecision,
  type ScalingInput,
  type ScalingPolicy,
  type StrategyName,
} from "./decide_scaling.ts";
export {
  type BlockFailureState,
  newBlockFailureState,
  trackBlockFailures,
} from "./block_failures.ts";
export { type ScalingHandle, type ScalingOptions, startScaling } from "./start_scaling.ts";
