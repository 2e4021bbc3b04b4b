// Apps the HighThroughputExecutor benchmark runs (workers import this module by URL).
import { app } from "../dfk/app.ts";

/** Does nothing: measures the executor, not the work. */
export const noop = app(() => null);
