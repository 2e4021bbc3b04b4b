/**
 * The data behind the `tsflow visualize` task timeline: state changes grouped per task, and the
 * number of tasks running over time. Pure functions over the timeline API's columns.
 *
 * @module
 */

/** The `/api/workflow/<run>/timeline` answer: state changes as columns, plus task → app. */
export interface TimelineColumns {
  /** Task id of each change. */
  task: number[];
  /** State entered. */
  state: string[];
  /** When, ms since the epoch. */
  t: number[];
  /** App name of each task shown (keys are task ids). */
  apps: Record<string, string>;
  /** Tasks in the run, shown or not. */
  total: number;
}

/** One task's state changes, oldest first, as `[time ms, state]`. */
export type Lane = [number, string][];

/**
 * Groups a timeline's state changes by task, keeping their order.
 *
 * @param tl The timeline columns.
 * @returns Task id → its changes.
 *
 * @example
 * ```ts
 * import { buildLanes } from "./timeline.ts";
 * import assert from "node:assert/strict";
 * const lanes = buildLanes({ task: [1, 1], state: ["pending", "running"], t: [5, 7], apps: {}, total: 1 });
 * assert.deepEqual(lanes.get(1), [[5, "pending"], [7, "running"]]);
 * ```
 */
export function buildLanes(tl: TimelineColumns): Map<number, Lane> {
  const lanes = new Map<number, Lane>();
  for (let i = 0; i < tl.task.length; i++) {
    let l = lanes.get(tl.task[i]);
    if (!l) lanes.set(tl.task[i], l = []);
    l.push([tl.t[i], tl.state[i]]);
  }
  return lanes;
}

/**
 * Tasks in `running` over time, as uPlot series (seconds, count). A task runs from its `running`
 * change to its next change, or to `t1` if it has none yet; a try with no length at millisecond
 * resolution is not drawn.
 *
 * @param lanes Changes per task.
 * @param t0 Start of the chart, ms.
 * @param t1 End of the chart, ms.
 * @returns `[xs, ys]`: a step at each start and end.
 *
 * @example One worker ends a task and starts the next at the same moment: never two at once
 * ```ts
 * import { runningSeries } from "./timeline.ts";
 * import assert from "node:assert/strict";
 * const lanes = new Map([
 *   [1, [[1000, "running"], [2000, "running_ended"]]],
 *   [2, [[2000, "running"], [3000, "running_ended"]]],
 * ] as [number, [number, string][]][]);
 * const [, ys] = runningSeries(lanes, 0, 4000);
 * assert.equal(Math.max(...ys), 1);
 * ```
 */
export function runningSeries(
  lanes: ReadonlyMap<number, Lane>,
  t0: number,
  t1: number,
): [number[], number[]] {
  const ev: [number, number][] = [];
  for (const segs of lanes.values()) {
    segs.forEach(([t, s], i) => {
      if (s !== "running") return;
      const end = i + 1 < segs.length ? segs[i + 1][0] : t1;
      // A try shorter than the timeline's millisecond has no length to draw; counted, its end
      // would sort before its own start (rule below) and dip the count below zero.
      if (end > t) ev.push([t, 1], [end, -1]);
    });
  }
  // At equal times an end counts before a start: one worker ending a task and starting the next.
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const xs = [t0 / 1000], ys = [0];
  let n = 0;
  for (const [t, d] of ev) {
    n += d;
    xs.push(t / 1000);
    ys.push(n);
  }
  xs.push(t1 / 1000);
  ys.push(n);
  return [xs, ys];
}
