/**
 * The JSON API of `tsflow visualize` as the page reads it (served by `visualize_server.ts` from
 * `visualize_queries.ts`; times are ms since the epoch, null when not yet known).
 *
 * @module
 */
export type { TimelineColumns } from "./timeline.ts";

/** A row of `/api/workflows`. */
export interface WorkflowRow {
  run_id: string;
  workflow_name: string;
  began: number;
  completed: number | null;
  host: string;
  user: string;
  rundir: string;
  tasks: number;
  done: number;
  failed: number;
}

/** `/api/workflow/<run>`: the workflow row with counts per state and per app. */
export interface WorkflowDetail extends WorkflowRow {
  states: { state: string; n: number }[];
  apps: { app: string; n: number }[];
}

/** A row of `/api/workflow/<run>/tasks`. */
export interface TaskRow {
  task_id: number;
  app: string;
  state: string;
  invoked: number | null;
  returned: number | null;
  fail_count: number;
  depends: string | null;
  stdout: string | null;
  stderr: string | null;
  tries: number;
}

/** `/api/workflow/<run>/infrastructure`: node (worker pool) and block history. */
export interface Infrastructure {
  nodes: {
    t: number;
    executor: string | null;
    hostname: string;
    uid: string;
    block_id: string | null;
    worker_count: number;
    cpu_count: number;
    total_memory: number | null;
    active: number | boolean;
    reason: string | null;
  }[];
  blocks: {
    t: number;
    executor_label: string;
    block_id: string;
    job_id: string | null;
    status: string;
  }[];
}

/** `/api/workflow/<run>/task/<id>`: one task, its tries, state changes and resource samples. */
export interface TaskDetail {
  task: {
    task_id: number;
    task_func_name: string;
    state: string;
    invoked: number | null;
    returned: number | null;
    task_depends: string | null;
    task_memoize: unknown;
    task_hashsum: string | null;
    task_stdout: string | null;
    task_stderr: string | null;
    task_inputs: string | null;
    task_outputs: string | null;
    task_fail_count: number;
    task_fail_cost: number;
  };
  tries: {
    try_id: number;
    task_executor: string;
    hostname: string | null;
    block_id: string | null;
    worker_id: string | null;
    launched: number | null;
    running: number | null;
    returned: number | null;
    task_fail_history: string | null;
  }[];
  statuses: { state: string; try_id: number; t: number }[];
  resources: { t: number; cpu: number; rss: number }[];
}

/**
 * Fetches one API path (relative to the page, so the page works under any prefix).
 *
 * @param path E.g. `workflows`.
 * @returns The parsed answer.
 * @throws {Error} Naming the path and HTTP status when the server refuses.
 */
export async function api<T>(path: string): Promise<T> {
  const r = await fetch("api/" + path);
  if (!r.ok) throw new Error(path + ": " + r.status);
  return await r.json() as T;
}
