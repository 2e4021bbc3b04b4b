/**
 * What the HighThroughputExecutor does with each message from its interchange: a result settles
 * its try (with the monitoring rows it brings), `running` and `resource` become monitoring rows,
 * and the pools' reports update the executor's pool table.
 *
 * @module
 */
import type { ExecutorHost } from "../dfk/executor.ts";
import { resourceEvent, resultEvents, tryRunning } from "./htex_events.ts";
import type { HtexTries } from "./htex_tries.ts";
import type { PoolTable } from "./pool_table.ts";
import type { InterchangeToExecutor } from "./protocol.ts";
import { decodeOutcome } from "./task_codec.ts";

/** What the inbox works on: the executor's tries and pool table, and its host. */
export interface HtexInboxParts {
  /** The executor's label (monitoring rows). */
  label: string;
  /** Whether tries report `running` (the executor's `reportRunning` option). */
  reportRunning: boolean;
  /** Outstanding tries. */
  tries: HtexTries;
  /** The pools the interchange reports. */
  pools: PoolTable;
  /** The host (the kernel), once the executor has started. */
  host: () => ExecutorHost;
}

/** A message from the interchange, after its `started`. */
export type InterchangeMessage = Exclude<InterchangeToExecutor, { k: "started" }>;

/**
 * Makes the handler of the interchange's messages.
 *
 * @param parts The executor's parts it updates.
 * @returns The handler.
 *
 * @example
 * ```ts
 * import { htexInbox } from "./htex_inbox.ts";
 * import { HtexTries, launchAsPromise } from "./htex_tries.ts";
 * import { PoolTable } from "./pool_table.ts";
 * import { encodeOutcome } from "./task_codec.ts";
 * import type { ExecutorHost } from "../dfk/executor.ts";
 * import assert from "node:assert/strict";
 * const tries = new HtexTries(() => {});
 * tries.open({ send() {}, backlog: 0, flushed: () => Promise.resolve() });
 * const host = { runId: "r", monitoringEnabled: false, emit() {} } as unknown as ExecutorHost;
 * const inbox = htexInbox({
 *   label: "htex", reportRunning: true, tries, pools: new PoolTable("htex"), host: () => host,
 * });
 * const context = {
 *   appName: "add", taskId: 1, tryId: 0, inputs: [], outputs: [], resourceSpecification: {},
 * };
 * const ref = { module: "file:///flow.ts", export: "add" };
 * const task = { id: 1, tryId: 0, ref, kind: "function" as const, args: [1, 2], context };
 * const done = launchAsPromise(task, (t, sink, token) => tries.launch(t, sink, token));
 * inbox({ k: "result", id: 1, b: encodeOutcome({ id: 1, tryId: 0, ok: true, value: 3 }) });
 * assert.equal(await done, 3);
 * ```
 */
export function htexInbox(parts: HtexInboxParts): (m: InterchangeMessage) => void {
  return (m) => {
    const h = parts.host();
    switch (m.k) {
      case "result": {
        const outcome = decodeOutcome(m.b);
        const p = parts.tries.get(m.id);
        // Without monitoring, a short task's `running` and `running_ended` would only add one
        // to the kernel's running count and take it off again: skip both (CPU per task).
        const running = p !== undefined && parts.reportRunning &&
          (p.running || h.monitoringEnabled !== false);
        const samples = h.monitoringEnabled === true;
        if (p && (running || samples)) {
          for (const e of resultEvents(h.runId, parts.label, p, m, outcome, { running, samples })) {
            h.emit(e);
          }
        }
        parts.tries.settle(m.id, outcome.ok, outcome.ok ? outcome.value : outcome.error);
        return;
      }
      case "running": {
        const p = parts.tries.get(m.id);
        if (p) {
          p.running = true;
          h.emit(tryRunning(h.runId, parts.label, p, "running", m.time, m));
        }
        return;
      }
      case "resource": {
        const p = parts.tries.get(m.id);
        if (p) h.emit(resourceEvent(h.runId, p, m));
        return;
      }
      case "node": {
        // Monitoring's node table gets a row when a pool comes, goes, or stops taking tasks.
        const row = parts.pools.node(h.runId, m);
        if (row) h.emit(row);
        return;
      }
      case "managers":
        parts.pools.replace(m.managers);
        return;
      case "hb":
        return;
    }
  };
}
