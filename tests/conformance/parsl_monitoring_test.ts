// Parsl's parsl/tests/test_monitoring scenarios carried over here (see docs/parsl-conformance.md;
// the other monitoring rows map to tests/monitoring): test_viz_colouring,
// test_htex_init_blocks_vs_monitoring and test_incomplete_futures.
import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals } from "../_assert.ts";
import {
  HighThroughputExecutor,
  load,
  LocalProvider,
  MonitoringHub,
  SimpleLauncher,
  TASK_STATES,
} from "../../mod.ts";
import { STATE_COLORS } from "../../monitoring/page/state_colors.ts";
import { noop } from "../monitoring/fixtures/apps.ts";
import { takeAValue } from "./fixtures/parsl_apps.ts";
import { SUITE_EXECUTORS } from "./_parsl_suite.ts";

Deno.test("test_viz_colouring: test_all_states_colored", () => {
  const named = new Set(Object.keys(STATE_COLORS));
  for (const s of TASK_STATES) assert(named.has(s), `no colour for state ${s}`);
});

for (const strategy of ["none", "simple", "htex_auto_scale"] as const) {
  Deno.test(`test_htex_init_blocks_vs_monitoring: test_row_counts (${strategy})`, async () => {
    const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "tsflow-parsl-blocks-" }));
    const dbPath = `${dir}/monitoring.db`;
    try {
      let runId = "";
      {
        await using dfk = await load({
          runDir: `${dir}/runinfo`,
          executors: [
            new HighThroughputExecutor({
              label: "htex_local",
              coresPerWorker: 1,
              encrypted: true,
              // min and max 0: the one block comes from initBlocks, never from scaling.
              provider: new LocalProvider({
                initBlocks: 1,
                minBlocks: 0,
                maxBlocks: 0,
                launcher: new SimpleLauncher(),
              }),
            }),
          ],
          strategy,
          strategyPeriod: 0.1,
          monitoring: new MonitoringHub({ dbPath }),
        });
        runId = dfk.runId;
        await noop();
      }
      const db = new DatabaseSync(dbPath, { readOnly: true });
      try {
        const one = (sql: string) =>
          Object.values(db.prepare(sql).get({ run_id: runId }) as Record<string, unknown>)[0];
        assertEquals(
          one("SELECT COUNT(DISTINCT block_id) FROM block WHERE run_id = :run_id"),
          1,
          "We should see a single block in this database",
        );
        assertEquals(
          one(
            "SELECT COUNT(*) FROM block WHERE block_id = 0 AND status = 'PENDING' AND run_id = :run_id",
          ),
          1,
          "There should be a single pending status",
        );
        assertEquals(
          one(
            "SELECT COUNT(*) FROM block WHERE block_id = 0 AND status = 'SCALED_IN' AND run_id = :run_id",
          ),
          1,
          "There should be a single cancelled status",
        );
      } finally {
        db.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  });
}

for (const [name, make] of SUITE_EXECUTORS) {
  Deno.test(`${name}: test_incomplete_futures: test_future_representation`, async () => {
    const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "tsflow-parsl-incomplete-" }));
    const dbPath = `${dir}/monitoring.db`;
    try {
      // Parsl passes a TOKEN through a concurrent.futures.Future that has no result yet when the
      // task is submitted; tsflow's plain counterpart is a Promise resolved later.
      const TOKEN = 1 + Math.floor(Math.random() * 1_000_000);
      {
        await using _dfk = await load({
          executors: [make()],
          runDir: `${dir}/runinfo`,
          strategy: "none",
          monitoring: new MonitoringHub({ dbPath }),
        });
        const f1 = Promise.withResolvers<number>();
        const f2 = takeAValue.with({ inputs: [f1.promise] })();
        f1.resolve(TOKEN);
        assertEquals(await f2, TOKEN);
      } // cleanup: every row is in the database
      const db = new DatabaseSync(dbPath, { readOnly: true });
      try {
        assertEquals(db.prepare("SELECT COUNT(*) AS n FROM task").get()!.n, 1);
        const row = db.prepare("SELECT task_inputs FROM task").get()!;
        assertEquals(row.task_inputs, `[${TOKEN}]`);
      } finally {
        db.close();
      }
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  });
}
