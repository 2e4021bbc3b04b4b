import { assert, assertEquals } from "../_assert.ts";
import type { RunningMsg } from "../../interchange/protocol.ts";
import { RunningReports } from "../../worker_pool/running_reports.ts";
import { waitFor } from "../_wait.ts";
import { wallClockMs } from "../../dfk/clock.ts";

Deno.test("running reports: a task ending within the hold sends no message, its start rides on the result", () => {
  const sent: RunningMsg[] = [];
  const reports = new RunningReports((m) => sent.push(m), 10_000);
  // The same clock as the reports (wallClockMs drifts from Date.now() by a millisecond or so).
  const before = wallClockMs();
  reports.started(1, 3);
  const stamp = reports.ended(1);
  assert(
    stamp && stamp.workerId === 3 && stamp.started >= before && stamp.started <= wallClockMs(),
  );
  assertEquals(reports.ended(1), undefined, "a start is carried once");
  reports.stop();
  assertEquals(sent, []);
});

Deno.test("running reports: tasks still running when the hold ends are reported then, once", async () => {
  const sent: RunningMsg[] = [];
  const firstSamples: [number, number][] = [];
  const reports = new RunningReports(
    (m) => sent.push(m),
    30,
    (id, w) => firstSamples.push([id, w]),
  );
  reports.started(1, 0);
  reports.started(2, 1);
  reports.ended(2);
  await waitFor(() => sent.length > 0, 10, "the held report");
  assertEquals(sent.map((m) => [m.id, m.state, m.workerId]), [[1, "running", 0]]);
  assertEquals(firstSamples, [[1, 0]], "the pool samples the still-running task then");
  assertEquals(reports.ended(1), undefined, "reported already: nothing to carry");
  reports.started(3, 0);
  reports.stop(); // stopping drops the held report and its timer
  await new Promise((r) => setTimeout(r, 80));
  assertEquals(sent.length, 1);
});
