/// <reference lib="dom" />
/**
 * The page's shared state and DOM helpers: the element lookup, the refresh timer, error display
 * and the uPlot charts of the current view.
 *
 * @module
 */
// uPlot's own types, for checking only (the bundle drops type imports); the version is the one
// scripts/embed_assets.ts embeds, recorded in dev.lock, never in the deno.lock of what users run.
// deno-lint-ignore no-import-prefix
import type UPlot from "npm:uplot@1.6.32";
import { esc } from "./format.ts";

/**
 * An element of the page; a missing one is a bug in the page, so it throws.
 *
 * @param sel A CSS selector.
 * @returns The first match.
 */
export function $(sel: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(sel);
  if (!el) throw new Error(`the page has no ${sel}`);
  return el;
}

/** The current view: its refresh timer, the task-table filters and its charts. */
export const view: {
  timer: ReturnType<typeof setTimeout> | undefined;
  filters: { state: string; app: string };
  charts: UPlot[];
} = { timer: undefined, filters: { state: "", app: "" }, charts: [] };

/**
 * Shows an error above the current view.
 *
 * @param e What went wrong.
 */
export function showError(e: unknown): void {
  $("#main").insertAdjacentHTML(
    "afterbegin",
    '<p class="error">' + esc((e as Error)?.message || e) + "</p>",
  );
}

/**
 * Re-renders the view in two seconds while it shows something live, and says so in the header.
 *
 * @param live Whether the data can still change.
 * @param fn Renders the view again.
 */
export function setRefresh(live: boolean, fn: () => Promise<void>): void {
  clearTimeout(view.timer);
  $("#live").textContent = live ? "live: refreshing every 2 s" : "";
  if (live) view.timer = setTimeout(() => fn().catch(showError), 2000);
}

/** Destroys the current view's charts before the view is replaced. */
export function clearCharts(): void {
  for (const c of view.charts) c.destroy();
  view.charts = [];
}

/**
 * uPlot, which its own `<script>` defines before the page's runs; undefined if it failed to load
 * (the page then shows its tables without charts).
 *
 * @returns The uPlot constructor, if loaded.
 */
export function uPlotLoaded(): typeof UPlot | undefined {
  return (globalThis as { uPlot?: typeof UPlot }).uPlot;
}

/**
 * Draws a line chart over time into `el`, kept with the view so it is destroyed with it.
 *
 * @param el Where to draw.
 * @param title Chart title.
 * @param label Series label.
 * @param data `[seconds, values]`.
 * @param color Line colour (`#rrggbb`).
 */
export function chart(
  el: HTMLElement,
  title: string,
  label: string,
  data: [number[], number[]],
  color: string,
): void {
  const Plot = uPlotLoaded();
  if (!Plot) return;
  const u = new Plot(
    {
      title,
      width: Math.max(400, $("#main").clientWidth - 40),
      height: 200,
      scales: { x: { time: true } },
      series: [{}, { label, stroke: color, width: 2, fill: color + "22" }],
    },
    data,
    el,
  );
  view.charts.push(u);
}
