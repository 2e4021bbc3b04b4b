// Parsl's monitoring columns per table (parsl/monitoring/db_manager.py), the specification the
// analyst tests hold tsflow's database to. Written out here, not read from Parsl at test time.
export const PARSL_COLUMNS: Record<string, string[]> = {
  workflow: [
    "run_id",
    "workflow_name",
    "workflow_version",
    "time_began",
    "time_completed",
    "host",
    "user",
    "rundir",
    "tasks_failed_count",
    "tasks_completed_count",
  ],
  status: ["task_id", "task_status_name", "timestamp", "run_id", "try_id"],
  task: [
    "task_id",
    "run_id",
    "task_depends",
    "task_func_name",
    "task_memoize",
    "task_hashsum",
    "task_inputs",
    "task_outputs",
    "task_stdin",
    "task_stdout",
    "task_stderr",
    "task_time_invoked",
    "task_time_returned",
    "task_fail_count",
    "task_fail_cost",
  ],
  try: [
    "try_id",
    "task_id",
    "run_id",
    "block_id",
    "hostname",
    "task_executor",
    "task_try_time_launched",
    "task_try_time_running",
    "task_try_time_returned",
    "task_fail_history",
    "task_joins",
  ],
  node: [
    "id",
    "run_id",
    "hostname",
    "uid",
    "block_id",
    "cpu_count",
    "total_memory",
    "active",
    "worker_count",
    "python_v",
    "timestamp",
    "last_heartbeat",
  ],
  block: ["run_id", "executor_label", "block_id", "job_id", "timestamp", "status"],
  resource: [
    "try_id",
    "task_id",
    "run_id",
    "timestamp",
    "resource_monitoring_interval",
    "psutil_process_pid",
    "psutil_process_cpu_percent",
    "psutil_process_memory_percent",
    "psutil_process_children_count",
    "psutil_process_time_user",
    "psutil_process_time_system",
    "psutil_process_memory_virtual",
    "psutil_process_memory_resident",
    "psutil_process_disk_read",
    "psutil_process_disk_write",
    "psutil_process_status",
    "psutil_cpu_num",
    "psutil_process_num_ctx_switches_voluntary",
    "psutil_process_num_ctx_switches_involuntary",
  ],
};

/** Whether python3 with sqlite3 runs here. */
export const PYTHON: boolean = (() => {
  try {
    return new Deno.Command("python3", { args: ["-c", "import sqlite3"] }).outputSync().success;
  } catch {
    return false;
  }
})();

/** Runs a Python script with arguments; returns its JSON output (throws with stderr on failure). */
export async function runPython(
  script: string,
  ...args: string[]
): Promise<Record<string, unknown>> {
  const res = await new Deno.Command("python3", { args: ["-c", script, ...args] }).output();
  const err = new TextDecoder().decode(res.stderr);
  if (!res.success) throw new Error(`python3 failed: ${err}`);
  return JSON.parse(new TextDecoder().decode(res.stdout));
}
