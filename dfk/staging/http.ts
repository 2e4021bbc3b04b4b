/**
 * HTTP staging: `HTTPInTaskStaging` downloads inputs (GET) and uploads outputs (PUT) inside the
 * task on the worker; `HTTPSeparateTaskStaging` submits a separate staging task for each file,
 * which the app task waits for (inputs) or which runs after it (outputs).
 *
 * @module
 */
import { join } from "../_path.ts";
import type { File } from "../file.ts";
import type { InTaskStaging } from "../task_context.ts";
import { httpStageIn, httpStageOut } from "./http_tasks.ts";
import type { StagingHost, StagingProvider } from "./staging_provider.ts";

/** Options of the HTTP staging providers. */
export interface HTTPStagingOptions {
  /** Directory on the worker where files land (absolute is best). @default the worker's cwd */
  dir?: string;
}

const isHttp = (f: File) => f.scheme === "http" || f.scheme === "https";

function place(file: File, dir?: string): string {
  file.localPath ??= dir ? join(dir, file.filename) : file.filename;
  return file.localPath;
}

/**
 * What both HTTP staging providers share: they take http(s) files, placed under `dir`.
 *
 * @example
 * ```ts
 * import { HTTPInTaskStaging } from "./http.ts";
 * import { File } from "../file.ts";
 * import assert from "node:assert/strict";
 * assert(new HTTPInTaskStaging().canStageIn(new File("https://example.org/a.csv")));
 * ```
 */
export abstract class HTTPStaging implements StagingProvider {
  /** Where files land on the worker (the worker's cwd when unset). */
  protected readonly dir?: string;
  /**
   * Creates an instance with the given options.
   * @param opts Options.
   */
  constructor(opts: HTTPStagingOptions = {}) {
    this.dir = opts.dir;
  }
  /**
   * Whether this provider stages the file in.
   * @param f A file.
   * @returns True for http(s).
   */
  canStageIn(f: File): boolean {
    return isHttp(f);
  }
  /**
   * Whether this provider stages the file out.
   * @param f A file.
   * @returns True for http(s).
   */
  canStageOut(f: File): boolean {
    return isHttp(f);
  }
}

/**
 * Stages http(s) files inside the task, on the worker.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HTTPInTaskStaging, ThreadPoolExecutor } from "../../mod.ts";
 * const ex = new ThreadPoolExecutor({ storageAccess: [new HTTPInTaskStaging({ dir: "/scratch/in" })] });
 * assert.equal(ex.storageAccess?.length, 1);
 * ```
 */
export class HTTPInTaskStaging extends HTTPStaging {
  /**
   * The step the worker performs for the file, in or out.
   * @param file The file.
   * @param direction In or out.
   * @returns The worker-side step.
   */
  inTask(file: File, direction: "in" | "out"): InTaskStaging {
    const path = place(file, this.dir);
    return { direction, action: direction === "in" ? "http_get" : "http_put", url: file.url, path };
  }
}

/**
 * Stages http(s) files in separate tasks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HTTPSeparateTaskStaging, NoOpFileStaging, ThreadPoolExecutor } from "../../mod.ts";
 * const storageAccess = [new NoOpFileStaging(), new HTTPSeparateTaskStaging()];
 * assert.equal(new ThreadPoolExecutor({ storageAccess }).storageAccess?.length, 2);
 * ```
 */
export class HTTPSeparateTaskStaging extends HTTPStaging {
  /**
   * Submits the task that downloads the file before the app runs.
   * @param host The kernel.
   * @param file The file.
   * @param executor Executor label.
   * @param after Settles when the file has been produced (an output of another task).
   * @returns The stage-in task's future.
   */
  stageIn(
    host: StagingHost,
    file: File,
    executor: string,
    after?: PromiseLike<unknown>,
  ): PromiseLike<unknown> {
    const args: unknown[] = [file.url, place(file, this.dir)];
    if (after) args.push(after);
    return host.submitStagingTask(httpStageIn, args, executor);
  }
  /**
   * Submits the task that uploads the file after the app is done.
   * @param host The kernel.
   * @param file The file.
   * @param executor Executor label.
   * @param appDone Settles when the app task is done.
   * @returns The stage-out task's future.
   */
  stageOut(
    host: StagingHost,
    file: File,
    executor: string,
    appDone: PromiseLike<unknown>,
  ): PromiseLike<unknown> {
    return host.submitStagingTask(
      httpStageOut,
      [file.url, place(file, this.dir), appDone],
      executor,
    );
  }
}
