// An HTTP server on 127.0.0.1 serving this repository's files, so workflows can import tsflow
// from an http:// URL. Under /v9.9.9/ it serves a copy whose version says 9.9.9.
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TYPES: Record<string, string> = {
  ts: "application/typescript",
  js: "application/javascript",
  json: "application/json",
};

/** A running repository server. */
export interface RepoServer {
  /** Base URL ending with a slash, e.g. `http://127.0.0.1:PORT/`. */
  base: string;
  /** Paths requested so far. */
  requested: string[];
  /** Stops serving. */
  close(): Promise<void>;
}

/** Serves the repository on a free port. */
export function serveRepo(): Promise<RepoServer> {
  const requested: string[] = [];
  // A fresh path prefix per server: Deno caches remote modules by URL, and a reused port would
  // otherwise serve an earlier test's copy from the cache without asking this server.
  const prefix = `r${crypto.randomUUID().slice(0, 8)}/`;
  return new Promise((ready) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: ({ port }) =>
        ready({
          base: `http://127.0.0.1:${port}/${prefix}`,
          requested,
          close: () => server.shutdown(),
        }),
    }, async (req) => {
      let path = decodeURIComponent(new URL(req.url).pathname).slice(1);
      if (!path.startsWith(prefix)) return new Response("not found", { status: 404 });
      path = path.slice(prefix.length);
      requested.push(path);
      const other = path.startsWith("v9.9.9/");
      if (other) path = path.slice("v9.9.9/".length);
      if (path.includes("..")) return new Response("no", { status: 403 });
      let text: string;
      try {
        text = await Deno.readTextFile(ROOT + path);
      } catch {
        return new Response("not found", { status: 404 });
      }
      if (other && path === "dfk/version.ts") {
        text = text.replace(/TSFLOW_VERSION = "[^"]+"/, `TSFLOW_VERSION = "9.9.9"`);
      }
      const type = TYPES[path.split(".").pop() ?? ""] ?? "text/plain";
      return new Response(text, { headers: { "content-type": type } });
    });
  });
}
