/**
 * Monitoring: the {@linkcode MonitoringHub} that records every task state change, try, resource
 * sample, node and block into a SQLite database with Parsl's tables (`workflow`, `task`, `try`,
 * `status`, `resource`, `block`, `node`), the schema defined once in `schema.ts`, the `/proc`
 * sampler worker pools use for resource rows, and the `tsflow visualize` web UI.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { load, MonitoringHub } from "../mod.ts";
 * const dir = Deno.makeTempDirSync();
 * const dbPath = `${dir}/monitoring.db`;
 * {
 *   await using _dfk = await load({ runDir: dir, monitoring: new MonitoringHub({ dbPath }) });
 * }
 * assert.ok(Deno.statSync(dbPath).isFile);
 * ```
 *
 * @module
 */
export { MonitoringHub, type MonitoringHubOptions } from "./monitoring_hub.ts";
export {
  createStatements,
  dbTime,
  ensureSchema,
  SCHEMA_VERSION,
  schemaVersionOf,
  sqlEpochMs,
  TABLES,
} from "./schema.ts";
export type { ColumnDef, TableDef } from "./schema.ts";
// The /proc samplers (./proc_sampler.ts, ./self_sampler.ts) are imported by path: worker_pool/
// exports a sampler under the same names at the root.
export {
  runVisualize,
  startVisualizeServer,
  type VisualizeOptions,
  type VisualizeServer,
} from "./visualize_server.ts";
export { MonitoringReader, type MonitoringRow, type TaskFilter } from "./visualize_queries.ts";
export type {
  BlockEvent,
  MonitoringEvent,
  MonitoringSink,
  NodeEvent,
  ResourceEvent,
  TaskEvent,
  TryRunningEvent,
  WorkflowEndEvent,
  WorkflowStartEvent,
} from "../dfk/monitoring_event.ts";
export type { TaskState } from "../dfk/states.ts";
