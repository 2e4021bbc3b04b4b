/**
 * The compact form in which a worker sends its start/end samples with a task's result: one flat
 * array of numbers (and the status word), since a result crosses three processes and an object
 * of named fields per sample would cost more to encode than the task itself.
 *
 * @module
 */
import type { ResourceEvent } from "../dfk/monitoring_event.ts";
import type { ProcSample } from "../monitoring/proc_sampler.ts";

/** Values per sample in the flat array. */
export const SAMPLE_STRIDE = 15;

/** A sample's fields as a {@linkcode ResourceEvent} carries them (without the task's ids). */
export type SampleFields = Omit<ResourceEvent, "type" | "runId" | "taskId" | "tryId">;

/**
 * Appends one sample, taken at `time`, to a flat array.
 *
 * @param out The array.
 * @param s The sample.
 * @param time When it was taken (ms epoch).
 *
 * @example
 * ```ts
 * import { packSample, unpackSamples } from "./_sample_wire.ts";
 * import { sampleProcess } from "../monitoring/proc_sampler.ts";
 * import assert from "node:assert/strict";
 * const out: (number | string)[] = [];
 * packSample(out, sampleProcess(Deno.pid)!, 5);
 * assert.equal(unpackSamples(out, "h")[0].time, 5);
 * ```
 */
export function packSample(out: (number | string)[], s: ProcSample, time: number): void {
  out.push(
    time,
    s.pid,
    s.cpuPercent,
    s.cpuUser,
    s.cpuSystem,
    s.memoryRss,
    s.memoryVms,
    s.memoryPercent,
    s.readBytes,
    s.writeBytes,
    s.childrenCount,
    s.cpuNum,
    s.ctxSwitchesVoluntary,
    s.ctxSwitchesInvoluntary,
    s.processStatus,
  );
}

/**
 * Reads the samples of a flat array back.
 *
 * @param a The array.
 * @param hostname Where they were taken.
 * @returns One entry per sample.
 *
 * @example
 * ```ts
 * import { unpackSamples } from "./_sample_wire.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(unpackSamples([], "h"), []);
 * ```
 */
export function unpackSamples(a: readonly (number | string)[], hostname?: string): SampleFields[] {
  const out: SampleFields[] = [];
  const n = (i: number) => a[i] as number;
  for (let i = 0; i + SAMPLE_STRIDE <= a.length; i += SAMPLE_STRIDE) {
    out.push({
      time: n(i),
      pid: n(i + 1),
      cpuPercent: n(i + 2),
      cpuUser: n(i + 3),
      cpuSystem: n(i + 4),
      memoryRss: n(i + 5),
      memoryVms: n(i + 6),
      memoryPercent: n(i + 7),
      readBytes: n(i + 8),
      writeBytes: n(i + 9),
      childrenCount: n(i + 10),
      cpuNum: n(i + 11),
      ctxSwitchesVoluntary: n(i + 12),
      ctxSwitchesInvoluntary: n(i + 13),
      processStatus: String(a[i + 14]),
      hostname,
    });
  }
  return out;
}
