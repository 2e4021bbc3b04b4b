/// <reference lib="dom" />
/**
 * The browser side of `tsflow visualize`: a small single-page app over the JSON API, with hash
 * routes `#/`, `#/workflow/<run>` and `#/workflow/<run>/task/<id>`. Line charts are uPlot (loaded
 * by its own script first); the task timeline is SVG. Each view re-fetches every two seconds
 * while its data can change, so the page follows a live database.
 *
 * This is the bundle's entry: `scripts/embed_assets.ts` bundles it into
 * `monitoring/_page_assets.ts`, which the server embeds (a compiled binary reads no files).
 * Files that touch the DOM reference its lib (`/// <reference lib="dom" />`); `deno task check`
 * checks this folder in a run of its own, so the DOM's types never leak into the Deno code's check.
 *
 * @module
 */
import { showError, view } from "./_dom.ts";
import { renderTask } from "./task_view.ts";
import { renderList } from "./workflow_list.ts";
import { renderWorkflow } from "./workflow_view.ts";

function route(): void {
  const h = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  let p: Promise<void>;
  if (h[0] === "workflow" && h[2] === "task") p = renderTask(h[1], Number(h[3]));
  else if (h[0] === "workflow" && h[1]) p = renderWorkflow(h[1]);
  else p = renderList();
  p.catch(showError);
}

globalThis.addEventListener("hashchange", () => {
  view.filters = { state: "", app: "" };
  route();
});
route();
