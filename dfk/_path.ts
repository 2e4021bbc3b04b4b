/**
 * POSIX path helpers (`join`, `resolve`, `basename`, `dirname`), as `node:path` has them,
 * without importing it: the first `node:` import starts Deno's Node layer (7-10 ms of a cold
 * start), and the driver, every pool and every worker import these (`File` through the codec,
 * the kernel, std streams). Workers, pools and schedulers are POSIX hosts.
 *
 * @module
 */

function normalize(path: string): string {
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== "..") out.push(part);
    else if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (!absolute) out.push("..");
  }
  let s = (absolute ? "/" : "") + out.join("/");
  if (s === "") return absolute ? "/" : path.endsWith("/") ? "./" : ".";
  if (path.endsWith("/") && s !== "/") s += "/";
  return s;
}

/**
 * Joins path segments and normalizes the result, as `node:path`'s `join`.
 *
 * @param parts Segments.
 * @returns The path ("." for none).
 *
 * @example
 * ```ts
 * import { join } from "./_path.ts";
 * import assert from "node:assert/strict";
 * assert.equal(join("/run", "001/", "../002", "x.log"), "/run/002/x.log");
 * ```
 */
export function join(...parts: string[]): string {
  const given = parts.filter((p) => p !== "");
  return given.length === 0 ? "." : normalize(given.join("/"));
}

/**
 * An absolute path: the segments from the right up to the first absolute one, against the
 * working directory, as `node:path`'s `resolve`.
 *
 * @param parts Segments.
 * @returns The absolute, normalized path, without a trailing slash.
 *
 * @example
 * ```ts
 * import { resolve } from "./_path.ts";
 * import assert from "node:assert/strict";
 * assert.equal(resolve("/a/b", "../c/"), "/a/c");
 * assert.equal(resolve("x"), `${Deno.cwd()}/x`);
 * ```
 */
export function resolve(...parts: string[]): string {
  let path = "";
  for (let i = parts.length - 1; i >= 0 && !path.startsWith("/"); i--) {
    if (parts[i] !== "") path = path === "" ? parts[i] : `${parts[i]}/${path}`;
  }
  if (!path.startsWith("/")) path = path === "" ? Deno.cwd() : `${Deno.cwd()}/${path}`;
  const s = normalize(path);
  return s.length > 1 && s.endsWith("/") ? s.slice(0, -1) : s;
}

/**
 * The last segment, as `node:path`'s `basename` (trailing slashes ignored).
 *
 * @param path A path (or a URL's text).
 * @returns The last segment ("" for "/").
 *
 * @example
 * ```ts
 * import { basename } from "./_path.ts";
 * import assert from "node:assert/strict";
 * assert.equal(basename("file:///work/flow.ts"), "flow.ts");
 * ```
 */
export function basename(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  return path.slice(path.lastIndexOf("/", end - 1) + 1, end);
}

/**
 * All but the last segment, as `node:path`'s `dirname`.
 *
 * @param path A path.
 * @returns Its directory ("." when it has none, "/" for the root).
 *
 * @example
 * ```ts
 * import { dirname } from "./_path.ts";
 * import assert from "node:assert/strict";
 * assert.equal(dirname("/run/monitoring.db"), "/run");
 * ```
 */
export function dirname(path: string): string {
  if (path === "") return ".";
  const rooted = path[0] === "/";
  // The slash before the last segment (trailing slashes skipped; a run of slashes is not folded).
  let end = -1;
  let inTail = true;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] === "/") {
      if (!inTail) {
        end = i;
        break;
      }
    } else inTail = false;
  }
  if (end === -1) return rooted ? "/" : ".";
  if (rooted && end === 1) return "//";
  return path.slice(0, end);
}
