/**
 * `tsflow run flow.ts [--config site.yaml] [-- args]`: the driver. Imports the workflow module,
 * names its apps, loads the configuration (`--config`, else the module's `config` export, else
 * a local default), calls the default export with the arguments after `--`, waits for the tasks
 * it left running and shuts down. Ctrl-C (or SIGTERM from a batch system) stops the run cleanly.
 *
 * @module
 */
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Config, type DataFlowKernel, load } from "../mod.ts";
import { bindModule } from "../dfk/function_ref.ts";
import { DENO_CONFIG_ENV, NO_LOCK_ENV, selfCommand } from "./self_command.ts";
import { parseFlags } from "./flag_schema.ts";
import { RUN_FLAGS } from "./run_flags.ts";
import { loadedCopies, TSFLOW_VERSION } from "../dfk/version.ts";
import { loadConfigFile } from "./config_yaml.ts";
import { startProgress } from "./progress.ts";
import { watchSignals } from "./signals.ts";
import { configToAdopt, lockNotOurs } from "./workflow_deno_config.ts";

/** Bound on the clean shutdown after Ctrl-C; a second Ctrl-C exits at once. */
const INTERRUPT_CLEANUP_MS = 60_000;

/** A failure worth one line on stderr and exit code 1. */
class RunFailure extends Error {}

/**
 * Runs `tsflow run` with its arguments (everything after `run`).
 *
 * @param args The arguments, e.g. `["flow.ts", "--config", "site.yaml", "--", "42"]`.
 * @returns Exit code: 0 success, 1 workflow failed, 2 bad command line, 130/143 interrupted.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: runs a whole workflow and exits the process (tests/cli/).
 * Deno.exit(await runCommand(["examples/add.ts"]));
 * ```
 */
export async function runCommand(args: string[]): Promise<number> {
  const split = args.indexOf("--");
  const own = split < 0 ? args : args.slice(0, split);
  let parsed;
  try {
    parsed = parseFlags(RUN_FLAGS, own, true);
  } catch (e) {
    console.error(`tsflow run: ${(e as Error).message} (workflow options go after "--")`);
    return 2;
  }
  const [flow, ...extra] = parsed.positionals;
  if (!flow) {
    console.error("Usage: tsflow run <flow.ts> [--config site.yaml] [-- args...]");
    return 2;
  }
  const workflowArgs = [...extra, ...(split < 0 ? [] : args.slice(split + 1))];
  const url = /^(file|https?):/.test(flow) ? flow : pathToFileURL(resolve(flow)).href;
  if (url.startsWith("file:") && !exists(new URL(url))) {
    console.error(`tsflow run: no workflow file ${flow}`);
    return 2;
  }
  const adopt = configToAdopt(url);
  if (adopt) return await reexec(DENO_CONFIG_ENV, adopt, args);
  if (lockNotOurs(url)) return await reexec(NO_LOCK_ENV, "1", args);
  try {
    return await drive(url, flow, parsed.values.config, workflowArgs);
  } catch (e) {
    console.error(`tsflow run: ${e instanceof RunFailure ? e.message : oneLine(e)}`);
    return 1;
  }
}

async function drive(url: string, flow: string, configPath: string | undefined, args: string[]) {
  let ns: Record<string, unknown>;
  try {
    ns = await import(url);
  } catch (e) {
    throw new RunFailure(`cannot import workflow ${flow}: ${oneLine(e)}`);
  }
  checkCopies();
  bindModule(url, ns);
  const main = ns.default;
  if (typeof main !== "function") {
    throw new RunFailure(
      `${flow} has no default export to run: add "export default async function main(args: string[]) { ... }"`,
    );
  }
  const given: Config = configPath ? await loadConfigFile(configPath) : (ns.config as Config) ?? {};
  // The workflow's name is its file's (Parsl takes the script's), not this command's main.ts.
  const config: Config = {
    ...given,
    workflowName: given.workflowName ?? basename(new URL(url).pathname),
  };
  const signals = watchSignals();
  let dfk: DataFlowKernel | undefined;
  try {
    const loaded = await Promise.race([load(config), signals.first]);
    if (typeof loaded === "number") return loaded; // interrupted while starting executors
    dfk = loaded;
    const progress = startProgress(dfk);
    try {
      const outcome = await Promise.race([
        (async () => {
          const value = await main(args);
          await dfk!.waitForCurrentTasks();
          return value;
        })().then((value) => ({ value }), (error) => ({ error })),
        signals.first,
      ]);
      if (typeof outcome === "number") {
        progress.stop();
        console.error(`tsflow run: interrupted; stopping (tasks cancelled, workers shut down)`);
        const stopping = dfk;
        dfk = undefined; // the finally below must not wait again: a second Ctrl-C means now
        await Promise.race([stopping.cleanup(), signals.second, delay(INTERRUPT_CLEANUP_MS)]);
        return outcome;
      }
      if ("error" in outcome) {
        dfk.logger.error(
          `Workflow ${flow} failed`,
          String((outcome.error as Error)?.stack ?? outcome.error),
        );
        throw new RunFailure(`${flow} failed: ${oneLine(outcome.error)} (log: ${dfk.runDir}/)`);
      }
      return Number.isInteger(outcome.value) ? outcome.value as number : 0;
    } finally {
      progress.stop();
    }
  } finally {
    signals.close();
    await dfk?.cleanup();
  }
}

/** Refuses a workflow that loaded a different tsflow version than the one running it. */
function checkCopies(): void {
  const other = loadedCopies().find((c) => c.version !== TSFLOW_VERSION);
  if (other) {
    throw new RunFailure(
      `the workflow imports tsflow ${other.version} (${other.url}) but this is tsflow ` +
        `${TSFLOW_VERSION}: import the same version the tsflow program runs, or run the ` +
        `workflow with the tsflow ${other.version} program`,
    );
  }
}

/**
 * Runs this command again under the workflow's own deno.json (see workflow_deno_config.ts), or
 * with no lockfile (see `lockFree` in self_command.ts).
 */
async function reexec(name: string, value: string, args: string[]): Promise<number> {
  Deno.env.set(name, value);
  const [cmd, ...argv] = selfCommand("run", args);
  const child = new Deno.Command(cmd, {
    args: argv,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  })
    .spawn();
  // A terminal's Ctrl-C reaches the child too; forward signals sent to this process alone.
  const forward = (sig: Deno.Signal) => () => {
    try {
      child.kill(sig);
    } catch {
      // already exited
    }
  };
  const handlers = (["SIGINT", "SIGTERM"] as const).map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  try {
    const status = await child.status;
    return status.signal ? 128 + signalNumber(status.signal) : status.code;
  } finally {
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
  }
}

function signalNumber(sig: Deno.Signal): number {
  return sig === "SIGINT" ? 2 : sig === "SIGTERM" ? 15 : sig === "SIGKILL" ? 9 : 1;
}

function exists(url: URL): boolean {
  try {
    return Deno.statSync(url).isFile;
  } catch {
    return false;
  }
}

function oneLine(e: unknown): string {
  const err = e as Error;
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(e);
  return text.split("\n")[0];
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => Deno.unrefTimer(setTimeout(r, ms)));
}
