// Without monitoring, running reports exist only for the kernel's running count: a short task
// (whose start rides on its result) emits none, and a long one still emits running and then
// running_ended, so the count goes back to zero.
import { assertEquals } from "../_assert.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import { makeHost, manualPools, reap, startPool, task } from "./_htex_env.ts";
import { waitFor } from "../_wait.ts";

Deno.test("htex without monitoring skips a short task's running pair, keeps a long task's", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "htex-running-" });
  const host = { ...makeHost(dir), monitoringEnabled: false };
  const events = () => host.events.filter((e) => e.type === "try_running");
  const htex = new HighThroughputExecutor({ provider: manualPools(), maxWorkersPerNode: 1 });
  let pool: Deno.ChildProcess | undefined;
  try {
    await htex.start(host);
    pool = startPool(htex, "0");
    const short = task("add", [2, 3]);
    assertEquals(await htex.submit(short), 5);
    assertEquals(events().filter((e) => e.taskId === short.id), []);
    const long = task("sleep", [1]);
    const done = htex.submit(long);
    await waitFor(() => events().some((e) => e.taskId === long.id), 5, "a running report");
    await done;
    const states = events().filter((e) => e.taskId === long.id)
      .map((e) => e.type === "try_running" && e.state);
    assertEquals(states, ["running", "running_ended"]);
  } finally {
    await htex.shutdown();
    await reap(pool);
    await host.logger.close();
    Deno.removeSync(dir, { recursive: true });
  }
});
