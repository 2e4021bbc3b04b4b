/**
 * The seed's first workflow: `add(5, 3)` and `twice(add(5, 3))`, on a HighThroughputExecutor
 * with one local block (an interchange process and a worker pool of 2 worker processes).
 *
 *   deno task demo                     # = deno run -A main.ts run examples/add.ts
 *   deno run -A main.ts run examples/add.ts
 *
 * @module
 */
import { app, type Config, HighThroughputExecutor, LocalProvider } from "../mod.ts";

/** Adds two numbers on a worker. */
export const add = app((x: number, y: number) => x + y);
/** Doubles a number on a worker. */
export const twice = app((x: number) => 2 * x);

/** One local block of 2 workers, started at once. */
export const config: Config = {
  executors: [
    new HighThroughputExecutor({
      label: "htex_local",
      maxWorkersPerNode: 2,
      provider: new LocalProvider({ initBlocks: 1, minBlocks: 0, maxBlocks: 1 }),
    }),
  ],
};

/** Runs the workflow (called by `tsflow run`). */
export default async function main(): Promise<void> {
  const sum = add(5, 3);
  console.log(`add(5, 3) = ${await sum}`);
  console.log(`twice(add(5, 3)) = ${await twice(add(5, 3))}`);
}
