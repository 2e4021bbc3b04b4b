/// <reference lib="dom" />
/**
 * The task timeline of the `tsflow visualize` workflow page: an SVG with one `<g class="lane">`
 * per task and one rectangle per state it passed through, plus the colour legend.
 *
 * @module
 */
import { esc, fmtDur } from "./format.ts";
import { isFinalState, STATE_COLORS, stateColor } from "./state_colors.ts";
import type { Lane, TimelineColumns } from "./timeline.ts";

/**
 * The legend and the timeline SVG; clicking a lane opens that task's page.
 *
 * @param tl The timeline columns (which tasks are shown, and their apps).
 * @param lanes State changes per task.
 * @param t0 Left edge, ms.
 * @param t1 Right edge, ms.
 * @param runId The run, for task links.
 * @param width Drawing width in pixels.
 * @returns HTML.
 */
export function ganttSvg(
  tl: TimelineColumns,
  lanes: ReadonlyMap<number, Lane>,
  t0: number,
  t1: number,
  runId: string,
  width: number,
): string {
  const ids = Object.keys(tl.apps).map(Number);
  const left = 70, right = 10;
  const laneH = ids.length > 400 ? 3 : ids.length > 100 ? 6 : 14, gap = laneH > 6 ? 2 : 0;
  const height = ids.length * (laneH + gap) + 30;
  const span = Math.max(1, t1 - t0);
  const x = (t: number) => left + ((t - t0) / span) * (width - left - right);
  let svg = '<svg id="gantt" width="' + width + '" height="' + height +
    '" xmlns="http://www.w3.org/2000/svg">';
  const ticks = 6;
  for (let k = 0; k <= ticks; k++) {
    const t = t0 + (span * k) / ticks, xx = x(t);
    const anchor = k === 0 ? "start" : k === ticks ? "end" : "middle";
    svg += '<line x1="' + xx + '" x2="' + xx + '" y1="0" y2="' + (height - 18) +
      '" class="tick"/><text x="' + xx + '" y="' + (height - 4) + '" class="axis" text-anchor="' +
      anchor + '">+' + ((t - t0) / 1000).toFixed(span < 10000 ? 2 : 0) + " s</text>";
  }
  ids.forEach((id, row) => {
    const y = row * (laneH + gap);
    const segs = lanes.get(id) || [];
    svg += '<g class="lane" data-task="' + id + '"><title>task ' + id + " " + esc(tl.apps[id]) +
      "</title>";
    if (laneH >= 10) {
      svg += '<text x="' + (left - 4) + '" y="' + (y + laneH - 3) + '" class="lane-label">' + id +
        " " + esc(String(tl.apps[id]).slice(0, 8)) + "</text>";
    }
    segs.forEach(([t, s], i) => {
      const end = i + 1 < segs.length ? segs[i + 1][0] : isFinalState(s) ? t : t1;
      const w = Math.max(isFinalState(s) ? 3 : 1, x(end) - x(t));
      svg += '<rect class="seg" data-state="' + s + '" x="' + x(t).toFixed(1) + '" y="' + y +
        '" width="' + w.toFixed(1) + '" height="' + laneH + '" fill="' + stateColor(s, "#999") +
        '"><title>task ' + id + ": " + s + " " + fmtDur(t, end) + "</title></rect>";
    });
    svg += "</g>";
  });
  svg += "</svg>";
  const legend = Object.entries(STATE_COLORS).map(([s, c]) =>
    '<span class="key"><i style="background:' + c + '"></i>' + s + "</span>"
  ).join("");
  // The SVG is not in the document yet: attach the lane links once the caller has inserted it.
  setTimeout(() => {
    for (const g of document.querySelectorAll<SVGGElement>("#gantt .lane")) {
      g.addEventListener("click", () => {
        location.hash = "#/workflow/" + encodeURIComponent(runId) + "/task/" + g.dataset.task;
      });
    }
  });
  return '<div class="legend">' + legend + "</div>" + svg;
}
