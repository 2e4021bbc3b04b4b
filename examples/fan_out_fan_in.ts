/**
 * A fan-out/fan-in DAG: square 100 numbers in parallel, then sum the squares in one task that
 * depends on all of them (a future inside an array needs the deep dependency resolver).
 *
 *   deno run -A main.ts run examples/fan_out_fan_in.ts -- 100
 *
 * @module
 */
import { app, type Config, DEEP_DEPENDENCY_RESOLVER } from "../mod.ts";

/** Squares a number. */
export const square = app((x: number) => x * x);
/** Sums numbers. */
export const total = app((xs: number[]) => xs.reduce((a, b) => a + b, 0));

/** The default ThreadPoolExecutor, with the deep resolver. */
export const config: Config = { dependencyResolver: DEEP_DEPENDENCY_RESOLVER };

/** Fans out `n` squares and fans in their sum. */
export default async function main(args: string[] = []): Promise<void> {
  const n = args[0] ?? "100";
  const squares = Array.from({ length: Number(n) }, (_, i) => square(i));
  const sum = await total(squares);
  console.log(`sum of squares below ${n} = ${sum}`);
}
