// Runs the tsflow command (main.ts from source, or another program file) as a real process.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

/** Absolute path of the repository's main.ts. */
export const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
/** file:// URL of the repository's mod.ts, for workflows written into temp dirs. */
export const MOD_URL = new URL("../../mod.ts", import.meta.url).href;

/** What a finished command printed and returned. */
export interface CliResult {
  code: number;
  signal: Deno.Signal | null;
  stdout: string;
  stderr: string;
}

/** Options of {@linkcode tsflow}. */
export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Program to run instead of main.ts (e.g. the bundle). */
  program?: string;
  /** Kill the process after this many ms (the test then fails on the exit code). */
  timeoutMs?: number;
}

/** Runs `deno run -A <program> ...args` to completion, bounded by `timeoutMs`. */
export async function tsflow(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const child = spawnTsflow(args, opts);
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
  try {
    const out = await child.output();
    const dec = new TextDecoder();
    return {
      code: out.code,
      signal: out.signal,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Starts the command with piped stdout/stderr; the caller must await its output or status. */
export function spawnTsflow(args: string[], opts: CliOptions = {}): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", opts.program ?? MAIN, ...args],
    cwd: opts.cwd,
    env: opts.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

const made: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const dir of made) Deno.removeSync(dir, { recursive: true });
});

/** A fresh temp dir holding the given files (relative path → text). */
export async function tempDirWith(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "tsflow-cli-" });
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    const path = `${dir}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
  return dir;
}

/** Fails unless `text` contains `part`, showing the text. */
export function includes(text: string, part: string, msg?: string): void {
  assert.ok(text.includes(part), msg ?? `expected ${JSON.stringify(part)} in:\n${text}`);
}
