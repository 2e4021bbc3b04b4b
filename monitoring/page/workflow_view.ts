/// <reference lib="dom" />
/**
 * The `#/workflow/<run>` view of `tsflow visualize`: the run's facts, the task timeline, the
 * tasks-running and connected-workers charts, and the task, block and node tables.
 *
 * @module
 */
import { $, chart, clearCharts, setRefresh, showError, uPlotLoaded, view } from "./_dom.ts";
import {
  api,
  type Infrastructure,
  type TaskRow,
  type TimelineColumns,
  type WorkflowDetail,
} from "./api.ts";
import { badge, esc, fmtBytes, fmtDur, fmtTime } from "./format.ts";
import { ganttSvg } from "./gantt.ts";
import { STATE_COLORS } from "./state_colors.ts";
import { buildLanes, runningSeries } from "./timeline.ts";

function blocksTable(infra: Infrastructure): string {
  if (!infra.blocks.length) {
    return '<p class="empty">No block events (this executor has no blocks).</p>';
  }
  return '<table id="blocks"><thead><tr><th>Time</th><th>Executor</th><th>Block</th><th>Job id</th><th>Status</th></tr></thead><tbody>' +
    infra.blocks.map((b) =>
      "<tr><td>" + fmtTime(b.t) + "</td><td>" + esc(b.executor_label) + "</td><td>" +
      esc(b.block_id) + "</td><td>" + esc(b.job_id) + "</td><td>" + esc(b.status) + "</td></tr>"
    ).join("") + "</tbody></table>";
}

function nodesTable(infra: Infrastructure): string {
  if (!infra.nodes.length) return '<p class="empty">No worker pools recorded.</p>';
  return '<div id="nodes-chart"></div><table id="nodes"><thead><tr><th>Time</th><th>Executor</th><th>Host</th><th>Manager</th><th>Block</th><th>Workers</th><th>CPUs</th><th>Memory</th><th>Active</th><th>Note</th></tr></thead><tbody>' +
    infra.nodes.map((n) =>
      "<tr><td>" + fmtTime(n.t) + "</td><td>" + esc(n.executor) + "</td><td>" +
      esc(n.hostname) + "</td><td><code>" + esc(n.uid) + "</code></td><td>" + esc(n.block_id) +
      '</td><td class="num">' + n.worker_count + '</td><td class="num">' + n.cpu_count +
      "</td><td>" + fmtBytes(n.total_memory) + "</td><td>" + (n.active ? "yes" : "no") +
      "</td><td>" + esc(n.reason) + "</td></tr>"
    ).join("") + "</tbody></table>";
}

function tasksTable(tasks: TaskRow[], runId: string): string {
  return '<table id="tasks"><thead><tr><th>Id</th><th>App</th><th>State</th><th>Tries</th><th>Failures</th><th>Invoked</th><th>Duration</th><th>Depends on</th><th>stdout</th><th>stderr</th></tr></thead><tbody>' +
    tasks.map((t) =>
      '<tr class="task-row"><td><a href="#/workflow/' + encodeURIComponent(runId) + "/task/" +
      t.task_id + '">' + t.task_id + "</a></td><td>" + esc(t.app) + "</td><td>" +
      badge(t.state) + '</td><td class="num">' + t.tries + '</td><td class="num">' +
      t.fail_count + "</td><td>" + fmtTime(t.invoked) + "</td><td>" +
      fmtDur(t.invoked, t.returned) + "</td><td>" + esc(t.depends) + "</td><td><code>" +
      esc(t.stdout) + "</code></td><td><code>" + esc(t.stderr) + "</code></td></tr>"
    ).join("") +
    "</tbody></table>";
}

/** Connected workers over time: each pool's latest row counts its workers while it is active. */
function workersSeries(infra: Infrastructure): [number[], number[]] {
  const live = new Map<string, number>(), xs: number[] = [], ys: number[] = [];
  for (const n of infra.nodes) {
    live.set(n.uid, n.active ? n.worker_count : 0);
    xs.push(n.t / 1000);
    ys.push([...live.values()].reduce((a, b) => a + b, 0));
  }
  return [xs, ys];
}

/**
 * Renders one workflow, and refreshes it while the run has not completed.
 *
 * @param runId The run.
 */
export async function renderWorkflow(runId: string): Promise<void> {
  const run = "workflow/" + encodeURIComponent(runId);
  const [w, tl, tasks, infra] = await Promise.all([
    api<WorkflowDetail>(run),
    api<TimelineColumns>(run + "/timeline"),
    api<TaskRow[]>(
      run + "/tasks?state=" + encodeURIComponent(view.filters.state) + "&app=" +
        encodeURIComponent(view.filters.app),
    ),
    api<Infrastructure>(run + "/infrastructure"),
  ]);
  clearCharts();
  const lanes = buildLanes(tl);
  const t0 = w.began, last = tl.t.length ? Math.max(...tl.t) : t0;
  const t1 = w.completed ?? Math.max(last, Date.now());
  const stateOpts = ['<option value="">any state</option>'].concat(
    Object.keys(STATE_COLORS).map((s) =>
      "<option" + (s === view.filters.state ? " selected" : "") + ">" + s + "</option>"
    ),
  ).join("");
  const appOpts = ['<option value="">any app</option>'].concat(
    w.apps.map((a) =>
      "<option" + (a.app === view.filters.app ? " selected" : "") + ">" + esc(a.app) +
      "</option>"
    ),
  ).join("");
  const shown = Object.keys(tl.apps).length;
  const width = Math.max(600, $("#main").clientWidth - 20);
  $("#main").innerHTML = '<p><a href="#/">← workflows</a></p><h2 id="wf-title">' +
    esc(w.workflow_name) + " <small><code>" + esc(w.run_id) + "</code></small></h2>" +
    '<dl class="meta"><dt>Host</dt><dd>' + esc(w.host) + "</dd><dt>User</dt><dd>" +
    esc(w.user) + "</dd><dt>Run dir</dt><dd><code>" + esc(w.rundir) +
    "</code></dd><dt>Started</dt><dd>" + fmtTime(w.began) + "</dd><dt>Duration</dt><dd>" +
    (w.completed ? fmtDur(w.began, w.completed) : "running") + "</dd><dt>Tasks</dt><dd>" +
    w.tasks + " (" + w.done + " done, " + w.failed + " failed) " +
    w.states.map((s) => badge(s.state) + " " + s.n).join(" ") + "</dd></dl>" +
    "<h3>Task timeline</h3>" +
    (tl.total > shown
      ? '<p class="note">Showing the first ' + shown + " of " + tl.total + " tasks.</p>"
      : "") +
    '<div id="timeline">' + ganttSvg(tl, lanes, t0, t1, runId, width) + "</div>" +
    '<div id="running-chart"></div>' +
    '<h3>Tasks</h3><div class="filters">Filter: <select id="f-state">' + stateOpts +
    '</select> <select id="f-app">' + appOpts + "</select> <span>" + tasks.length +
    " shown</span></div>" +
    tasksTable(tasks, runId) +
    "<h3>Blocks</h3>" + blocksTable(infra) +
    "<h3>Nodes</h3>" + nodesTable(infra);
  $("#f-state").onchange = (e) => {
    view.filters.state = (e.target as HTMLSelectElement).value;
    renderWorkflow(runId).catch(showError);
  };
  $("#f-app").onchange = (e) => {
    view.filters.app = (e.target as HTMLSelectElement).value;
    renderWorkflow(runId).catch(showError);
  };
  if (uPlotLoaded() && tl.t.length) {
    chart($("#running-chart"), "Tasks running", "running", runningSeries(lanes, t0, t1), "#0000ff");
    if (infra.nodes.length) {
      chart($("#nodes-chart"), "Connected workers", "workers", workersSeries(infra), "#008800");
    }
  }
  setRefresh(!w.completed, () => renderWorkflow(runId));
}
