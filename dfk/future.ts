/**
 * Futures: what app calls return. {@linkcode AppFuture} stands for a task's result;
 * {@linkcode DataFuture} for an output file, done when the file has been produced and staged out.
 * Both are native Promises (`await f`, `Promise.all`, `.then`, `.catch`, `.finally` adopt them
 * as they are: `Promise.resolve(f) === f`), and recognised across copies of tsflow by a
 * `Symbol.for` brand.
 *
 * A failed future nobody observes never becomes an unhandled rejection that kills the driver:
 * it is marked handled just before it rejects; `await`, `then` and `result()` still see the error.
 *
 * @module
 */
import { FUTURE_BRAND, isThenable } from "./brands.ts";
import type { File } from "./file.ts";
import type { TaskState } from "./states.ts";
import type { StdMode } from "./std_streams.ts";

/** How a future settled: its value, or its error. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };

/** A synchronous listener of {@linkcode Future.onDone}. */
type Listener<T> = (f: Future<T>) => void;
type Resolve = (value: unknown) => void;

// Marks of a settled future in `#state` (a pending one holds its resolve function there).
const SUCCEEDED = 1;
const FAILED = 2;

// The Promise constructor's executor, one for all futures (no closure per future): it hands the
// resolve function over through this variable, read right after `super` returns. The reject
// function is let go (a million pending futures would keep a million of them); a failure rejects
// through resolve (see `setException`).
let handedOver: Resolve | undefined;
function takeResolve(resolve: Resolve): void {
  handedOver = resolve;
}
const ignore = () => {};

/**
 * Base of tsflow's futures: a native Promise that settles once, and that also notifies
 * listeners synchronously ({@linkcode Future.onDone}) and tells its outcome without waiting.
 *
 * `Promise.all`, `Promise.resolve` and `await` take it as it is (its `constructor` reads as
 * `Promise`), and `then`, `catch` and `finally` return plain Promises.
 *
 * @example
 * ```ts
 * import { Future } from "./future.ts";
 * import assert from "node:assert/strict";
 * const f = new Future<number>();
 * assert(Promise.resolve(f) === f);
 * f.setResult(3);
 * assert(f.done() && (await f) === 3);
 * ```
 */
export class Future<T> extends Promise<T> {
  /** Brand so any copy of tsflow recognises this as a future (on the prototype). */
  declare readonly [FUTURE_BRAND]: true;
  // Two fields serve both phases (a million futures may be pending at once): while pending,
  // `#state` is the Promise's resolve function and `#value` the listeners (one held as itself,
  // more in an array, most futures have one); once settled, `#state` is SUCCEEDED or FAILED and
  // `#value` the value or error. No private methods: they would give each instance a brand slot.
  #state: Resolve | typeof SUCCEEDED | typeof FAILED;
  #value: unknown;

  /** What `then` and the like make, should `constructor` read otherwise: plain Promises. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /** Creates a pending future. */
  constructor() {
    super(takeResolve as never);
    this.#state = handedOver!;
    handedOver = undefined;
  }

  /** Whether the future has a result or an error. */
  done(): boolean {
    return typeof this.#state !== "function";
  }

  /**
   * Settles with a value (no effect if already settled).
   * @param value The result.
   */
  setResult(value: T): void {
    const resolve = this.#state;
    if (typeof resolve !== "function") return;
    const ls = this.#value as Listeners<T> | undefined;
    this.#state = SUCCEEDED;
    this.#value = value;
    // A thenable value is adopted and may reject: handled too, like a failure.
    if (isThenable(value)) Promise.prototype.then.call(this, undefined, ignore);
    resolve(value);
    if (ls !== undefined) notify(this, ls);
  }

  /**
   * Settles with an error (no effect if already settled).
   * @param error The error.
   */
  setException(error: Error): void {
    const resolve = this.#state;
    if (typeof resolve !== "function") return;
    const ls = this.#value as Listeners<T> | undefined;
    this.#state = FAILED;
    this.#value = error;
    // Handled before it rejects, so an unobserved failure is no unhandled rejection; only
    // failing futures pay for it. Resolving with a thenable that rejects rejects this future.
    Promise.prototype.then.call(this, undefined, ignore);
    resolve({ then: (_: unknown, reject: (e: Error) => void) => reject(error) });
    if (ls !== undefined) notify(this, ls);
  }

  /**
   * Calls `cb` once the future settles (at once if it has), synchronously, without a Promise.
   * @param cb Listener.
   */
  onDone(cb: (f: Future<T>) => void): void {
    if (typeof this.#state !== "function") cb(this);
    else this.#value = withListener(this.#value as Listeners<T> | undefined, cb);
  }

  /** The settled outcome, or undefined while pending. */
  get outcome(): Settled<T> | undefined {
    const state = this.#state;
    if (typeof state === "function") return undefined;
    return state === SUCCEEDED
      ? { ok: true, value: this.#value as T }
      : { ok: false, error: this.#value as Error };
  }

  /**
   * The result, once done.
   * @returns This future (a Promise of the value; rejects with the task's error).
   */
  result(): Promise<T> {
    return this;
  }

  /**
   * The error, once done.
   * @returns A Promise of the error, or of undefined when the task succeeded.
   */
  exception(): Promise<Error | undefined> {
    return new Promise((resolve) =>
      this.onDone((f) => resolve(f.#state === SUCCEEDED ? undefined : f.#value as Error))
    );
  }

  /** `Object.prototype.toString` tag: `[object Future]`. */
  override get [Symbol.toStringTag](): string {
    return "Future";
  }
}

Object.defineProperty(Future.prototype, FUTURE_BRAND, { value: true });
adoptable(Future);

/**
 * Makes a Promise subclass's instances read `constructor` as `Promise`, so `Promise.resolve`,
 * `Promise.all` and `await` take them as they are rather than wrapping each as a thenable (one
 * more Promise and a job per future); `then` and the like then make plain Promises. Every class
 * deriving from Future needs it (a class's prototype has a `constructor` of its own).
 */
function adoptable(cls: { prototype: object }): void {
  Object.defineProperty(cls.prototype, "constructor", {
    value: Promise,
    writable: true,
    configurable: true,
  });
}

/** One listener as itself, more in an array. */
type Listeners<T> = Listener<T> | Listener<T>[];

// Module functions rather than private methods: a class with private methods gives each
// instance one more slot (its brand).
function notify<T>(f: Future<T>, ls: Listeners<T>): void {
  if (typeof ls === "function") ls(f);
  else for (const l of ls) l(f);
}

function withListener<T>(ls: Listeners<T> | undefined, l: Listener<T>): Listeners<T> {
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
  declare outputs: DataFuture[];
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
adoptable(AppFuture);
// Most tasks have no outputs: the empty list sits on the prototype rather than in each future
// (staging sets an own list on the futures of tasks that have some).
Object.defineProperty(AppFuture.prototype, "outputs", { value: NO_OUTPUTS, writable: true });

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
adoptable(DataFuture);
