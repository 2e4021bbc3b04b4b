/**
 * Worker-side staging actions for in-task staging, by name. `http_get` downloads a URL to a
 * path; `http_put` uploads a path to a URL. Users can register more.
 *
 * @module
 */
import { StagingError } from "../errors.ts";
import type { InTaskStaging } from "../task_context.ts";

/** A staging action: moves one file between `url` and `path`. */
export type StagingAction = (url: string, path: string) => Promise<void>;

const actions = new Map<string, StagingAction>();

/**
 * Registers a named staging action.
 *
 * @param name Name used in in-task staging steps.
 * @param action The action.
 *
 * @example
 * ```ts
 * import { registerStagingAction } from "./actions.ts";
 * registerStagingAction("noop", async () => {});
 * ```
 */
export function registerStagingAction(name: string, action: StagingAction): void {
  actions.set(name, action);
}

/**
 * Downloads `url` to `path` with an HTTP GET.
 *
 * @param url Source URL.
 * @param path Destination path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { httpGet } from "./actions.ts";
 * await using server = Deno.serve({ port: 0, onListen() {} }, () => new Response("data"));
 * const path = `${Deno.makeTempDirSync()}/a.txt`;
 * await httpGet(`http://127.0.0.1:${server.addr.port}/a.txt`, path);
 * assert.equal(Deno.readTextFileSync(path), "data");
 * ```
 */
export async function httpGet(url: string, path: string): Promise<void> {
  const res = await fetch(url);
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new StagingError(url, `GET answered ${res.status} ${res.statusText}`);
  }
  using f = await Deno.open(path, { write: true, create: true, truncate: true });
  await res.body.pipeTo(f.writable, { preventClose: true });
}

/**
 * Uploads `path` to `url` with an HTTP PUT.
 *
 * @param url Destination URL.
 * @param path Source path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { httpPut } from "./actions.ts";
 * let received = "";
 * await using server = Deno.serve({ port: 0, onListen() {} }, async (req) => {
 *   received = await req.text();
 *   return new Response(null, { status: 201 });
 * });
 * const path = `${Deno.makeTempDirSync()}/a.txt`;
 * Deno.writeTextFileSync(path, "result");
 * await httpPut(`http://127.0.0.1:${server.addr.port}/a.txt`, path);
 * assert.equal(received, "result");
 * ```
 */
export async function httpPut(url: string, path: string): Promise<void> {
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await Deno.readFile(path);
  } catch (e) {
    throw new StagingError(url, `cannot read ${path}: ${(e as Error).message}`);
  }
  const res = await fetch(url, { method: "PUT", body });
  await res.body?.cancel();
  if (!res.ok) throw new StagingError(url, `PUT answered ${res.status} ${res.statusText}`);
}

registerStagingAction("http_get", httpGet);
registerStagingAction("http_put", httpPut);

/**
 * Performs one in-task staging step.
 *
 * @param step The step.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: runs on a worker inside a task; tests/dfk/staging_test.ts runs it.
 * await runStagingStep({ direction: "in", action: "http_get", url, path });
 * ```
 */
export async function runStagingStep(step: InTaskStaging): Promise<void> {
  const action = actions.get(step.action);
  if (!action) {
    throw new StagingError(step.url, `no staging action "${step.action}" on this worker`);
  }
  await action(step.url, step.path);
}
