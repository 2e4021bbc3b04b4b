/**
 * The HighThroughputExecutor's outstanding tries: each try's small record (not its task, whose
 * arguments may be large) by the executor's sequence number, its `task` message made when the
 * interchange's writer has room (else the try waits in the {@linkcode TaskOutbox} as its number
 * and its message is made from the kernel's record when its turn comes), and its end handed to
 * the sink it was launched with, once.
 *
 * @module
 */
import type { ExecutorTask, TaskSink } from "../dfk/executor.ts";
import { SeqTable } from "../dfk/_seq_table.ts";
import { BodyChunks, type OutboxWriter, TaskOutbox } from "./_task_outbox.ts";
import { encodeTask } from "./task_codec.ts";

/**
 * An outstanding try: only what its events and its end need, not the task (its arguments may
 * be large). `id` and `tryId` are the kernel's, as the events want them.
 */
export class InFlight {
  /** Whether a `running` message came for it (its `running_ended` must follow). */
  running = false;
  /**
   * Records a try.
   * @param id The kernel's task id.
   * @param tryId The try.
   * @param sink Where its end goes.
   * @param token Handed back to the sink.
   */
  constructor(
    readonly id: number,
    readonly tryId: number,
    readonly sink: TaskSink,
    readonly token: unknown,
  ) {}
}

/** The token of a `submit` call: its Promise's functions, and the task until it is sent. */
interface SubmitToken {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  task?: ExecutorTask;
}

/** The sink of `submit`. */
const PROMISE_SINK: TaskSink = {
  settled(token, ok, value) {
    const t = token as SubmitToken;
    if (ok) t.resolve(value);
    else t.reject(value);
  },
  task(token) {
    const t = token as SubmitToken;
    const task = t.task;
    t.task = undefined;
    return task;
  },
};

/**
 * Launches a try with a sink that settles a Promise (an executor's `submit`).
 *
 * @param task The task.
 * @param launch The executor's `launch`.
 * @returns The try's value, or rejects with its error.
 *
 * @example
 * ```ts
 * import { launchAsPromise } from "./htex_tries.ts";
 * import type { ExecutorTask } from "../dfk/executor.ts";
 * import assert from "node:assert/strict";
 * const v = await launchAsPromise({} as ExecutorTask, (_t, sink, token) => sink.settled(token, true, 7));
 * assert.equal(v, 7);
 * ```
 */
export function launchAsPromise(
  task: ExecutorTask,
  launch: (task: ExecutorTask, sink: TaskSink, token: unknown) => void,
): Promise<unknown> {
  return new Promise((resolve, reject) =>
    launch(task, PROMISE_SINK, { resolve, reject, task } satisfies SubmitToken)
  );
}

/**
 * The outstanding tries of one executor.
 *
 * @example
 * ```ts
 * import { HtexTries, launchAsPromise } from "./htex_tries.ts";
 * import assert from "node:assert/strict";
 * const sent: unknown[] = [];
 * const tries = new HtexTries(() => {});
 * tries.open({ send: (m) => sent.push(m), backlog: 0, flushed: () => Promise.resolve() });
 * const ref = { module: "file:///flow.ts", export: "add" };
 * const context = {
 *   appName: "add", taskId: 1, tryId: 0, inputs: [], outputs: [], resourceSpecification: {},
 * };
 * const task = { id: 1, tryId: 0, ref, kind: "function" as const, args: [1, 2], context };
 * const done = launchAsPromise(task, (t, sink, token) => tries.launch(t, sink, token));
 * assert.equal(sent.length, 1);
 * tries.settle(1, true, 3);
 * assert.equal(await done, 3);
 * assert.equal(tries.size, 0);
 * ```
 */
export class HtexTries {
  #pending = new SeqTable<InFlight>();
  #outbox?: TaskOutbox;
  #seq = 0;
  readonly #logError: (msg: string) => void;
  readonly #bodies = new BodyChunks();

  /**
   * An empty table.
   * @param logError Logs a sink that threw (the executor's log).
   */
  constructor(logError: (msg: string) => void) {
    this.#logError = logError;
  }

  /** Tries sent (or waiting to be) and not yet ended. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Starts sending, through the interchange's writer.
   * @param writer The interchange link's writer.
   */
  open(writer: OutboxWriter): void {
    this.#outbox = new TaskOutbox(writer, (id) => this.#heldMessage(id));
  }

  /**
   * A message to the interchange, behind the tries waiting in the outbox.
   * @param m The message.
   * @returns Whether the outbox took it (false before {@linkcode HtexTries.open}).
   */
  send(m: object): boolean {
    if (!this.#outbox) return false;
    this.#outbox.send(m);
    return true;
  }

  /** Stops sending: tries still waiting in the outbox are dropped (end them with `failAll`). */
  close(): void {
    this.#outbox?.close();
  }

  /**
   * Sends one try, or lets it wait as its number (see the module doc).
   * @param task The task.
   * @param sink Told how the try ended, once.
   * @param token Handed back to the sink.
   * @returns The try's sequence number.
   */
  launch(task: ExecutorTask, sink: TaskSink, token: unknown): number {
    // Ids enter the table in increasing order (SeqTable): taken and entered together.
    const id = ++this.#seq;
    this.#pending.set(id, new InFlight(task.id, task.tryId, sink, token));
    try {
      if (this.#outbox!.hasRoom() || !sink.task) {
        this.#outbox!.send(this.#message(id, task));
        // Sent: `submit`'s token lets go of the task (its arguments) until the result.
        if (sink === PROMISE_SINK) (token as SubmitToken).task = undefined;
      } else this.#outbox!.hold(id);
    } catch (e) {
      this.#pending.delete(id);
      throw e;
    }
    return id;
  }

  /**
   * The record of an outstanding try.
   * @param id Its sequence number.
   * @returns The record, or undefined once ended.
   */
  get(id: number): InFlight | undefined {
    return this.#pending.get(id);
  }

  /**
   * Ends a try: its sink is told, once (a later end of the same try is ignored).
   * @param id Its sequence number.
   * @param ok Whether it succeeded.
   * @param value Its value, or its error.
   */
  settle(id: number, ok: boolean, value: unknown): void {
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    try {
      p.sink.settled(p.token, ok, value);
    } catch (e) {
      // The kernel's handling of one result must not stop the results behind it.
      this.#logError(`Handling the end of task ${p.id} failed: ${(e as Error)?.stack ?? e}`);
    }
  }

  /**
   * Ends every outstanding try with an error.
   * @param errorFor The error of each.
   */
  failAll(errorFor: () => Error): void {
    for (const id of [...this.#pending.keys()]) this.settle(id, false, errorFor());
  }

  /** The message of a try that waited in the outbox, made now (undefined: none to send). */
  #heldMessage(id: number): object | undefined {
    const p = this.#pending.get(id);
    if (!p) return undefined;
    let task: ExecutorTask | undefined;
    try {
      task = p.sink.task!(p.token);
      // The sink describes the task's current try: a later one means this try is over.
      if (task && task.tryId === p.tryId) return this.#message(id, task);
    } catch (e) {
      this.settle(id, false, e);
      return undefined;
    }
    // It ended meanwhile (cancelled): nothing will come back for it.
    this.#pending.delete(id);
    return undefined;
  }

  /** The `task` message of one try (its body encoded now, into a shared chunk). */
  #message(id: number, task: ExecutorTask): object {
    const b = this.#bodies.copy(encodeTask(task, true));
    const spec = task.context.resourceSpecification ?? {};
    const w = task.context.walltime ?? 0;
    const rt = spec.running_time ?? 0;
    const n = task.context.appName ?? task.ref.export;
    return spec.priority === undefined
      ? { k: "task", id, w, rt, n, kind: task.kind, b }
      : { k: "task", id, p: spec.priority, w, rt, n, kind: task.kind, b };
  }
}
