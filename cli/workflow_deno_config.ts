/**
 * Honours a workflow's own `deno.json`. Deno reads one configuration file per process, found
 * beside the program it runs (here `main.ts` or the bundle), so a workflow's import map
 * (`"tsflow": "…/mod.ts"`, its own npm packages) would be ignored by `tsflow run`. When the
 * workflow sits under a different `deno.json`, `tsflow run` re-executes itself with
 * `--config <that file>`; `TSFLOW_DENO_CONFIG` carries the choice to every process it starts
 * (see `self_command.ts`). tsflow's own modules need no import map (npm packages are imported by
 * full `npm:` specifiers), so they load under any configuration. A compiled binary cannot take a
 * configuration file: it uses its embedded one.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DENO_CONFIG_ENV, entryUrl, NO_LOCK_ENV } from "./self_command.ts";

const NAMES = ["deno.json", "deno.jsonc"];

/**
 * The nearest `deno.json` or `deno.jsonc` in a file's folder or its ancestors.
 *
 * @param file An absolute path of a file.
 * @returns The configuration file's path, or undefined when there is none.
 *
 * @example
 * ```ts
 * import { nearestDenoConfig } from "./workflow_deno_config.ts";
 * import assert from "node:assert/strict";
 * assert(nearestDenoConfig("/flow.ts") === undefined); // no /deno.json
 * ```
 */
export function nearestDenoConfig(file: string): string | undefined {
  let dir = dirname(file);
  for (;;) {
    for (const name of NAMES) {
      const candidate = join(dir, name);
      try {
        if (Deno.statSync(candidate).isFile) return candidate;
      } catch {
        // not here; look further up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The `deno.json` this process runs with: the one tsflow chose (`TSFLOW_DENO_CONFIG`), else the
 * one Deno found beside the entry module.
 *
 * @returns Its path, or undefined (none, or not knowable: a compiled binary or a remote entry).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { activeDenoConfig } from "./workflow_deno_config.ts";
 * import { DENO_CONFIG_ENV } from "./self_command.ts";
 * Deno.env.set(DENO_CONFIG_ENV, "/home/me/flows/deno.json"); // what a re-executed tsflow is told
 * try {
 *   assert.equal(activeDenoConfig(), "/home/me/flows/deno.json");
 * } finally {
 *   Deno.env.delete(DENO_CONFIG_ENV);
 * }
 * ```
 */
export function activeDenoConfig(): string | undefined {
  const chosen = Deno.env.get(DENO_CONFIG_ENV);
  if (chosen) return chosen;
  const entry = entryUrl();
  return entry.startsWith("file:") ? nearestDenoConfig(fileURLToPath(entry)) : undefined;
}

/**
 * The workflow's `deno.json`, when this process must re-execute itself to use it.
 *
 * @param workflowUrl The workflow module's URL.
 * @returns The configuration file to adopt, or undefined when the active one already applies
 *   (or none can be adopted: compiled binary, remote workflow, no `deno.json`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configToAdopt } from "./workflow_deno_config.ts";
 * const dir = Deno.makeTempDirSync(); // a workflow with a deno.json of its own
 * Deno.writeTextFileSync(`${dir}/deno.json`, "{}");
 * assert.equal(configToAdopt(`file://${dir}/flow.ts`), `${dir}/deno.json`);
 * ```
 */
export function configToAdopt(workflowUrl: string): string | undefined {
  if (Deno.build.standalone || !workflowUrl.startsWith("file:")) return undefined;
  const own = nearestDenoConfig(fileURLToPath(workflowUrl));
  if (!own || own === activeDenoConfig()) return undefined;
  return own;
}

/**
 * Whether `tsflow run` must re-execute itself with no lockfile: the workflow has no `deno.json`
 * of its own and lies outside the directory of the one this process runs with (tsflow's own,
 * e.g. a checkout's), so that file's tracked `deno.lock` is not the workflow's to change.
 *
 * @param workflowUrl The workflow module's URL.
 * @returns True when the run must not write the active configuration's lockfile.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: the answer depends on the deno.json the test process runs with (tests/cli/).
 * if (lockNotOurs("file:///home/me/flows/flow.ts")) console.log("re-run with --no-lock");
 * ```
 */
export function lockNotOurs(workflowUrl: string): boolean {
  if (Deno.build.standalone || Deno.env.get(NO_LOCK_ENV) === "1") return false;
  const active = activeDenoConfig();
  if (!active || Deno.env.get(DENO_CONFIG_ENV)) return false;
  if (!workflowUrl.startsWith("file:")) return true;
  return !fileURLToPath(workflowUrl).startsWith(dirname(active) + "/");
}
