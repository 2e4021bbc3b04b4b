// Apps the benchmarks run; workers import this module by URL.
import { app } from "../mod.ts";

/** Does nothing: measures the framework, not the work. */
export const noop = app(() => null);
