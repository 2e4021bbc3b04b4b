/**
 * The text of `tsflow --help` and of each mode's `--help`. Kept in one place so the top-level
 * overview and the per-mode pages agree; each page ends with examples. Each page's Options come
 * from its mode's flag schema (`*_flags.ts`), as its parsing does.
 *
 * @module
 */

import { flagHelp } from "./flag_schema.ts";
import { INTERCHANGE_FLAGS } from "./interchange_flags.ts";
import { RUN_FLAGS } from "./run_flags.ts";
import { VISUALIZE_FLAGS } from "./visualize_flags.ts";
import { WORKER_FLAGS } from "./worker_flags.ts";

import { type Mode, MODES } from "./modes.ts";
export { type Mode, MODES };

const OVERVIEW = `tsflow: Parsl's workflow engine, native to Deno and TypeScript

Usage:
  tsflow run <flow.ts> [--config site.yaml] [-- args...]
  tsflow worker --interchange HOST:PORT [options]
  tsflow visualize [--db runinfo/monitoring.db] [--port 8080]
  tsflow interchange [options]            (started by HighThroughputExecutor, not by hand)
  tsflow --version                        tsflow, Deno, V8, TypeScript and protocol versions
  tsflow --help | tsflow <mode> --help    this page, or one mode's page

Modes:
  run          The driver: imports a workflow module, loads its configuration, calls its
               default export, shuts everything down. Exit code 0 when the workflow succeeded.
  worker       A worker pool: one manager plus N worker processes that connect to an
               interchange and run tasks. Providers start it inside batch jobs.
  visualize    A web UI over the monitoring database.
  interchange  Matches tasks to worker pools; one process per HighThroughputExecutor.

The same program runs every mode: the compiled binary (tsflow), the bundle (tsflow.js, run with
Deno) or main.ts from source (deno run -A main.ts <mode> ...).

Examples:
  tsflow run flow.ts
  tsflow run flow.ts --config site.yaml -- --samples 100
  tsflow worker --interchange login1:54000 --secret-file run.secret
  tsflow visualize --db runinfo/monitoring.db --port 8080
  deno run -A main.ts run examples/add.ts
`;

const RUN = `tsflow run: run a workflow (the driver)

Usage:
  tsflow run <flow.ts> [--config site.yaml] [-- args...]

Imports <flow.ts> (a path or URL; a path is made an absolute file:// URL so workers on a shared
filesystem can import the same file), names the apps it exports, loads the configuration,
calls the module's default export with the arguments after "--", waits for its tasks and shuts
down. The module must not start work when imported.

Configuration, first found wins:
  1. --config site.yaml   a YAML file; plugin objects are written {type: ClassName, ...options}
     --config site.ts     or a module exporting "config"
  2. export const config  a Config object exported by the workflow module
  3. a local default      tasks run in a ThreadPoolExecutor on this machine

Options:
${flagHelp(RUN_FLAGS)}
A deno.json beside the workflow (or above it) is honoured: its import map (e.g. "tsflow") applies
to the driver and to every worker. On a terminal, a progress line shows done/failed/running/
pending tasks. Ctrl-C stops the run cleanly (running tasks are cancelled, workers shut down).
Exit codes: 0 success (or the number the default export returns), 1 the workflow failed,
2 bad command line, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).

Example site.yaml:
  retries: 2
  executors:
    - type: HighThroughputExecutor
      label: htex
      provider:
        type: SlurmProvider
        partition: compute
        nodesPerBlock: 2
        launcher: {type: SrunLauncher}

Examples:
  tsflow run flow.ts
  tsflow run flow.ts --config site.yaml
  tsflow run flow.ts -- --input data.csv 42
`;

const WORKER = `tsflow worker: run a worker pool connected to an interchange

Usage:
  tsflow worker --interchange HOST:PORT [options]
  tsflow worker --addresses A,B,... --port PORT [options]

A pool is one manager and its worker processes on one node. It registers with the interchange
(protocol version, host, cores, memory, and an answer proving it knows the run's secret),
receives tasks, runs them in its workers (which import each app's module by URL: keep workflows
on a shared filesystem) and sends results back. Providers start pools inside batch jobs; the
driver's log (runinfo/NNN/) prints the exact command to start one by hand.

The run's secret is read from --secret-file (mode 0600) or the TSFLOW_HTEX_SECRET environment
variable, never from the command line.

Options:
${flagHelp(WORKER_FLAGS)}
Examples:
  tsflow worker --interchange login1:54000 --secret-file ~/.tsflow/run.secret
  TSFLOW_HTEX_SECRET=... tsflow worker --interchange 10.0.0.5:54000 --max-workers-per-node 16
`;

const VISUALIZE = `tsflow visualize: web UI over a monitoring database

Usage:
  tsflow visualize [--db runinfo/monitoring.db] [--port 8080]

Serves pages over the database that monitoring writes (tables workflow, task, try, status,
resource, block, node as in Parsl): workflows, their tasks, states over time, resource use.

Options:
${flagHelp(VISUALIZE_FLAGS)}
Examples:
  tsflow visualize
  tsflow visualize --db /scratch/me/runinfo/monitoring.db --port 9000
`;

const INTERCHANGE = `tsflow interchange: match tasks to worker pools

Usage:
  tsflow interchange [options]

Started by a HighThroughputExecutor when the driver loads its configuration, one process per
executor; you do not start it by hand. It talks to the driver over its standard input and
output, listens for worker pools on TCP, queues tasks, sends them to pools with free capacity,
and relays results, heartbeats and monitoring messages. Its log is in the run directory.

Options (set by the executor):
${flagHelp(INTERCHANGE_FLAGS)}
Example (what the executor runs):
  tsflow interchange --address 0.0.0.0 --secret-file runinfo/000/htex/secret --log-file runinfo/000/htex/interchange.log
`;

const PAGES: Record<Mode, string> = {
  run: RUN,
  worker: WORKER,
  visualize: VISUALIZE,
  interchange: INTERCHANGE,
};

/**
 * The help page of one mode, or the overview.
 *
 * @param mode A mode, or undefined for the overview.
 * @returns The page, ending with a newline.
 *
 * @example
 * ```ts
 * import { helpText } from "./help.ts";
 * import assert from "node:assert/strict";
 * assert(helpText("run").includes("--config"));
 * assert(helpText().includes("Examples:"));
 * ```
 */
export function helpText(mode?: Mode): string {
  return mode ? PAGES[mode] : OVERVIEW;
}
