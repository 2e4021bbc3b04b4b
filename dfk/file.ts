/**
 * `File`: a file named by URL that tasks take as input or produce as output (Parsl's
 * `parsl.data_provider.files.File`). `file://` and plain paths are local; `http(s)://` files are
 * staged by a staging provider.
 *
 * @module
 */
import { resolve } from "./_path.ts";
import { FILE_BRAND } from "./brands.ts";
import { registerType } from "./serialize/codec.ts";

/**
 * A file a task reads or writes.
 *
 * @example
 * ```ts
 * import { File } from "./file.ts";
 * import assert from "node:assert/strict";
 * const f = new File("file:///tmp/out.txt");
 * assert(f.scheme === "file" && f.filepath === "/tmp/out.txt");
 * assert(String(f) === "/tmp/out.txt");
 * const g = new File("https://example.org/data/a.csv");
 * assert(g.filename === "a.csv" && g.netloc === "example.org");
 * const h = new File("arbitrary:abc123");
 * assert(h.scheme === "arbitrary" && h.path === "abc123" && h.url === "arbitrary:abc123");
 * ```
 */
export class File {
  /** Brand so another copy of tsflow recognises files. */
  readonly [FILE_BRAND] = true;
  /** The full URL. */
  readonly url: string;
  /** `file`, `http`, `https`, … */
  readonly scheme: string;
  /** Host (and port) part, empty for local files. */
  readonly netloc: string;
  /** Path part of the URL. */
  readonly path: string;
  /** Last path component. */
  readonly filename: string;
  /** Where a staging provider put (or will put) the file on the worker. */
  localPath?: string;

  /**
   * Creates an instance with the given options.
   * @param url A URL (`file:///abs/path`, `https://…`, `scheme:rest`) or a local path (relative paths are
   *   resolved against the current directory).
   */
  constructor(url: string) {
    // A leading `scheme:` makes a URL, with or without `//` (Parsl's urlparse: `arbitrary:abc`).
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(url)) {
      url = "file://" + resolve(url);
    }
    const u = new URL(url);
    this.url = url;
    this.scheme = u.protocol.slice(0, -1);
    this.netloc = u.host;
    this.path = decodeURIComponent(u.pathname);
    this.filename = this.path.split("/").pop() ?? "";
  }

  /** The path to open on the machine where the task runs. */
  get filepath(): string {
    if (this.localPath) return this.localPath;
    if (this.scheme === "file") return this.path;
    return this.filename;
  }

  /**
   * A copy with only the URL, without the `localPath` a staging provider may have set (Parsl's
   * `cleancopy`): staging works on copies, so the caller's File never changes.
   * @returns A new File for the same URL.
   */
  cleanCopy(): File {
    return new File(this.url);
  }

  /** The path to open, as {@linkcode File.filepath} (Parsl's `str(File)`): `${file}` in a command. */
  toString(): string {
    return this.filepath;
  }
}

registerType(File, "tsflow.File", {
  toData: (f) => [f.url, f.localPath ?? null],
  fromData: (d) => {
    const [url, localPath] = d as [string, string | null];
    const f = new File(url);
    if (localPath) f.localPath = localPath;
    return f;
  },
});
