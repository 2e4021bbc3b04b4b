/**
 * The HTML shell and stylesheet of `tsflow visualize`, as strings (a compiled binary reads no
 * files at run time). The script is TypeScript in `page/`, bundled into `_page_assets.ts` by
 * `scripts/embed_assets.ts`; uPlot is in `_uplot_assets.ts`.
 *
 * @module
 */

/** The page's stylesheet. */
export const PAGE_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
header { background: #1d3557; color: #fff; padding: 8px 16px; display: flex; gap: 16px; align-items: baseline; }
header h1 { font-size: 18px; margin: 0; }
header a { color: #fff; text-decoration: none; }
#live { margin-left: auto; font-size: 12px; opacity: .8; }
main { padding: 8px 16px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.num { text-align: right; }
td.done { color: #070; } td.failed { color: #a00; } td.err { color: #a00; white-space: pre-wrap; max-width: 40em; }
.state { padding: 0 6px; border-radius: 3px; font-size: 12px; color: #000; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
.legend .key { margin-right: 10px; font-size: 12px; white-space: nowrap; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 3px; border: 1px solid #888; }
#gantt .tick { stroke: #eee; }
#gantt .axis { font-size: 10px; fill: #555; }
#gantt .lane-label { font-size: 10px; text-anchor: end; fill: #333; }
#gantt .lane { cursor: pointer; }
#gantt .lane:hover rect { opacity: .7; }
.error { color: #a00; } .empty, .note { color: #666; font-style: italic; }
`;

/**
 * The HTML page.
 *
 * @param dbPath Database path shown in the header.
 * @returns The document.
 *
 * @example
 * ```ts
 * import { pageHtml } from "./_page.ts";
 * import assert from "node:assert/strict";
 * assert(pageHtml("/x.db").includes("/x.db"));
 * ```
 */
export function pageHtml(dbPath: string): string {
  const safe = dbPath.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tsflow monitoring</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="assets/uplot.css"><link rel="stylesheet" href="assets/page.css">
</head><body>
<header><h1><a href="#/">tsflow monitoring</a></h1><code>${safe}</code><span id="live"></span></header>
<main id="main"><p>Loading…</p></main>
<script src="assets/uplot.js"></script><script src="assets/page.js"></script>
</body></html>`;
}
