/**
 * The progress line `tsflow run` keeps at the bottom of a terminal:
 * `tsflow: 12 done · 1 failed · 4 running · 3 launched · 30 pending`. Written to stderr and only
 * when stderr is a terminal, so piped or logged output stays clean. While it is shown, console
 * output from the workflow first erases it, so the two never share a line.
 *
 * @module
 */

/** Task counts by state, as the kernel's `counts()` returns them (missing states count 0). */
export type Counts = Partial<Record<string, number>>;

/** Anything with task counts (the kernel). */
export interface CountSource {
  /** Current counts by state. */
  counts(): Counts;
}

/**
 * The progress line's text for some counts. Pending includes tasks waiting for dependencies
 * and tasks waiting to retry; launched are with an executor but not yet reported running.
 *
 * @param c Counts by state.
 * @returns One line without a newline.
 *
 * @example
 * ```ts
 * import { formatProgress } from "./progress.ts";
 * import assert from "node:assert/strict";
 * const line = formatProgress({ exec_done: 2, memo_done: 1, failed: 1, pending: 5 });
 * assert(line === "tsflow: 3 done · 1 failed · 0 running · 0 launched · 5 pending");
 * ```
 */
export function formatProgress(c: Counts): string {
  const n = (...states: string[]) => states.reduce((sum, s) => sum + (c[s] ?? 0), 0);
  const running = n("running");
  const launched = Math.max(0, n("launched") - running);
  return `tsflow: ${n("exec_done", "memo_done")} done · ${n("failed", "dep_fail")} failed · ` +
    `${running} running · ${launched} launched · ${
      n("unsched", "pending", "fail_retryable", "joining")
    } pending`;
}

/** A progress line being shown; stop it before printing a final message. */
export interface Progress {
  /** Erases the line and stops updating it. */
  stop(): void;
}

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug"] as const;
const ERASE = new TextEncoder().encode("\r\x1b[K");

/**
 * Shows a progress line on stderr, redrawn every `intervalMs`, when stderr is a terminal;
 * otherwise does nothing.
 *
 * @param source Where counts come from.
 * @param intervalMs Redraw period. @default 250
 * @param isTerminal Whether to draw (tests pass it). @default Deno.stderr.isTerminal()
 * @returns A handle to stop it.
 *
 * @example
 * ```ts
 * import { startProgress } from "./progress.ts";
 * const p = startProgress({ counts: () => ({ pending: 1 }) }, 250, false);
 * p.stop(); // nothing was drawn: not a terminal
 * ```
 */
export function startProgress(
  source: CountSource,
  intervalMs = 250,
  isTerminal: boolean = Deno.stderr.isTerminal(),
): Progress {
  if (!isTerminal) return { stop() {} };
  const enc = new TextEncoder();
  let shown = false;
  const erase = () => {
    if (shown) Deno.stderr.writeSync(ERASE);
    shown = false;
  };
  const draw = () => {
    const columns = consoleColumns();
    const line = formatProgress(source.counts()).slice(0, columns - 1);
    Deno.stderr.writeSync(enc.encode(`\r\x1b[K${line}`));
    shown = true;
  };
  const originals = CONSOLE_METHODS.map((m) => [m, console[m]] as const);
  for (const [m, original] of originals) {
    console[m] = (...args: unknown[]) => {
      erase();
      original.apply(console, args);
    };
  }
  draw();
  const timer = setInterval(draw, intervalMs);
  Deno.unrefTimer(timer);
  return {
    stop() {
      clearInterval(timer);
      erase();
      for (const [m, original] of originals) console[m] = original;
    },
  };
}

function consoleColumns(): number {
  try {
    return Deno.consoleSize().columns || 80;
  } catch {
    return 80;
  }
}
