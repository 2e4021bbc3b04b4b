/**
 * `app`, `bashApp` and `joinApp`: turn functions into apps whose calls return an
 * {@linkcode AppFuture} at once. An app is identified on workers by its module URL and export
 * name, so it must be exported from its module (`export const add = app(...)`).
 *
 * Per-call options (Parsl's special keyword arguments) have one explicit form:
 * `add.with({ stdout: "add.out", walltime: 10, outputs: [new File("x")] })(1, 2)`.
 *
 * @module
 */
import { APP_BRAND, KERNEL_KEY } from "./brands.ts";
import { UnresolvableApp } from "./errors.ts";
import type { FunctionRef } from "./executor.ts";
import type { AppFuture } from "./future.ts";
import type { File } from "./file.ts";
import type { StdStream } from "./std_streams.ts";
import type { ResourceSpecification } from "./task_context.ts";

/** Version of the app/kernel contract between copies of tsflow in one process. */
export const APP_API_VERSION = 1;

/** Definition-time options of an app. */
export interface AppOptions {
  /** Export name, when it cannot be found by scanning the module (rarely needed). */
  name?: string;
  /** Labels of executors the app may run on. @default "all" */
  executors?: string[] | "all";
  /** Memoize: identical calls in a run (and checkpointed ones) run once. @default false */
  cache?: boolean;
  /** Arguments left out of the memo key: parameter names, positions, or call-option names. */
  ignoreForCache?: (string | number)[];
  /** Default walltime in seconds. */
  walltime?: number;
  /** Default stdout target (bash apps). */
  stdout?: StdStream;
  /** Default stderr target (bash apps). */
  stderr?: StdStream;
  /** Default resource request. */
  resourceSpecification?: ResourceSpecification;
}

/** Per-call options (Parsl's special keyword arguments). */
export interface CallOptions {
  /**
   * Inputs (Parsl's `inputs=[...]`): any values. Files are staged in; futures (AppFutures,
   * DataFutures, promises) are waited for and replaced by their values, as arguments are.
   */
  inputs?: unknown[];
  /** Output files; each gets a DataFuture in `future.outputs`. */
  outputs?: File[];
  /** Standard output target (bash apps). */
  stdout?: StdStream;
  /** Standard error target (bash apps). */
  stderr?: StdStream;
  /** Walltime in seconds. */
  walltime?: number;
  /** Resource request (Parsl's `parsl_resource_specification`). */
  resourceSpecification?: ResourceSpecification;
}

/** The options of a plain call (see {@linkcode mergeCallOptions}). */
const NO_OPTIONS: CallOptions = Object.freeze({});

/**
 * A call's options over its app's defaults. Internal, not public API.
 *
 * A plain call of an app with no such defaults shares one frozen empty record of options (a
 * million tasks may be in flight); the few steps that write to a task's options copy it first.
 *
 * @param o The app's options.
 * @param call The call's options.
 * @returns The options the task runs with.
 *
 * @example
 * ```ts
 * import { mergeCallOptions } from "./app.ts";
 * import assert from "node:assert/strict";
 * assert(Object.isFrozen(mergeCallOptions({}, {})));
 * assert.equal(mergeCallOptions({ walltime: 5 }, {}).walltime, 5);
 * assert.equal(mergeCallOptions({ walltime: 5 }, { walltime: 1 }).walltime, 1);
 * ```
 */
export function mergeCallOptions(o: AppOptions, call: CallOptions): CallOptions {
  const plain = call.stdout === undefined && call.stderr === undefined &&
    call.walltime === undefined && call.resourceSpecification === undefined &&
    call.inputs === undefined && call.outputs === undefined && o.stdout === undefined &&
    o.stderr === undefined && o.walltime === undefined && o.resourceSpecification === undefined;
  return plain ? NO_OPTIONS : {
    stdout: call.stdout ?? o.stdout,
    stderr: call.stderr ?? o.stderr,
    walltime: call.walltime ?? o.walltime,
    resourceSpecification: call.resourceSpecification ?? o.resourceSpecification,
    inputs: call.inputs,
    outputs: call.outputs,
  };
}

/** The kinds of app. */
export type AppKind = "function" | "bash" | "join";

/** The record behind an app, shared (by brand) with any copy of tsflow. */
export interface AppDefinition {
  /** Kind of body. */
  kind: AppKind;
  /** The wrapped function. */
  fn: (...args: never[]) => unknown;
  /** Definition-time options. */
  options: AppOptions;
  /** URL of the module that created the app (from the call stack). */
  module?: string;
  /** Creation order of this app within its module. */
  ordinal: number;
  /** The resolved reference, once known. */
  ref?: FunctionRef;
  /** Contract version. */
  apiVersion: number;
}

/**
 * What a caller may pass for a parameter of type `T`: the value, a future or promise of it, or,
 * for an array or tuple, the same with any element a future (recursively). The default resolver
 * waits for futures at the top level; futures inside arrays need
 * `dependencyResolver: DEEP_DEPENDENCY_RESOLVER` (else the call fails at submit, saying so).
 *
 * @example An array of futures where the app takes numbers
 * ```ts
 * import type { FuturableArg } from "./app.ts";
 * const squares: FuturableArg<number[]> = [Promise.resolve(1), 4];
 * ```
 */
export type FuturableArg<T> =
  | T
  | PromiseLike<T>
  | (T extends readonly unknown[] ? { [K in keyof T]: FuturableArg<T[K]> } : never);

/** An app's parameter list as callers may pass it: each argument a {@linkcode FuturableArg}. */
export type Futurable<A extends unknown[]> = { [K in keyof A]: FuturableArg<A[K]> };

/** A callable app. */
export interface App<A extends unknown[], R> {
  /** Calls the app: submits a task and returns its future at once. */
  (...args: Futurable<A>): AppFuture<R>;
  /** Binds per-call options: `app.with({ stdout })(...args)`. */
  with(opts: CallOptions): (...args: Futurable<A>) => AppFuture<R>;
  /** The app's name (export name once bound, else the function's name). */
  readonly appName: string;
  /**
   * The definition record. Internal, not public API.
   * @ignore
   */
  readonly [APP_BRAND]: AppDefinition;
}

/** What an app needs of the running kernel (kept on `globalThis`, shared by copies). */
export interface KernelLike {
  /** Contract version; must equal {@linkcode APP_API_VERSION}. */
  readonly apiVersion: number;
  /** Submits a call. */
  submit(def: AppDefinition, args: unknown[], call: CallOptions): AppFuture<unknown>;
}

const ordinals = new Map<string, number>();
/** Set while a module is evaluated a second time to read its export names (function_ref.ts). */
let scanning: { module: string; next: number } | undefined;

/**
 * Numbers the apps of a second evaluation of `module` from 0 again, so they line up with the
 * first evaluation's import-time apps; `undefined` ends it.
 *
 * @param module Module URL, or undefined to stop.
 *
 * @example
 * ```ts ignore
 * // Not run by `deno test --doc`: re-evaluates a workflow module; function_ref.ts uses it, tests/dfk/ cover it.
 * setScanning(url); await import(url + "#tsflow-scan"); setScanning(undefined);
 * ```
 */
export function setScanning(module: string | undefined): void {
  scanning = module ? { module, next: 0 } : undefined;
}
const HERE = import.meta.url;
const FRAME_URL = /((?:file|https?):\/\/[^\s()]+?):\d+:\d+\)?$/;

/** URL of the module that called app(), from the stack. */
function callerModule(): string | undefined {
  const stack = new Error().stack ?? "";
  for (const line of stack.split("\n").slice(1)) {
    const m = FRAME_URL.exec(line.trim());
    if (m && m[1] !== HERE) return m[1];
  }
  return undefined;
}

function makeApp<A extends unknown[], R>(
  kind: AppKind,
  fn: (...args: A) => unknown,
  options: AppOptions,
): App<A, R> {
  const module = callerModule();
  let ordinal = 0;
  if (scanning && module === scanning.module) ordinal = scanning.next++;
  else if (module) {
    ordinal = ordinals.get(module) ?? 0;
    ordinals.set(module, ordinal + 1);
  }
  const def: AppDefinition = {
    kind,
    fn: fn as (...args: never[]) => unknown,
    options,
    module,
    ordinal,
    apiVersion: APP_API_VERSION,
  };
  const call = (opts: CallOptions, args: unknown[]): AppFuture<R> =>
    kernel().submit(def, args, opts) as AppFuture<R>;
  const appFn = ((...args: unknown[]) => call({}, args)) as App<A, R>;
  Object.defineProperties(appFn, {
    [APP_BRAND]: { value: def },
    with: { value: (opts: CallOptions) => (...args: unknown[]) => call(opts, args) },
    appName: { get: () => def.ref?.export ?? options.name ?? (fn.name || "anonymous") },
  });
  return appFn;
}

function kernel(): KernelLike {
  const k = (globalThis as Record<symbol, KernelLike | undefined>)[KERNEL_KEY];
  if (!k) {
    throw new UnresolvableApp(
      "No tsflow kernel is running: call `await load(config)` before calling apps, " +
        "or run the workflow with `tsflow run flow.ts`",
    );
  }
  if (k.apiVersion !== APP_API_VERSION) {
    throw new UnresolvableApp(
      `The running tsflow kernel speaks app contract v${k.apiVersion} but this copy of tsflow ` +
        `speaks v${APP_API_VERSION}: import tsflow from the same version the binary runs`,
    );
  }
  return k;
}

/**
 * Turns a function into an app. Calling the app submits a task and returns an
 * {@linkcode AppFuture} at once; arguments may be futures (the task waits for them).
 *
 * @param fn The function; it runs on a worker, which imports this module by URL.
 * @param options Definition-time options.
 * @returns The app.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { load, ThreadPoolExecutor } from "../mod.ts";
 * // examples/add.ts: `export const add = app((x: number, y: number) => x + y);`
 * import { add } from "../examples/add.ts";
 * const runDir = Deno.makeTempDirSync();
 * await using _dfk = await load({ executors: [new ThreadPoolExecutor({ maxThreads: 1 })], runDir });
 * assert.equal(await add(5, 3), 8);
 * ```
 */
export function app<A extends unknown[], R>(
  fn: (...args: A) => R,
  options: AppOptions = {},
): App<A, Awaited<R>> {
  return makeApp<A, Awaited<R>>("function", fn, options);
}

/**
 * Turns a function that returns a command line into a bash app: the command runs with
 * `/bin/bash -c` on the worker; a non-zero exit fails the task with `BashExitFailure`; the
 * result is the exit code (0).
 *
 * @param fn Returns the command line.
 * @param options Definition-time options (`stdout`, `stderr`, `walltime`…).
 * @returns The app.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { File, load, ThreadPoolExecutor } from "../mod.ts";
 * // examples/bash_pipeline.ts:
 * // `export const generate = bashApp((n: number) => `shuf -i 1-100000 -n ${n} > ${taskContext().outputs[0]}`);`
 * import { generate } from "../examples/bash_pipeline.ts";
 * const runDir = Deno.makeTempDirSync();
 * await using _dfk = await load({ executors: [new ThreadPoolExecutor({ maxThreads: 1 })], runDir });
 * const out = `${runDir}/numbers.txt`;
 * assert.equal(await generate.with({ outputs: [new File(out)] })(3), 0); // the exit code
 * assert.equal(Deno.readTextFileSync(out).trim().split("\n").length, 3);
 * ```
 */
export function bashApp<A extends unknown[]>(
  fn: (...args: A) => string | Promise<string>,
  options: AppOptions = {},
): App<A, number> {
  return makeApp<A, number>("bash", fn, options);
}

/**
 * Turns a function that runs on the driver and returns a future (or an array of futures) into
 * a join app: the task completes with the inner value(s).
 *
 * @param fn Returns a future or an array of futures.
 * @param options Definition-time options.
 * @returns The app.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { load, ThreadPoolExecutor } from "../mod.ts";
 * // examples/join.ts: `export const fibonacci = joinApp((n: number) =>
 * //   n < 2 ? value(n) : add(fibonacci(n - 1), fibonacci(n - 2)));`
 * import { fibonacci } from "../examples/join.ts";
 * const runDir = Deno.makeTempDirSync();
 * await using _dfk = await load({ executors: [new ThreadPoolExecutor({ maxThreads: 1 })], runDir });
 * assert.equal(await fibonacci(6), 8);
 * ```
 */
export function joinApp<A extends unknown[], T>(
  fn: (...args: A) => T | Promise<T>,
  options: AppOptions = {},
): App<A, JoinResult<T>> {
  return makeApp<A, JoinResult<T>>("join", fn, options);
}

/** The value a join app completes with: the inner value, or the array of inner values. */
export type JoinResult<T> = T extends PromiseLike<infer U>[] ? U[]
  : T extends PromiseLike<infer U> ? U
  : never;

/**
 * The definition behind an app (from any copy of tsflow), or undefined for other values.
 *
 * @param v Any value.
 * @returns The definition or undefined.
 *
 * @example
 * ```ts
 * import { appDefinition } from "./app.ts";
 * import assert from "node:assert/strict";
 * assert(appDefinition(() => 1) === undefined);
 * ```
 */
export function appDefinition(v: unknown): AppDefinition | undefined {
  if (typeof v !== "function") return undefined;
  return (v as unknown as Record<symbol, AppDefinition | undefined>)[APP_BRAND];
}
