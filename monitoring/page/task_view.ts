/// <reference lib="dom" />
/**
 * The `#/workflow/<run>/task/<id>` view of `tsflow visualize`: one task's facts, its tries with
 * their failures, its state changes and its CPU and memory samples.
 *
 * @module
 */
import { $, chart, clearCharts, setRefresh, uPlotLoaded } from "./_dom.ts";
import { api, type TaskDetail } from "./api.ts";
import { badge, esc, fmtDur, fmtTime } from "./format.ts";
import { isFinalState } from "./state_colors.ts";

/**
 * Renders one task, and refreshes it until the task reaches a final state.
 *
 * @param runId The run.
 * @param taskId The task.
 */
export async function renderTask(runId: string, taskId: number): Promise<void> {
  const run = encodeURIComponent(runId);
  const d = await api<TaskDetail>("workflow/" + run + "/task/" + taskId);
  clearCharts();
  const t = d.task;
  const deps = String(t.task_depends || "").split(",").filter(Boolean).map((id) =>
    '<a href="#/workflow/' + run + "/task/" + id + '">' + id + "</a>"
  ).join(", ");
  $("#main").innerHTML = '<p><a href="#/workflow/' + run +
    '">← workflow</a></p><h2 id="task-title">Task ' + t.task_id + " <small>" +
    esc(t.task_func_name) + "</small> " + badge(t.state) + "</h2>" +
    '<dl class="meta"><dt>Invoked</dt><dd>' + fmtTime(t.invoked) + "</dd><dt>Returned</dt><dd>" +
    fmtTime(t.returned) + " (" + fmtDur(t.invoked, t.returned) +
    ")</dd><dt>Depends on</dt><dd>" + (deps || "–") + "</dd><dt>Memoized</dt><dd>" +
    (t.task_memoize === "1" ? "yes" : "no") + " <code>" + esc(t.task_hashsum) +
    "</code></dd><dt>stdout</dt><dd><code>" + esc(t.task_stdout) +
    "</code></dd><dt>stderr</dt><dd><code>" + esc(t.task_stderr) +
    "</code></dd><dt>Inputs</dt><dd><code>" + esc(t.task_inputs) +
    "</code></dd><dt>Outputs</dt><dd><code>" + esc(t.task_outputs) +
    "</code></dd><dt>Failures</dt><dd>" + t.task_fail_count + " (cost " + t.task_fail_cost +
    ")</dd></dl>" +
    '<h3>Tries</h3><table id="tries"><thead><tr><th>Try</th><th>Executor</th><th>Host</th><th>Block</th><th>Worker</th><th>Launched</th><th>Running</th><th>Returned</th><th>Error</th></tr></thead><tbody>' +
    d.tries.map((r) =>
      "<tr><td>" + r.try_id + "</td><td>" + esc(r.task_executor) + "</td><td>" +
      esc(r.hostname) + "</td><td>" + esc(r.block_id) + "</td><td>" + esc(r.worker_id) +
      "</td><td>" + fmtTime(r.launched) + "</td><td>" + fmtTime(r.running) + "</td><td>" +
      fmtTime(r.returned) + '</td><td class="err">' + esc(r.task_fail_history) + "</td></tr>"
    ).join("") + "</tbody></table>" +
    '<h3>States</h3><table id="states"><thead><tr><th>Time</th><th>Try</th><th>State</th></tr></thead><tbody>' +
    d.statuses.map((s) =>
      "<tr><td>" + fmtTime(s.t) + "." + String(s.t % 1000).padStart(3, "0") + "</td><td>" +
      s.try_id + "</td><td>" + badge(s.state) + "</td></tr>"
    ).join("") + "</tbody></table>" +
    "<h3>Resources</h3>" +
    (d.resources.length
      ? '<div id="cpu-chart"></div><div id="mem-chart"></div>'
      : '<p class="empty">No resource samples (the task ran shorter than the sampling interval, or sampling is off).</p>');
  if (d.resources.length && uPlotLoaded()) {
    const xs = d.resources.map((r) => r.t / 1000);
    chart($("#cpu-chart"), "CPU", "CPU %", [xs, d.resources.map((r) => r.cpu)], "#cc3300");
    chart(
      $("#mem-chart"),
      "Memory",
      "RSS MB",
      [xs, d.resources.map((r) => r.rss / 1e6)],
      "#6600cc",
    );
  }
  setRefresh(!isFinalState(t.state), () => renderTask(runId, taskId));
}
