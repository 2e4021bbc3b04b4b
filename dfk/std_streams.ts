/**
 * Bash apps' `stdout`/`stderr` specs, as Parsl takes them: a path (opened for appending), a
 * `[path, mode]` pair, a `File` (written, then staged out like an output), or
 * {@linkcode AUTO_LOGNAME} for a per-task file in the run directory. The kernel checks and resolves
 * a spec at submit; workers open what it resolved to.
 *
 * @module
 */
import { join, resolve } from "./_path.ts";
import { FILE_BRAND } from "./brands.ts";
import { BadStdStreamFile } from "./execution_errors.ts";
import type { File } from "./file.ts";

/**
 * Asks for an automatic std stream name (Parsl's `parsl.AUTO_LOGNAME`):
 * `runinfo/NNN/task_logs/0000/task_0007_<app>.stdout`, or the config's `stdNameGenerator` name.
 * Automatic names are left out of the memo key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AUTO_LOGNAME, File, load, ThreadPoolExecutor } from "../mod.ts";
 * import { generate } from "../examples/bash_pipeline.ts"; // a bashApp
 * const runDir = Deno.makeTempDirSync();
 * await using _dfk = await load({ executors: [new ThreadPoolExecutor({ maxThreads: 1 })], runDir });
 * const f = generate.with({ stdout: AUTO_LOGNAME, outputs: [new File(`${runDir}/n.txt`)] })(1);
 * await f;
 * assert.match(f.stdout as string, /task_logs\/0000\/task_\d{4}_generate\.stdout$/);
 * ```
 */
export const AUTO_LOGNAME: unique symbol = Symbol.for("tsflow.AUTO_LOGNAME") as never;

/** How a std stream file is opened: `w` truncates, `a` appends (`w+`/`a+` as Parsl takes them). */
export type StdMode = "w" | "a" | "w+" | "a+";

/**
 * A `stdout`/`stderr` target: a path (appended to, as Parsl opens it), `[path, mode]`, a `File`
 * (written, then staged out; `future.stdout` is its DataFuture), or {@linkcode AUTO_LOGNAME}.
 */
export type StdStream = string | [string, StdMode] | File | typeof AUTO_LOGNAME;

/** A resolved target, as the worker receives it: a path and whether to append. */
export type StdTarget = [path: string, mode: "w" | "a"];

const MODES: Record<string, "w" | "a"> = { w: "w", "w+": "w", a: "a", "a+": "a" };

function show(spec: unknown): string {
  if (typeof spec === "string") return JSON.stringify(spec);
  if (typeof spec === "symbol") return spec.toString();
  try {
    return JSON.stringify(spec) ?? String(spec);
  } catch {
    return String(spec);
  }
}

/**
 * Whether a spec is a File (of any tsflow copy).
 *
 * @param spec A spec.
 * @returns True for a File.
 *
 * @example
 * ```ts
 * import { isStdFile } from "./std_streams.ts";
 * import assert from "node:assert/strict";
 * assert(!isStdFile("out.txt"));
 * ```
 */
export function isStdFile(spec: unknown): spec is File {
  return typeof spec === "object" && spec !== null && FILE_BRAND in spec;
}

/**
 * Checks a path or `[path, mode]` spec and resolves it to what the worker opens.
 *
 * @param stream `stdout` or `stderr`, for messages.
 * @param spec The spec as given.
 * @returns The path and mode.
 * @throws BadStdStreamFile naming the spec when it is malformed.
 *
 * @example
 * ```ts
 * import { stdTarget } from "./std_streams.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(stdTarget("stdout", "t.out"), ["t.out", "a"]);
 * assert.deepEqual(stdTarget("stdout", ["t.out", "w"]), ["t.out", "w"]);
 * assert.throws(() => stdTarget("stdout", ["t.out", "bad"] as never), /t\.out/);
 * ```
 */
export function stdTarget(stream: "stdout" | "stderr", spec: unknown): StdTarget {
  if (typeof spec === "string" && spec !== "") return [spec, "a"];
  const fix = `give a path, [path, "w" | "a"], a File or AUTO_LOGNAME`;
  if (!Array.isArray(spec)) {
    throw new BadStdStreamFile(show(spec), `${stream} spec is not a path: ${fix}`);
  }
  if (spec.length !== 2) {
    throw new BadStdStreamFile(
      show(spec),
      `${stream} spec has ${spec.length} items, not 2: ${fix}`,
    );
  }
  const [path, mode] = spec;
  if (typeof path !== "string" || path === "") {
    throw new BadStdStreamFile(show(spec), `${stream} path is not a non-empty string: ${fix}`);
  }
  const m = typeof mode === "string" ? MODES[mode] : undefined;
  if (!m) {
    throw new BadStdStreamFile(
      show(spec),
      `${stream} mode ${show(mode)} is not one of "w", "a", "w+", "a+"`,
    );
  }
  return [path, m];
}

/**
 * Parsl's default automatic name: `<runDir>/task_logs/<id / 10000>/task_<id>_<app>.<stream>`,
 * ids padded to four digits (at most 10,000 files per folder).
 *
 * @param runDir The run directory.
 * @param taskId Task id.
 * @param appName App name.
 * @param stream `stdout` or `stderr`.
 * @returns An absolute path.
 *
 * @example
 * ```ts
 * import { autoLogName } from "./std_streams.ts";
 * import assert from "node:assert/strict";
 * assert(autoLogName("/r/000", 7, "hello", "stdout") === "/r/000/task_logs/0000/task_0007_hello.stdout");
 * ```
 */
export function autoLogName(
  runDir: string,
  taskId: number,
  appName: string,
  stream: "stdout" | "stderr",
): string {
  const folder = String(Math.floor(taskId / 10000)).padStart(4, "0");
  const file = `task_${String(taskId).padStart(4, "0")}_${appName}.${stream}`;
  return resolve(join(runDir, "task_logs", folder, file));
}

/** What {@linkcode prepareStdStreams} reads and sets on a task record. */
export interface StdStreamTask {
  /** Task id. */
  readonly id: number;
  /** App name. */
  readonly appName: string;
  /** The call's options; AUTO_LOGNAME specs are replaced by the chosen path. */
  call: { stdout?: StdStream; stderr?: StdStream };
  /** The resolved targets the worker opens. */
  stdTargets?: { stdout?: StdTarget; stderr?: StdTarget };
  /** Streams named automatically (left out of the memo key, as Parsl does). */
  autoStd?: ("stdout" | "stderr")[];
}

type NameGenerator = (
  appName: string,
  taskId: number,
  stream: "stdout" | "stderr",
) => string | undefined;

/** The name AUTO_LOGNAME stands for: the generator's, else Parsl's default; noted in autoStd. */
function autoName(
  task: StdStreamTask,
  stream: "stdout" | "stderr",
  runDir: string,
  generator?: NameGenerator,
): string {
  (task.autoStd ??= []).push(stream);
  return generator?.(task.appName, task.id, stream) ??
    autoLogName(runDir, task.id, task.appName, stream);
}

/**
 * Names a function app's AUTO_LOGNAME streams, as Parsl does for every app: the app does not
 * write them, but its future and monitoring give the name. Other specs are left as given.
 *
 * @param task The task record.
 * @param runDir The run directory.
 * @param generator The config's `stdNameGenerator`, if any.
 * @returns The streams named.
 *
 * @example
 * ```ts
 * import { AUTO_LOGNAME, nameAutoStreams, type StdStreamTask } from "./std_streams.ts";
 * import assert from "node:assert/strict";
 * const t: StdStreamTask = { id: 3, appName: "f", call: { stdout: AUTO_LOGNAME, stderr: "e" } };
 * assert.deepEqual(nameAutoStreams(t, "/r/000"), ["stdout"]);
 * assert(t.call.stdout === "/r/000/task_logs/0000/task_0003_f.stdout" && t.call.stderr === "e");
 * ```
 */
export function nameAutoStreams(
  task: StdStreamTask,
  runDir: string,
  generator?: NameGenerator,
): ("stdout" | "stderr")[] {
  const named: ("stdout" | "stderr")[] = [];
  for (const stream of ["stdout", "stderr"] as const) {
    if (task.call[stream] !== AUTO_LOGNAME) continue;
    task.call[stream] = autoName(task, stream, runDir, generator);
    named.push(stream);
  }
  return named;
}

/**
 * Checks a bash task's `stdout`/`stderr` specs and resolves them at submit: names unset streams
 * with the config's generator, AUTO_LOGNAME with the generator or Parsl's default, and turns each
 * spec into the path and mode the worker opens.
 *
 * @param task The task record.
 * @param runDir The run directory (for AUTO_LOGNAME).
 * @param generator The config's `stdNameGenerator`, if any.
 * @throws BadStdStreamFile naming a malformed spec.
 *
 * @example
 * ```ts
 * import { AUTO_LOGNAME, prepareStdStreams, type StdStreamTask } from "./std_streams.ts";
 * import assert from "node:assert/strict";
 * const t: StdStreamTask = { id: 3, appName: "hi", call: { stdout: AUTO_LOGNAME, stderr: "e" } };
 * prepareStdStreams(t, "/r/000");
 * assert(t.call.stdout === "/r/000/task_logs/0000/task_0003_hi.stdout");
 * assert.deepEqual(t.stdTargets?.stderr, ["e", "a"]);
 * ```
 */
export function prepareStdStreams(
  task: StdStreamTask,
  runDir: string,
  generator?: NameGenerator,
): void {
  const targets: { stdout?: StdTarget; stderr?: StdTarget } = {};
  for (const stream of ["stdout", "stderr"] as const) {
    let spec: unknown = task.call[stream];
    if (spec === undefined && generator) spec = generator(task.appName, task.id, stream);
    if (spec === AUTO_LOGNAME) spec = autoName(task, stream, runDir, generator);
    if (spec === undefined || spec === null) continue;
    // The kernel shares one frozen record among plain calls: this task gets its own.
    if (Object.isFrozen(task.call)) task.call = { ...task.call };
    task.call[stream] = spec as StdStream;
    // A File is written where it will be (its filepath), truncated as Parsl opens it ("w").
    targets[stream] = isStdFile(spec) ? [spec.filepath, "w"] : stdTarget(stream, spec);
  }
  task.stdTargets = targets;
}
