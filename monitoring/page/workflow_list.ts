/// <reference lib="dom" />
/**
 * The `#/` view of `tsflow visualize`: every workflow in the database, newest first.
 *
 * @module
 */
import { $, clearCharts, setRefresh } from "./_dom.ts";
import { api, type WorkflowRow } from "./api.ts";
import { esc, fmtDur, fmtTime } from "./format.ts";

/** Renders the workflow list, and keeps refreshing it so new runs appear by themselves. */
export async function renderList(): Promise<void> {
  const rows = await api<WorkflowRow[]>("workflows");
  clearCharts();
  $("#main").innerHTML = "<h2>Workflows</h2>" +
    (rows.length === 0
      ? '<p class="empty">No workflows yet.</p>'
      : '<table id="workflows"><thead><tr><th>Workflow</th><th>Run id</th><th>Started</th><th>Duration</th><th>Status</th><th>Tasks</th><th>Done</th><th>Failed</th></tr></thead><tbody>' +
        rows.map((w) =>
          '<tr class="workflow-row" data-run="' + esc(w.run_id) + '"><td><a href="#/workflow/' +
          encodeURIComponent(w.run_id) + '">' + esc(w.workflow_name) + "</a></td><td><code>" +
          esc(w.run_id) + "</code></td><td>" + fmtTime(w.began) + "</td><td>" +
          (w.completed ? fmtDur(w.began, w.completed) : "running " + fmtDur(w.began, Date.now())) +
          "</td><td>" + (w.completed ? "completed" : "running") + '</td><td class="num">' +
          w.tasks + '</td><td class="num done">' + w.done + '</td><td class="num failed">' +
          w.failed + "</td></tr>"
        ).join("") +
        "</tbody></table>");
  setRefresh(true, renderList);
}
