/**
 * A join app: `fibonacci(n)` runs on the driver and returns the future of `add(fib(n-1),
 * fib(n-2))`, so the recursion unfolds into a DAG of tasks while no worker waits.
 *
 *   deno run -A main.ts run examples/join.ts -- 12
 *
 * @module
 */
import { type App, app, type AppFuture, joinApp } from "../mod.ts";

/** Adds two numbers on a worker. */
export const add = app((x: number, y: number) => x + y);
/** Returns its argument from a worker. */
export const value = app((x: number) => x);

/** The n-th Fibonacci number as a DAG of tasks. */
// Typed explicitly: a recursive app cannot have its type inferred from its own body.
export const fibonacci: App<[n: number], number> = joinApp<[n: number], AppFuture<number>>((n) =>
  n < 2 ? value(n) : add(fibonacci(n - 1), fibonacci(n - 2))
);

/** Prints fibonacci(n). */
export default async function main(args: string[] = []): Promise<void> {
  const n = args[0] ?? "12";
  console.log(`fibonacci(${n}) = ${await fibonacci(Number(n))}`);
}
