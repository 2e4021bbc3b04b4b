// Reads tries' worker times back from the status table, as Parsl's plots do.
import type { DatabaseSync } from "node:sqlite";

/** [running, running_ended] per try, in epoch ms, from the status table. */
export function runningIntervals(db: DatabaseSync, runId: string): [number, number][] {
  const rows = db.prepare(
    `SELECT task_id, try_id, task_status_name AS s,
            (julianday(timestamp, 'utc') - 2440587.5) * 86400000.0 AS t
     FROM status WHERE run_id = ? AND task_status_name IN ('running', 'running_ended')
     ORDER BY timestamp, rowid`,
  ).all(runId) as { task_id: number; try_id: number; s: string; t: number }[];
  const open = new Map<string, number>();
  const out: [number, number][] = [];
  for (const r of rows) {
    const k = `${r.task_id}.${r.try_id}`;
    if (r.s === "running") open.set(k, r.t);
    else if (open.has(k)) out.push([open.get(k)!, r.t]), open.delete(k);
  }
  return out;
}

/** Most intervals open at once (an end at the same instant as a start counts first). */
export function maxConcurrent(intervals: [number, number][]): number {
  const ev = intervals.flatMap(([a, b]) => [[a, 1], [b, -1]] as [number, number][]);
  ev.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let n = 0, most = 0;
  for (const [, d] of ev) most = Math.max(most, n += d);
  return most;
}
