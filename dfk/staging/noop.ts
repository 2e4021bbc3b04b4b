/**
 * `NoOpFileStaging`: local files (`file://`) need no staging.
 *
 * @module
 */
import type { File } from "../file.ts";
import type { StagingProvider } from "./staging_provider.ts";

/**
 * Handles `file://` files by doing nothing: tasks open them where they are (shared filesystem).
 *
 * @example
 * ```ts
 * import { NoOpFileStaging } from "./noop.ts";
 * import { File } from "../file.ts";
 * import assert from "node:assert/strict";
 * assert(new NoOpFileStaging().canStageIn(new File("/tmp/x")));
 * ```
 */
export class NoOpFileStaging implements StagingProvider {
  /**
   * Whether this provider stages the file in.
   * @param file A file.
   * @returns True for `file://`.
   */
  canStageIn(file: File): boolean {
    return file.scheme === "file";
  }
  /**
   * Whether this provider stages the file out.
   * @param file A file.
   * @returns True for `file://`.
   */
  canStageOut(file: File): boolean {
    return file.scheme === "file";
  }
}
