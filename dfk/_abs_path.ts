/**
 * A POSIX path made absolute and normal, as `node:path`'s `resolve(path)` does, without
 * importing `node:path`: any `node:` import starts Deno's Node compatibility layer (~5 ms of CPU
 * per process), and every worker and pool process imports `File` (through the codec).
 *
 * @module
 */

/**
 * `path` resolved against `cwd`: `.` and `..` segments and repeated or trailing slashes removed.
 *
 * @param path An absolute or relative path.
 * @param cwd The directory a relative path is relative to.
 * @returns The absolute path.
 *
 * @example
 * ```ts
 * import { absolutePath } from "./_abs_path.ts";
 * import assert from "node:assert/strict";
 * assert.equal(absolutePath("b/../c//d/", "/a"), "/a/c/d");
 * assert.equal(absolutePath("/x/./y/.."), "/x");
 * ```
 */
export function absolutePath(path: string, cwd: string = Deno.cwd()): string {
  const out: string[] = [];
  for (const part of (path.startsWith("/") ? path : `${cwd}/${path}`).split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}
