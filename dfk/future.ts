/**
 * Futures: what app calls return. {@linkcode AppFuture} stands for a task's result;
 * {@linkcode DataFuture} for an output file, done when the file has been produced and staged out.
 * Both are whole promises (`await f`, `.then`, `.catch`, `.finally`), and recognised across copies of tsflow by a `Symbol.for` brand.
 *
 * A failed future rejects only when someone observes it (`await`, `then`, `result()`): an
 * unobserved failure never becomes an unhandled rejection that kills the driver.
 *
 * @module
 */
import { FUTURE_BRAND } from "./brands.ts";
import type { File } from "./file.ts";
import type { TaskState } from "./states.ts";
import type { StdMode } from "./std_streams.ts";

/** How a future settled: its value, or its error. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };

/**
 * Base of tsflow's futures: settles once, notifies listeners synchronously, and makes a Promise
 * only when asked for one.
 *
 * @example
 * ```ts
 * import { Future } from "./future.ts";
 * import assert from "node:assert/strict";
 * const f = new Future<number>();
 * f.setResult(3);
 * assert(f.done() && (await f) === 3);
 * ```
 */
export class Future<T> implements Promise<T> {
  /** Brand so any copy of tsflow recognises this as a future (on the prototype). */
  declare readonly [FUTURE_BRAND]: true;
  // Pending, done or failed, and the value or error: two fields rather than an outcome object
  // per future (a finished future may be held long after).
  #state: 0 | 1 | 2 = 0;
  #value: unknown;
  // One listener is held as itself, more in an array: most futures have one (a million
  // futures may be pending at once).
  #listeners?: Listener<T> | Listener<T>[];
  #promise?: Promise<T>;

  /** Whether the future has a result or an error. */
  done(): boolean {
    return this.#state !== 0;
  }

  /**
   * Settles with a value (no effect if already settled).
   * @param value The result.
   */
  setResult(value: T): void {
    this.#settle(1, value);
  }

  /**
   * Settles with an error (no effect if already settled).
   * @param error The error.
   */
  setException(error: Error): void {
    this.#settle(2, error);
  }

  #settle(state: 1 | 2, value: unknown): void {
    if (this.#state !== 0) return;
    this.#state = state;
    this.#value = value;
    const ls = this.#listeners;
    this.#listeners = undefined;
    // Later calls make a settled Promise of their own: a finished future keeps none.
    this.#promise = undefined;
    if (ls === undefined) return;
    if (Array.isArray(ls)) { for (const l of ls) notify(this, l, state === 1, value); }
    else notify(this, ls, state === 1, value);
  }

  /**
   * Calls `cb` once the future settles (at once if it has), synchronously, without a Promise.
   * @param cb Listener.
   */
  onDone(cb: (f: Future<T>) => void): void {
    if (this.#state !== 0) cb(this);
    else this.#listeners = withListener(this.#listeners, cb);
  }

  /** The settled outcome, or undefined while pending. */
  get outcome(): Settled<T> | undefined {
    if (this.#state === 0) return undefined;
    return this.#state === 1
      ? { ok: true, value: this.#value as T }
      : { ok: false, error: this.#value as Error };
  }

  /**
   * The result, once done.
   * @returns A Promise of the value; rejects with the task's error.
   */
  result(): Promise<T> {
    return this.#asPromise();
  }

  /**
   * The error, once done.
   * @returns A Promise of the error, or of undefined when the task succeeded.
   */
  exception(): Promise<Error | undefined> {
    return new Promise((resolve) =>
      this.onDone((f) => resolve(f.#state === 1 ? undefined : f.#value as Error))
    );
  }

  /**
   * Promise-style `then`, so `await future` works.
   * @param onfulfilled Called with the value.
   * @param onrejected Called with the error.
   * @returns A Promise.
   */
  then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#asPromise().then(onfulfilled, onrejected);
  }

  /**
   * Promise-style `catch`: handles the error of a failed future (always an `Error`).
   * @param onrejected Called with the error.
   * @returns A Promise.
   */
  catch<B = never>(
    onrejected?: ((reason: Error) => B | PromiseLike<B>) | null,
  ): Promise<T | B> {
    return this.#asPromise().catch(onrejected);
  }

  /**
   * Promise-style `finally`: runs once the future settles, either way.
   * @param onfinally Called without arguments.
   * @returns A Promise that settles as this future did.
   */
  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#asPromise().finally(onfinally);
  }

  /** `Object.prototype.toString` tag, as a Promise has. */
  get [Symbol.toStringTag](): string {
    return "Future";
  }

  #asPromise(): Promise<T> {
    if (this.#promise) return this.#promise;
    // The Promise's own resolve and reject are the listener: no closure of ours per future.
    const r = Promise.withResolvers<T>();
    if (this.#state === 0) {
      this.#listeners = withListener<T>(this.#listeners, r);
      return this.#promise = r.promise;
    }
    notify<T>(this, r, this.#state === 1, this.#value);
    return r.promise;
  }
}

Object.defineProperty(Future.prototype, FUTURE_BRAND, { value: true });

/** What waits for a future: a callback, or a Promise's resolve and reject. */
type Listener<T> =
  | ((f: Future<T>) => void)
  | { resolve(value: T): void; reject(error: Error): void };

// Module functions rather than private methods: a class with private methods gives each
// instance one more slot (its brand).
function notify<T>(f: Future<T>, l: Listener<T>, ok: boolean, value: unknown): void {
  if (typeof l === "function") l(f);
  else if (ok) l.resolve(value as T);
  else l.reject(value as Error);
}

function withListener<T>(
  ls: Listener<T> | Listener<T>[] | undefined,
  l: Listener<T>,
): Listener<T> | Listener<T>[] {
  if (ls === undefined) return l;
  if (Array.isArray(ls)) {
    ls.push(l);
    return ls;
  }
  return [ls, l];
}

/** A copy of an ended task's view. */
function endedView(t: TaskView): TaskView {
  return {
    id: t.id,
    state: t.state,
    tryId: t.tryId,
    failHistory: t.failHistory,
    executor: t.executor,
  };
}

/** The outputs of a future whose task has none: one frozen empty list for all. */
const NO_OUTPUTS = Object.freeze([]) as unknown as DataFuture[];

/** What an AppFuture exposes of its task, for tools and tests. */
export interface TaskView {
  /** Task id. */
  readonly id: number;
  /** Current state. */
  readonly state: TaskState;
  /** Tries made so far, from 0. */
  readonly tryId: number;
  /** Errors of failed tries, as strings. */
  readonly failHistory: readonly string[];
  /** Executor label. */
  readonly executor: string;
}

/**
 * The future of an app call: its task's result.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { load, ThreadPoolExecutor } from "../mod.ts";
 * import { add } from "../examples/add.ts";
 * const runDir = Deno.makeTempDirSync();
 * await using _dfk = await load({ executors: [new ThreadPoolExecutor({ maxThreads: 1 })], runDir });
 * const f = add(1, 2); // AppFuture<number>, returned at once
 * assert.equal(typeof f.taskId, "number");
 * assert.equal(await f, 3);
 * assert.equal(f.done(), true);
 * ```
 */
export class AppFuture<T> extends Future<T> {
  /** Futures of the task's output files, in order. */
  outputs: DataFuture[] = NO_OUTPUTS;
  /**
   * Where a bash app's standard output goes (Parsl's `AppFuture.stdout`): the path or
   * `[path, mode]` as given, the path AUTO_LOGNAME chose, or for a File, its DataFuture.
   */
  declare stdout?: string | [string, StdMode] | DataFuture;
  /** Where a bash app's standard error goes, as {@linkcode AppFuture.stdout}. */
  declare stderr?: string | [string, StdMode] | DataFuture;
  #task: TaskView;

  /**
   * Creates an instance with the given options.
   * @param task The task behind this future.
   */
  constructor(task: TaskView) {
    super();
    this.#task = task;
  }

  /** The task's id. */
  get taskId(): number {
    return this.#task.id;
  }

  /**
   * Settles with the task's value; the task has ended, so the future keeps a copy of its view
   * rather than the kernel's whole record (a finished future may be held long after).
   * @param value The result.
   */
  override setResult(value: T): void {
    if (!this.done()) this.#task = endedView(this.#task);
    super.setResult(value);
  }

  /**
   * Settles with the task's error, keeping a copy of its view (as `setResult`).
   * @param error The error.
   */
  override setException(error: Error): void {
    if (!this.done()) this.#task = endedView(this.#task);
    super.setException(error);
  }

  /** The task's current state. */
  get taskState(): TaskState {
    return this.#task.state;
  }

  /** A read-only view of the task record. */
  get task(): TaskView {
    return this.#task;
  }
}

/**
 * The future of an output file: done (with the File) when the producing task has finished and the
 * file has been staged out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { File, load, ThreadPoolExecutor } from "../mod.ts";
 * import { generate } from "../examples/bash_pipeline.ts";
 * const runDir = Deno.makeTempDirSync();
 * await using _dfk = await load({ executors: [new ThreadPoolExecutor({ maxThreads: 1 })], runDir });
 * const f = generate.with({ outputs: [new File(`${runDir}/out.txt`)] })(2);
 * const file = await f.outputs[0]; // settles once out.txt is written
 * assert.equal(file.filepath, `${runDir}/out.txt`);
 * ```
 */
export class DataFuture extends Future<File> {
  /** The file. */
  readonly file: File;
  /** Id of the task producing it. */
  readonly taskId: number;

  /**
   * Creates an instance with the given options.
   * @param file The output file.
   * @param taskId The producing task.
   */
  constructor(file: File, taskId: number) {
    super();
    this.file = file;
    this.taskId = taskId;
  }

  /** The file's path where the task ran. */
  get filepath(): string {
    return this.file.filepath;
  }
}
