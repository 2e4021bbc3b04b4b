// Parsl's parsl/tests/test_monitoring/test_viz_colouring.py: the visualizer colours every task
// state (see docs/parsl-conformance.md; the other monitoring rows map to tests/monitoring).
import { assert } from "../_assert.ts";
import { TASK_STATES } from "../../mod.ts";
import { PAGE_SCRIPT } from "../../monitoring/_page_script.ts";

Deno.test("test_viz_colouring: test_all_states_colored", () => {
  const colors = /const COLORS = \{([^}]*)\}/.exec(PAGE_SCRIPT)?.[1] ?? "";
  const named = new Set([...colors.matchAll(/(\w+):\s*"#/g)].map((m) => m[1]));
  for (const s of TASK_STATES) assert(named.has(s), `no colour for state ${s}`);
});
