// Real Chromium (Debian's, installed by scripts/install_chromium.sh) drives `tsflow visualize`
// over a database from a real run: workflow list, workflow page, one timeline bar per task.
// A test-only package, named in full: it is recorded in dev.lock (the tasks' lock), never in the
// deno.lock of what users run.
// deno-lint-ignore no-import-prefix
import { chromium } from "npm:playwright-core@1.65.1";
import { assert, assertEquals } from "../_assert.ts";
import { startVisualizeServer } from "../../monitoring/visualize_server.ts";
import { runMixedWorkflow } from "../monitoring/_workflows.ts";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = await Deno.stat(CHROMIUM).then(() => true, () => false);
// CI installs Chromium with the schedulers (.ci/run): there, a missing one is a failure, not a
// silent skip.
if (!haveChromium && Deno.env.get("TSFLOW_REQUIRE_SCHEDULERS") === "1") {
  throw new Error(`${CHROMIUM} is missing: install it with scripts/install_chromium.sh`);
}
const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;

function launch(profile: string) {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    timeout: 30_000,
  });
}

Deno.test({
  name: "the page follows a live database: a run written after it opened appears by itself",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "tsflow-browser-live-" });
    const dbPath = `${dir}/monitoring.db`;
    const srv = await startVisualizeServer({ db: dbPath, port: 0 });
    const browser = await launch(`${dir}/chromium-profile`);
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(srv.url);
      await page.locator("p.empty").waitFor();
      const { runId } = await runMixedWorkflow(dir, dbPath);
      // No reload: the page's own refresh finds the new run.
      await page.locator(`tr.workflow-row[data-run="${runId}"]`).waitFor({ timeout: 10_000 });
    } finally {
      await browser.close();
      await srv.close();
    }
  },
});

Deno.test({
  name: "the visualizer shows the workflow list, then a timeline with one bar per task",
  ignore: !haveChromium,
  sanitizeResources: false, // playwright keeps pipes to the browser until it exits
  sanitizeOps: false,
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "tsflow-browser-" });
    const dbPath = `${dir}/monitoring.db`;
    const { ids, runId } = await runMixedWorkflow(dir, dbPath);
    const srv = await startVisualizeServer({ db: dbPath, port: 0 });
    // A fresh profile each run; playwright takes it as the persistent context's directory.
    const browser = await launch(`${dir}/chromium-profile`);
    try {
      const page = await browser.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      page.setDefaultTimeout(15_000);
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(srv.url);
      const row = page.locator(`tr.workflow-row[data-run="${runId}"]`);
      await row.waitFor();
      const cells = await row.locator("td").allTextContents();
      assertEquals(cells[6], "11"); // done
      assertEquals(cells[7], "2"); // failed
      assertEquals(cells[4], "completed");

      await row.locator("a").click();
      await page.locator("#gantt").waitFor();
      assertEquals(await page.locator("#gantt .lane").count(), 13);
      // Each lane holds its task's states; the dep_fail task ends in a dep_fail segment.
      const lastState = await page.locator(`#gantt .lane[data-task="${ids.depFail}"] rect.seg`)
        .last().getAttribute("data-state");
      assertEquals(lastState, "dep_fail");
      // uPlot drew the running-tasks chart.
      assertEquals(await page.locator("#running-chart canvas").count() > 0, true);
      assertEquals(await page.locator("#tasks tbody tr").count(), 13);
      Deno.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}visualize_workflow.png`, fullPage: true });

      // Filter the task table, then open the retried task's page.
      await page.selectOption("#f-state", "dep_fail");
      await page.waitForFunction(`document.querySelectorAll("#tasks tbody tr").length === 1`);
      await page.goto(`${srv.url}#/workflow/${runId}/task/${ids.retried}`);
      await page.locator("#tries tbody tr").nth(1).waitFor();
      // Each try shows its own failure, as Parsl's try.task_fail_history holds it.
      const err = (n: number) =>
        page.locator("#tries tbody tr").nth(n).locator("td.err").textContent();
      assert(String(await err(0)).includes("first try fails"), String(await err(0)));
      assertEquals(await err(1), "");
      await page.screenshot({ path: `${ARTIFACTS}visualize_task.png`, fullPage: true });
      assertEquals(errors, []);
    } finally {
      await browser.close();
      await srv.close();
    }
  },
});
