/**
 * How a process mode runs as a program, the same whether `main.ts` dispatched to it or its own
 * file was started directly (as the HighThroughputExecutor starts its interchange, pools and
 * workers from source: each process then prepares only its own module graph, not every mode's):
 * `--help` prints the mode's page, and an error ends it with `tsflow <mode>: <message>`, code 1.
 *
 * @module
 */
import type { Mode } from "./modes.ts";

/** A mode's entry point: its arguments in, an exit code out. */
export type ModeMain = (args: string[]) => Promise<number>;

/**
 * Runs a mode's entry point on its arguments.
 *
 * @param mode The mode's name, for its help page and error messages.
 * @param run Its entry point.
 * @param args Its arguments (after the mode word).
 * @returns The exit code: the entry's, 0 after `--help`, 1 when it threw.
 *
 * @example
 * ```ts
 * import { runMode } from "./mode_entry.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await runMode("worker", () => Promise.resolve(3), []), 3);
 * ```
 */
export async function runMode(mode: Mode, run: ModeMain, args: string[]): Promise<number> {
  const end = args.indexOf("--");
  const own = end < 0 ? args : args.slice(0, end);
  if (own.includes("--help") || own.includes("-h")) {
    // Imported only when asked for: the help pages import every mode's flags.
    const { helpText } = await import("./help.ts");
    console.log(helpText(mode).trimEnd());
    return 0;
  }
  try {
    return await run(args);
  } catch (e) {
    console.error(`tsflow ${mode}: ${(e as Error).message}`);
    return 1;
  }
}
