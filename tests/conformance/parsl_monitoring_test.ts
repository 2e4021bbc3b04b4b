// Parsl's parsl/tests/test_monitoring/test_viz_colouring.py: the visualizer colours every task
// state (see docs/parsl-conformance.md; the other monitoring rows map to tests/monitoring).
import { assert } from "../_assert.ts";
import { TASK_STATES } from "../../mod.ts";
import { STATE_COLORS } from "../../monitoring/page/state_colors.ts";

Deno.test("test_viz_colouring: test_all_states_colored", () => {
  const named = new Set(Object.keys(STATE_COLORS));
  for (const s of TASK_STATES) assert(named.has(s), `no colour for state ${s}`);
});
