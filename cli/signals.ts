/**
 * Ctrl-C and SIGTERM for `tsflow run`: the first signal asks for a clean stop, a second one
 * (more than a second later, so the copy a terminal and a forwarding parent both deliver counts
 * once) asks to stop at once.
 *
 * @module
 */

/** What the run command waits on. */
export interface SignalWatch {
  /** Resolves with the exit code (130 for SIGINT, 143 for SIGTERM) at the first signal. */
  first: Promise<number>;
  /** Resolves at a second, later signal. */
  second: Promise<number>;
  /** Removes the listeners. */
  close(): void;
}

const CODES = { SIGINT: 130, SIGTERM: 143 } as const;
const REPEAT_MS = 1000;

/**
 * Starts listening for SIGINT and SIGTERM.
 *
 * @returns The watch; call `close()` when done.
 *
 * @example
 * ```ts
 * import { watchSignals } from "./signals.ts";
 * const w = watchSignals();
 * w.close();
 * ```
 */
export function watchSignals(): SignalWatch {
  const first = Promise.withResolvers<number>();
  const second = Promise.withResolvers<number>();
  let at = 0;
  const listeners = (Object.keys(CODES) as (keyof typeof CODES)[]).map((sig) => {
    const h = () => {
      const now = Date.now();
      if (at === 0) {
        at = now;
        first.resolve(CODES[sig]);
      } else if (now - at > REPEAT_MS) {
        second.resolve(CODES[sig]);
      }
    };
    Deno.addSignalListener(sig, h);
    return [sig, h] as const;
  });
  return {
    first: first.promise,
    second: second.promise,
    close() {
      for (const [sig, h] of listeners) Deno.removeSignalListener(sig, h);
    },
  };
}
