// Type-level checks of app call signatures, checked by `deno task check` (not run): futures are
// accepted where a dependency resolver waits for them, and wrong types still fail.
import { app, type AppFuture, bashApp, joinApp } from "../../mod.ts";

const square = app((x: number) => x * x);
const total = app((xs: number[]) => xs.reduce((a, b) => a + b, 0));
const pair = app((p: [number, string]) => p);
const label = bashApp((name: string, n: number) => `echo ${name} ${n}`);
const incAll = joinApp((xs: number[]) => xs.map((x) => square(x)));

export function fanIn(): PromiseLike<unknown>[] {
  const squares = [1, 2, 3].map((i) => square(i));
  // Results keep their types.
  const sum: AppFuture<number> = total(squares);
  const both: AppFuture<[number, string]> = pair([square(1), "a"]);
  const inner: AppFuture<number[]> = incAll([square(1), 2]);
  return [
    sum,
    both,
    inner,
    // A future at the top level.
    square(square(2)),
    // An array of futures where the app takes number[] (the fan-in of examples/fan_out_fan_in.ts).
    total(squares),
    // Futures and values mixed in one array; a promise of the whole array.
    total([square(1), 2, Promise.resolve(3)]),
    total(Promise.resolve([1, 2])),
    // A nested array of futures for a tuple.
    pair([square(1), "a"]),
    label(Promise.resolve("x"), square(2)),
    incAll([square(1), 2]),
  ];
}

export function stillRejected(): void {
  // @ts-expect-error a string is not a number
  square("2");
  // @ts-expect-error a future of a string is not a number
  square(Promise.resolve("2"));
  // @ts-expect-error an array of string futures is not number[]
  total([Promise.resolve("a")]);
  // @ts-expect-error a future of a number is not number[]
  total(square(2));
  // @ts-expect-error the tuple's second element must be a string
  pair([square(1), square(2)]);
  // @ts-expect-error too few arguments
  label("x");
}
