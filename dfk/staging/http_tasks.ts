/**
 * The apps that separate-task HTTP staging submits. They are ordinary exported apps, so any
 * executor's workers can load them by module URL.
 *
 * @module
 */
import { app } from "../app.ts";
import { httpGet, httpPut } from "./actions.ts";

/**
 * Downloads `url` to `path` (a stage-in task), after `_after` when the file is still being
 * produced by another task.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: an app the kernel submits as a staging task, on a worker; tests/dfk/staging_test.ts runs it.
 * await httpStageIn("http://127.0.0.1:8000/a.csv", "/tmp/a.csv");
 * ```
 */
export const httpStageIn = app(
  (url: string, path: string, _after?: unknown) => httpGet(url, path),
  { name: "httpStageIn" },
);

/**
 * Uploads `path` to `url` once the producing app is done (a stage-out task).
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: an app the kernel submits as a staging task, on a worker; tests/dfk/staging_test.ts runs it.
 * await httpStageOut("http://127.0.0.1:8000/out.csv", "/tmp/out.csv", appDone);
 * ```
 */
export const httpStageOut = app(
  (url: string, path: string, _appDone: unknown) => httpPut(url, path),
  { name: "httpStageOut" },
);
