// The one way tests wait: for a condition or a promise, always bounded, never a fixed sleep.

/**
 * Polls `cond` every 20 ms until it holds; throws naming `what` after `seconds`. The bound only
 * absorbs a busy machine: a condition that holds returns at once.
 */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  seconds = 20,
  what = "condition",
): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`Timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Awaits `p`, failing after `seconds` (a test must never hang on a future that never settles). */
export async function within<T>(p: PromiseLike<T>, seconds: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: not done after ${seconds} s`)),
      seconds * 1000,
    );
  });
  try {
    return await Promise.race([Promise.resolve(p), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error `p` rejects with (an Error saying so when it resolves), bounded by `seconds`. */
export function failureOf(p: PromiseLike<unknown>, seconds: number, what: string): Promise<Error> {
  return within(
    Promise.resolve(p).then(() => new Error(`${what}: succeeded`), (e) => e as Error),
    seconds,
    what,
  );
}
