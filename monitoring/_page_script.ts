/**
 * The browser side of `tsflow visualize`, as a string: a small single-page app over the JSON API
 * (hash routes `#/`, `#/workflow/<run>`, `#/workflow/<run>/task/<id>`). Line charts are uPlot;
 * the task timeline is SVG, one `<g class="lane">` per task with a rectangle per state.
 * It re-fetches every two seconds while a workflow runs, so it follows a live database.
 *
 * @module
 */

/** The page's JavaScript. */
export const PAGE_SCRIPT = String.raw`
"use strict";
const COLORS = {
  unsched: "#f0f0f0", pending: "#a8a8a8", launched: "#64ffff", running: "#0000ff",
  running_ended: "#4040ff", joining: "#8080ff", dep_fail: "#ff80ff", failed: "#c80000",
  exec_done: "#00c800", memo_done: "#40c840", fail_retryable: "#c88080",
};
const FINAL = new Set(["exec_done", "memo_done", "failed", "dep_fail"]);
const $ = (sel, el = document) => el.querySelector(sel);
const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const fmtTime = (ms) => ms == null ? "–" : new Date(ms).toISOString().replace("T", " ").slice(0, 19) + "Z";
const fmtDur = (a, b) => {
  if (a == null || b == null) return "–";
  const s = (b - a) / 1000;
  if (s < 60) return s.toFixed(s < 10 ? 3 : 1) + " s";
  const m = Math.floor(s / 60);
  return m < 60 ? m + " min " + Math.round(s % 60) + " s" : Math.floor(m / 60) + " h " + (m % 60) + " min";
};
const fmtBytes = (b) => b == null ? "–" : b > 1e9 ? (b / 1e9).toFixed(2) + " GB" : b > 1e6 ? (b / 1e6).toFixed(1) + " MB" : (b / 1e3).toFixed(0) + " kB";
const badge = (s) => '<span class="state" style="background:' + (COLORS[s] || "#ddd") + '">' + esc(s) + "</span>";
async function api(path) {
  const r = await fetch("api/" + path);
  if (!r.ok) throw new Error(path + ": " + r.status);
  return r.json();
}

const view = { timer: undefined, filters: { state: "", app: "" }, charts: [] };

function setRefresh(live, fn) {
  clearTimeout(view.timer);
  $("#live").textContent = live ? "live: refreshing every 2 s" : "";
  if (live) view.timer = setTimeout(() => fn().catch(showError), 2000);
}
function showError(e) {
  $("#main").insertAdjacentHTML("afterbegin", '<p class="error">' + esc(e.message || e) + "</p>");
}
function clearCharts() {
  for (const c of view.charts) c.destroy();
  view.charts = [];
}

async function renderList() {
  const rows = await api("workflows");
  clearCharts();
  $("#main").innerHTML = "<h2>Workflows</h2>" + (rows.length === 0 ? '<p class="empty">No workflows yet.</p>' :
    '<table id="workflows"><thead><tr><th>Workflow</th><th>Run id</th><th>Started</th><th>Duration</th><th>Status</th><th>Tasks</th><th>Done</th><th>Failed</th></tr></thead><tbody>' +
    rows.map((w) => '<tr class="workflow-row" data-run="' + esc(w.run_id) + '"><td><a href="#/workflow/' + encodeURIComponent(w.run_id) + '">' + esc(w.workflow_name) + "</a></td><td><code>" + esc(w.run_id) + "</code></td><td>" + fmtTime(w.began) + "</td><td>" + (w.completed ? fmtDur(w.began, w.completed) : "running " + fmtDur(w.began, Date.now())) + "</td><td>" + (w.completed ? "completed" : "running") + '</td><td class="num">' + w.tasks + '</td><td class="num done">' + w.done + '</td><td class="num failed">' + w.failed + "</td></tr>").join("") +
    "</tbody></table>");
  setRefresh(true, renderList);
}

function buildLanes(tl) {
  const lanes = new Map();
  for (let i = 0; i < tl.task.length; i++) {
    let l = lanes.get(tl.task[i]);
    if (!l) lanes.set(tl.task[i], l = []);
    l.push([tl.t[i], tl.state[i]]);
  }
  return lanes;
}

function ganttSvg(tl, lanes, t0, t1, runId) {
  const ids = Object.keys(tl.apps).map(Number);
  const width = Math.max(600, $("#main").clientWidth - 20), left = 70, right = 10;
  const laneH = ids.length > 400 ? 3 : ids.length > 100 ? 6 : 14, gap = laneH > 6 ? 2 : 0;
  const height = ids.length * (laneH + gap) + 30;
  const span = Math.max(1, t1 - t0), x = (t) => left + ((t - t0) / span) * (width - left - right);
  let svg = '<svg id="gantt" width="' + width + '" height="' + height + '" xmlns="http://www.w3.org/2000/svg">';
  const ticks = 6;
  for (let k = 0; k <= ticks; k++) {
    const t = t0 + (span * k) / ticks, xx = x(t);
    svg += '<line x1="' + xx + '" x2="' + xx + '" y1="0" y2="' + (height - 18) + '" class="tick"/><text x="' + xx + '" y="' + (height - 4) + '" class="axis" text-anchor="' + (k === 0 ? "start" : k === ticks ? "end" : "middle") + '">+' + ((t - t0) / 1000).toFixed(span < 10000 ? 2 : 0) + " s</text>";
  }
  ids.forEach((id, row) => {
    const y = row * (laneH + gap);
    const segs = lanes.get(id) || [];
    svg += '<g class="lane" data-task="' + id + '"><title>task ' + id + " " + esc(tl.apps[id]) + "</title>";
    if (laneH >= 10) svg += '<text x="' + (left - 4) + '" y="' + (y + laneH - 3) + '" class="lane-label">' + id + " " + esc(String(tl.apps[id]).slice(0, 8)) + "</text>";
    segs.forEach(([t, s], i) => {
      const end = i + 1 < segs.length ? segs[i + 1][0] : FINAL.has(s) ? t : t1;
      const w = Math.max(FINAL.has(s) ? 3 : 1, x(end) - x(t));
      svg += '<rect class="seg" data-state="' + s + '" x="' + x(t).toFixed(1) + '" y="' + y + '" width="' + w.toFixed(1) + '" height="' + laneH + '" fill="' + (COLORS[s] || "#999") + '"><title>task ' + id + ": " + s + " " + fmtDur(t, end) + "</title></rect>";
    });
    svg += "</g>";
  });
  svg += "</svg>";
  const legend = Object.entries(COLORS).map(([s, c]) => '<span class="key"><i style="background:' + c + '"></i>' + s + "</span>").join("");
  setTimeout(() => {
    for (const g of document.querySelectorAll("#gantt .lane")) {
      g.addEventListener("click", () => location.hash = "#/workflow/" + encodeURIComponent(runId) + "/task/" + g.dataset.task);
    }
  });
  return '<div class="legend">' + legend + "</div>" + svg;
}

function runningSeries(lanes, t0, t1) {
  const ev = [];
  for (const segs of lanes.values()) {
    segs.forEach(([t, s], i) => {
      if (s !== "running") return;
      const end = i + 1 < segs.length ? segs[i + 1][0] : t1;
      ev.push([t, 1], [end, -1]);
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

function chart(el, title, label, data, color) {
  const u = new uPlot({
    title, width: Math.max(400, $("#main").clientWidth - 40), height: 200,
    scales: { x: { time: true } },
    series: [{}, { label, stroke: color, width: 2, fill: color + "22" }],
  }, data, el);
  view.charts.push(u);
  return u;
}

async function renderWorkflow(runId) {
  const [w, tl, tasks, infra] = await Promise.all([
    api("workflow/" + encodeURIComponent(runId)),
    api("workflow/" + encodeURIComponent(runId) + "/timeline"),
    api("workflow/" + encodeURIComponent(runId) + "/tasks?state=" + encodeURIComponent(view.filters.state) + "&app=" + encodeURIComponent(view.filters.app)),
    api("workflow/" + encodeURIComponent(runId) + "/infrastructure"),
  ]);
  clearCharts();
  const lanes = buildLanes(tl);
  const t0 = w.began, last = tl.t.length ? Math.max(...tl.t) : t0;
  const t1 = w.completed ?? Math.max(last, Date.now());
  const stateOpts = ['<option value="">any state</option>'].concat(Object.keys(COLORS).map((s) => "<option" + (s === view.filters.state ? " selected" : "") + ">" + s + "</option>")).join("");
  const appOpts = ['<option value="">any app</option>'].concat(w.apps.map((a) => "<option" + (a.app === view.filters.app ? " selected" : "") + ">" + esc(a.app) + "</option>")).join("");
  $("#main").innerHTML =
    '<p><a href="#/">← workflows</a></p><h2 id="wf-title">' + esc(w.workflow_name) + " <small><code>" + esc(w.run_id) + "</code></small></h2>" +
    '<dl class="meta"><dt>Host</dt><dd>' + esc(w.host) + "</dd><dt>User</dt><dd>" + esc(w.user) + "</dd><dt>Run dir</dt><dd><code>" + esc(w.rundir) + "</code></dd><dt>Started</dt><dd>" + fmtTime(w.began) + "</dd><dt>Duration</dt><dd>" + (w.completed ? fmtDur(w.began, w.completed) : "running") + "</dd><dt>Tasks</dt><dd>" + w.tasks + " (" + w.done + " done, " + w.failed + " failed) " + w.states.map((s) => badge(s.state) + " " + s.n).join(" ") + "</dd></dl>" +
    "<h3>Task timeline</h3>" + (tl.total > Object.keys(tl.apps).length ? '<p class="note">Showing the first ' + Object.keys(tl.apps).length + " of " + tl.total + " tasks.</p>" : "") +
    '<div id="timeline">' + ganttSvg(tl, lanes, t0, t1, runId) + "</div>" +
    '<div id="running-chart"></div>' +
    '<h3>Tasks</h3><div class="filters">Filter: <select id="f-state">' + stateOpts + '</select> <select id="f-app">' + appOpts + "</select> <span>" + tasks.length + " shown</span></div>" +
    '<table id="tasks"><thead><tr><th>Id</th><th>App</th><th>State</th><th>Tries</th><th>Failures</th><th>Invoked</th><th>Duration</th><th>Depends on</th><th>stdout</th><th>stderr</th></tr></thead><tbody>' +
    tasks.map((t) => '<tr class="task-row"><td><a href="#/workflow/' + encodeURIComponent(runId) + "/task/" + t.task_id + '">' + t.task_id + "</a></td><td>" + esc(t.app) + "</td><td>" + badge(t.state) + '</td><td class="num">' + t.tries + '</td><td class="num">' + t.fail_count + "</td><td>" + fmtTime(t.invoked) + "</td><td>" + fmtDur(t.invoked, t.returned) + "</td><td>" + esc(t.depends) + "</td><td><code>" + esc(t.stdout) + "</code></td><td><code>" + esc(t.stderr) + "</code></td></tr>").join("") +
    "</tbody></table>" +
    "<h3>Blocks</h3>" + (infra.blocks.length ? '<table id="blocks"><thead><tr><th>Time</th><th>Executor</th><th>Block</th><th>Job id</th><th>Status</th></tr></thead><tbody>' + infra.blocks.map((b) => "<tr><td>" + fmtTime(b.t) + "</td><td>" + esc(b.executor_label) + "</td><td>" + esc(b.block_id) + "</td><td>" + esc(b.job_id) + "</td><td>" + esc(b.status) + "</td></tr>").join("") + "</tbody></table>" : '<p class="empty">No block events (this executor has no blocks).</p>') +
    "<h3>Nodes</h3>" + (infra.nodes.length ? '<div id="nodes-chart"></div><table id="nodes"><thead><tr><th>Time</th><th>Executor</th><th>Host</th><th>Manager</th><th>Block</th><th>Workers</th><th>CPUs</th><th>Memory</th><th>Active</th><th>Note</th></tr></thead><tbody>' + infra.nodes.map((n) => "<tr><td>" + fmtTime(n.t) + "</td><td>" + esc(n.executor) + "</td><td>" + esc(n.hostname) + "</td><td><code>" + esc(n.uid) + "</code></td><td>" + esc(n.block_id) + '</td><td class="num">' + n.worker_count + '</td><td class="num">' + n.cpu_count + "</td><td>" + fmtBytes(n.total_memory) + "</td><td>" + (n.active ? "yes" : "no") + "</td><td>" + esc(n.reason) + "</td></tr>").join("") + "</tbody></table>" : '<p class="empty">No worker pools recorded.</p>');
  $("#f-state").onchange = (e) => { view.filters.state = e.target.value; renderWorkflow(runId).catch(showError); };
  $("#f-app").onchange = (e) => { view.filters.app = e.target.value; renderWorkflow(runId).catch(showError); };
  if (typeof uPlot !== "undefined" && tl.t.length) {
    chart($("#running-chart"), "Tasks running", "running", runningSeries(lanes, t0, t1), "#0000ff");
    if (infra.nodes.length) {
      const live = new Map(), xs = [], ys = [];
      for (const n of infra.nodes) {
        live.set(n.uid, n.active ? n.worker_count : 0);
        xs.push(n.t / 1000);
        ys.push([...live.values()].reduce((a, b) => a + b, 0));
      }
      chart($("#nodes-chart"), "Connected workers", "workers", [xs, ys], "#008800");
    }
  }
  setRefresh(!w.completed, () => renderWorkflow(runId));
}

async function renderTask(runId, taskId) {
  const d = await api("workflow/" + encodeURIComponent(runId) + "/task/" + taskId);
  clearCharts();
  const t = d.task;
  const deps = String(t.task_depends || "").split(",").filter(Boolean).map((id) => '<a href="#/workflow/' + encodeURIComponent(runId) + "/task/" + id + '">' + id + "</a>").join(", ");
  $("#main").innerHTML =
    '<p><a href="#/workflow/' + encodeURIComponent(runId) + '">← workflow</a></p><h2 id="task-title">Task ' + t.task_id + " <small>" + esc(t.task_func_name) + "</small> " + badge(t.state) + "</h2>" +
    '<dl class="meta"><dt>Invoked</dt><dd>' + fmtTime(t.invoked) + "</dd><dt>Returned</dt><dd>" + fmtTime(t.returned) + " (" + fmtDur(t.invoked, t.returned) + ")</dd><dt>Depends on</dt><dd>" + (deps || "–") + "</dd><dt>Memoized</dt><dd>" + (t.task_memoize === "1" ? "yes" : "no") + " <code>" + esc(t.task_hashsum) + "</code></dd><dt>stdout</dt><dd><code>" + esc(t.task_stdout) + "</code></dd><dt>stderr</dt><dd><code>" + esc(t.task_stderr) + "</code></dd><dt>Inputs</dt><dd><code>" + esc(t.task_inputs) + "</code></dd><dt>Outputs</dt><dd><code>" + esc(t.task_outputs) + "</code></dd><dt>Failures</dt><dd>" + t.task_fail_count + " (cost " + t.task_fail_cost + ")</dd></dl>" +
    '<h3>Tries</h3><table id="tries"><thead><tr><th>Try</th><th>Executor</th><th>Host</th><th>Block</th><th>Worker</th><th>Launched</th><th>Running</th><th>Returned</th><th>Error</th></tr></thead><tbody>' +
    d.tries.map((r) => "<tr><td>" + r.try_id + "</td><td>" + esc(r.task_executor) + "</td><td>" + esc(r.hostname) + "</td><td>" + esc(r.block_id) + "</td><td>" + esc(r.worker_id) + "</td><td>" + fmtTime(r.launched) + "</td><td>" + fmtTime(r.running) + "</td><td>" + fmtTime(r.returned) + '</td><td class="err">' + esc(r.task_fail_history) + "</td></tr>").join("") + "</tbody></table>" +
    '<h3>States</h3><table id="states"><thead><tr><th>Time</th><th>Try</th><th>State</th></tr></thead><tbody>' +
    d.statuses.map((s) => "<tr><td>" + fmtTime(s.t) + "." + String(s.t % 1000).padStart(3, "0") + "</td><td>" + s.try_id + "</td><td>" + badge(s.state) + "</td></tr>").join("") + "</tbody></table>" +
    "<h3>Resources</h3>" + (d.resources.length ? '<div id="cpu-chart"></div><div id="mem-chart"></div>' : '<p class="empty">No resource samples (the task ran shorter than the sampling interval, or sampling is off).</p>');
  if (d.resources.length && typeof uPlot !== "undefined") {
    const xs = d.resources.map((r) => r.t / 1000);
    chart($("#cpu-chart"), "CPU", "CPU %", [xs, d.resources.map((r) => r.cpu)], "#cc3300");
    chart($("#mem-chart"), "Memory", "RSS MB", [xs, d.resources.map((r) => r.rss / 1e6)], "#6600cc");
  }
  setRefresh(!FINAL.has(t.state), () => renderTask(runId, taskId));
}

function route() {
  const h = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  let p;
  if (h[0] === "workflow" && h[2] === "task") p = renderTask(h[1], Number(h[3]));
  else if (h[0] === "workflow" && h[1]) p = renderWorkflow(h[1]);
  else p = renderList();
  p.catch(showError);
}
window.addEventListener("hashchange", () => { view.filters = { state: "", app: "" }; route(); });
route();
`;
