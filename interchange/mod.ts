/**
 * The HighThroughputExecutor and its interchange: the wire protocol (`protocol.ts`, framing in
 * `framing.ts`), the pure task-to-pool matching (`matching.ts`) with its `ManagerSelector`
 * plugins, the interchange process (`tsflow interchange`, {@linkcode runInterchange}) and the
 * driver-side executor ({@linkcode HighThroughputExecutor}).
 *
 * @module
 */
export { HighThroughputExecutor } from "./high_throughput_executor.ts";
export {
  adoptMonitoring,
  type HighThroughputExecutorOptions,
  type ResolvedHtexOptions,
  resolveHtexOptions,
  type SelectorRef,
  workersPerNode,
} from "./htex_options.ts";
export { selectorArg, workerArgs, workerOptions } from "./process_args.ts";
export { hostAddresses, interchangeAddresses, loopbackOnly } from "./interchange_addresses.ts";
export { checkLaunchCmd, fillLaunchCmd, LAUNCH_CMD_PLACEHOLDERS } from "./launch_cmd.ts";
export { loadSelector, runInterchange } from "./interchange_main.ts";
export { type Connection } from "./connection.ts";
export { Interchange, type InterchangeSettings } from "./interchange.ts";
export { BUSY_IDLE_REPORT_MS, PoolReports } from "./pool_reports.ts";
export { PoolLiveness } from "./pool_liveness.ts";
export { type Manager, managerInfo, type ManagerLink, newManager } from "./pool_record.ts";
export {
  type Assignment,
  blockIdSelector,
  type FitsPolicy,
  freeSlots,
  type ManagerSelector,
  type ManagerView,
  matchTasks,
  mostIdleSelector,
  type QueuedTask,
  randomSelector,
  walltimeFits,
} from "./matching.ts";
export {
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  FrameDecoder,
  FrameWriter,
  PRE_AUTH_MAX_FRAME_BYTES,
  readMessages,
} from "./framing.ts";
export { oversizeError, oversizeOutcome } from "./oversize.ts";
export * from "./protocol.ts";
export {
  decodeOutcome,
  decodeTask,
  encodeOutcome,
  encodeTask,
  failedOutcome,
  type TaskMessage,
  type TaskOutcome,
} from "./task_codec.ts";
export { ProtocolError, type ProtocolFault } from "./protocol_error.ts";
export { type QueueEntry, TaskQueue } from "./task_queue.ts";
export { hmacAnswer, makeSecret, SECRET_ENV, verifyAnswer } from "./auth.ts";
