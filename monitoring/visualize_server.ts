/**
 * `tsflow visualize`: a web UI over a monitoring database (Parsl's `parsl-visualize`). Serves an
 * embedded page (no files are read at run time, so a compiled binary needs nothing beside it)
 * and a JSON API over {@linkcode MonitoringReader}. Safe on a database a run is writing.
 *
 * @module
 */
import { resolve } from "node:path";
import { flagHelp, parseFlags } from "../cli/flag_schema.ts";
import { VISUALIZE_FLAGS } from "../cli/visualize_flags.ts";
import { PAGE_CSS, pageHtml } from "./_page.ts";
import { PAGE_JS } from "./_page_assets.ts";
import { UPLOT_CSS, UPLOT_JS } from "./_uplot_assets.ts";
import { MonitoringReader } from "./visualize_queries.ts";

/** Options of {@linkcode startVisualizeServer}. */
export interface VisualizeOptions {
  /** The monitoring database. @default "runinfo/monitoring.db" */
  db?: string;
  /** TCP port; 0 picks a free one. @default 8080 */
  port?: number;
  /** Address to listen on. @default "127.0.0.1" */
  host?: string;
}

/** A running visualizer. */
export interface VisualizeServer {
  /** Where it listens, e.g. `http://127.0.0.1:8080/`. */
  url: string;
  /** The port it got. */
  port: number;
  /** Stops serving and closes the database. */
  close(): Promise<void>;
}

const TYPES = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json; charset=utf-8",
};

const ASSETS: Record<string, [string, string]> = {
  "/assets/uplot.js": [UPLOT_JS, TYPES.js],
  "/assets/uplot.css": [UPLOT_CSS, TYPES.css],
  "/assets/page.js": [PAGE_JS, TYPES.js],
  "/assets/page.css": [PAGE_CSS, TYPES.css],
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": TYPES.json, "cache-control": "no-store" },
  });
}

/**
 * Routes one request.
 *
 * @param reader The database reader.
 * @param dbPath Shown on the page.
 * @param req The request.
 * @returns The response.
 */
function handle(reader: MonitoringReader, dbPath: string, req: Request): Response {
  const url = new URL(req.url);
  const path = url.pathname;
  if (req.method !== "GET") return new Response("Method not allowed", { status: 405 });
  if (path === "/" || path === "/index.html") {
    return new Response(pageHtml(dbPath), { headers: { "content-type": TYPES.html } });
  }
  const asset = ASSETS[path];
  if (asset) {
    return new Response(asset[0], {
      headers: { "content-type": asset[1], "cache-control": "max-age=3600" },
    });
  }
  const m =
    /^\/api\/(?:workflows|workflow\/([^/]+)(?:\/(tasks|timeline|infrastructure|task\/(\d+)))?)$/
      .exec(path);
  if (!m) return json({ error: `No such page: ${path}` }, 404);
  const q = url.searchParams;
  const num = (k: string, d: number) => {
    const v = Number(q.get(k) ?? d);
    return Number.isFinite(v) && v >= 0 ? Math.floor(v) : d;
  };
  try {
    if (path === "/api/workflows") return json(reader.workflows());
    const run = decodeURIComponent(m[1]);
    if (!m[2]) {
      const w = reader.workflow(run);
      return w ? json(w) : json({ error: `No workflow with run id ${run}` }, 404);
    }
    if (m[2] === "tasks") {
      return json(reader.tasks(run, {
        state: q.get("state") || undefined,
        app: q.get("app") || undefined,
        limit: num("limit", 1000),
        offset: num("offset", 0),
      }));
    }
    if (m[2] === "timeline") {
      return json(reader.timeline(run, num("limit", 2000), num("offset", 0)));
    }
    if (m[2] === "infrastructure") return json(reader.infrastructure(run));
    const t = reader.task(run, Number(m[3]));
    return t ? json(t) : json({ error: `No task ${m[3]} in run ${run}` }, 404);
  } catch (e) {
    return json({ error: String((e as Error)?.message ?? e) }, 500);
  }
}

/**
 * Starts the visualizer.
 *
 * @param opts Database, port, host.
 * @returns The running server.
 *
 * @example Serve a database on a free port
 * ```ts
 * import { startVisualizeServer } from "./visualize_server.ts";
 * import assert from "node:assert/strict";
 * const srv = await startVisualizeServer({ db: Deno.makeTempFileSync(), port: 0 });
 * const res = await fetch(srv.url + "api/workflows");
 * assert(res.ok);
 * await res.body?.cancel();
 * await srv.close();
 * ```
 */
export function startVisualizeServer(opts: VisualizeOptions = {}): Promise<VisualizeServer> {
  const dbPath = resolve(opts.db ?? "runinfo/monitoring.db");
  const reader = new MonitoringReader(dbPath);
  const hostname = opts.host ?? "127.0.0.1";
  const ac = new AbortController();
  return new Promise((resolveStart, reject) => {
    try {
      const server = Deno.serve({
        hostname,
        port: opts.port ?? 8080,
        signal: ac.signal,
        onListen: ({ port }) => {
          const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
          resolveStart({
            url: `http://${shown}:${port}/`,
            port,
            close: async () => {
              ac.abort();
              await server.finished;
              reader.close();
            },
          });
        },
        onError: (e) => json({ error: String(e) }, 500),
      }, (req) => handle(reader, dbPath, req));
    } catch (e) {
      reader.close();
      reject(e);
    }
  });
}

const USAGE = `Usage: tsflow visualize [--db PATH] [--port 8080] [--host 127.0.0.1]

Serves a web UI over a tsflow (or Parsl) monitoring database.

Options:
${flagHelp(VISUALIZE_FLAGS).trimEnd()}`;

/**
 * The `tsflow visualize` command: serves until SIGINT or SIGTERM.
 *
 * @param args Arguments after `visualize`.
 * @returns Exit code (0 after a signal, 2 for bad arguments, 1 when it cannot listen).
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: serves until stopped (tests/monitoring/ run it).
 * Deno.exit(await runVisualize(["--db", "runinfo/monitoring.db", "--port", "8080"]));
 * ```
 */
export async function runVisualize(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  let values;
  try {
    ({ values } = parseFlags(VISUALIZE_FLAGS, args));
  } catch (e) {
    console.error(`tsflow visualize: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`tsflow visualize: --port must be a number from 0 to 65535, not ${values.port}`);
    return 2;
  }
  if (!(await Deno.stat(values.db).then(() => true, () => false))) {
    console.error(
      `tsflow visualize: warning: ${values.db} does not exist yet; the page fills in once a run with monitoring writes it`,
    );
  }
  let srv: VisualizeServer;
  try {
    srv = await startVisualizeServer({ db: values.db, port, host: values.host });
  } catch (e) {
    console.error(
      `tsflow visualize: cannot listen on ${values.host}:${port}: ${(e as Error).message}`,
    );
    return 1;
  }
  console.log(`tsflow visualize: serving ${resolve(values.db)} at ${srv.url} (Ctrl-C to stop)`);
  await new Promise<void>((done) => {
    const stop = () => {
      Deno.removeSignalListener("SIGINT", stop);
      Deno.removeSignalListener("SIGTERM", stop);
      done();
    };
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
  });
  await srv.close();
  return 0;
}
