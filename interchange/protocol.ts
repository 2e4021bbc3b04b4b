/**
 * The one definition of the HighThroughputExecutor's wire messages: a schema per direction
 * (executor ⇄ interchange, interchange ⇄ manager, manager ⇄ worker), {@linkcode PROTOCOL}, from
 * which the message types are inferred and the validator that turns untrusted decoded values into
 * typed messages is built (`wire_schema.ts`), and the protocol version.
 *
 * Task bodies and outcomes travel as opaque bytes (`b`): the executor encodes a task, only the
 * worker decodes it, and the worker's encoded outcome goes back untouched. So the interchange
 * and the manager never need the user's serializer registrations, and never pay for them.
 *
 * @module
 */
import type { ResourceEvent } from "../dfk/monitoring_event.ts";
import { ProtocolError } from "./protocol_error.ts";
import {
  arr,
  bool,
  bytes,
  type Fields,
  fieldsValidator,
  type MessageUnion,
  num,
  obj,
  oneOf,
  opt,
  str,
} from "./wire_schema.ts";

/**
 * Version of this wire protocol; a pool speaking another one is refused at registration. 2: task
 * bodies are fixed-position arrays (a pool of version 1 could not read them). 3: task outcomes
 * are arrays too (a driver and a pool of versions 2 and 3 could not read each other's results).
 */
export const PROTOCOL_VERSION = 3;
/** tsflow version carried in registrations (informational; the protocol version decides). */
export { TSFLOW_VERSION } from "../dfk/version.ts";

/** Where a task ran: filled in by the interchange from the pool's registration. */
const PLACE = { managerId: opt(str), hostname: opt(str), blockId: opt(str) } as const;

/** A task as the interchange queues it. */
const TASK = {
  /** Executor-unique task sequence number (one per try). */
  id: num,
  /**
   * Priority from `resourceSpecification.priority`: lower first, as in Parsl; absent when the task
   * has none (it then runs after every prioritised task).
   */
  p: opt(num),
  /** Walltime in seconds (0: none); the manager enforces it. */
  w: num,
  /** Expected running time in seconds (0: unknown), for walltime-aware matching. */
  rt: num,
  /** App name, for error messages. */
  n: str,
  /** `function` or `bash`. */
  kind: oneOf("function", "bash"),
  /** Encoded worker TaskMessage (`task_codec.ts`). */
  b: bytes,
} as const;

/** A task's encoded outcome travelling back (value or error). */
const RESULT = {
  /** Task sequence number. */
  id: num,
  /** Encoded TaskOutcome (`task_codec.ts`). */
  b: bytes,
  /**
   * When a worker started the task (ms epoch), if the pool did not report it in a `running`
   * message: a short task's start rides on its result, with its place.
   */
  started: opt(num),
  /** The worker that ran it (with `started`). */
  workerId: opt(num),
  ...PLACE,
} as const;

/** A worker started or finished a task. */
const RUNNING = {
  /** Task sequence number. */
  id: num,
  /** `running` when a worker starts it, `running_ended` when it ends. */
  state: oneOf("running", "running_ended"),
  /** When (ms epoch). */
  time: num,
  /** Worker within the pool. */
  workerId: num,
  ...PLACE,
} as const;

/**
 * A sample of a worker process running a task: the monitoring ResourceEvent's sample fields,
 * keyed by the task's sequence number (the compiler checks below that the two agree).
 */
const RESOURCE = {
  /** Task sequence number. */
  id: num,
  /** When it was taken, ms since the epoch. */
  time: num,
  /** Process id sampled. */
  pid: num,
  /** Host name. */
  hostname: opt(str),
  /** CPU use, percent of one core. */
  cpuPercent: num,
  /** User CPU seconds. */
  cpuUser: num,
  /** System CPU seconds. */
  cpuSystem: num,
  /** Resident memory, bytes. */
  memoryRss: num,
  /** Virtual memory, bytes. */
  memoryVms: num,
  /** Bytes read. */
  readBytes: num,
  /** Bytes written. */
  writeBytes: num,
  /** Resident memory as a percent of the host's total. */
  memoryPercent: opt(num),
  /** Live descendant processes included in the sample. */
  childrenCount: opt(num),
  /** Process state letter from /proc. */
  processStatus: opt(str),
} as const;

/** A pool as the interchange reports it to the executor. */
const MANAGER_INFO = obj({
  /** Manager id. */
  managerId: str,
  /** Host it runs on. */
  hostname: str,
  /** Block it belongs to. */
  blockId: str,
  /** Worker processes. */
  workerCount: num,
  /** CPUs of its node. */
  cpuCount: num,
  /** Memory of its node, bytes. */
  totalMemory: num,
  /** Tasks it holds. */
  outstanding: num,
  /** Seconds since it last had no task (0 while busy). */
  idleSeconds: num,
  /** Whether it takes tasks (not held or draining). */
  active: bool,
  /** Whether it is draining: finishing its tasks before it exits (Parsl's `draining`). */
  draining: bool,
  /** Deno version of the pool. */
  denoVersion: opt(str),
  /** Seconds left before its block's walltime ends, if known. */
  walltimeRemaining: opt(num),
});

/** What a pool says when it registers. */
const REGISTER = {
  /** Wire protocol version it speaks. */
  protocol: num,
  /** Its tsflow version. */
  tsflowVersion: str,
  /** Its Deno version. */
  denoVersion: str,
  /** Its host. */
  hostname: str,
  /** Its block. */
  blockId: str,
  /** Its unique id. */
  managerId: str,
  /** Worker processes. */
  workerCount: num,
  /** Tasks it may hold beyond its workers. */
  prefetchCapacity: num,
  /** CPUs of its node. */
  cpuCount: num,
  /** Memory of its node, bytes. */
  totalMemory: num,
  /** When its block's walltime ends (epoch seconds, from TSFLOW_BLOCK_END_TIME), if known. */
  blockEndTime: opt(num),
  /** HMAC-SHA256(secret, nonce). */
  hmac: bytes,
} as const;

/** Liveness; any message also counts. */
const HEARTBEAT = {} as const;

/**
 * The one definition of the protocol: for each direction, its message kinds and their fields.
 * Types ({@linkcode MessageOf}), validation ({@linkcode validateMessage}) and the kind sets
 * ({@linkcode KINDS}) all follow from it; a new field or message is written here only.
 */
export const PROTOCOL = {
  /** Driver's executor to its interchange (stdin pipe). */
  executorToInterchange: {
    task: TASK,
    hb: HEARTBEAT,
    /** Stop giving tasks to a pool (scale-in picked it). */
    hold: { managerId: str },
    /** Let a pool, or every pool of a block, finish its tasks and exit. */
    drain: { managerId: opt(str), blockId: opt(str) },
    shutdown: {},
  },
  /** Interchange to the executor (stdout pipe). */
  interchangeToExecutor: {
    /** The interchange listens: its worker port and protocol (and Unix socket, if any). */
    started: { port: num, protocol: num, sock: opt(str) },
    result: RESULT,
    running: RUNNING,
    resource: RESOURCE,
    hb: HEARTBEAT,
    /**
     * A pool `registered`, was `lost` (gone: its tasks failed), or `updated`: it was held,
     * started draining, became busy or idle. Sent when it happens (busy/idle within
     * `BUSY_IDLE_REPORT_MS`, as one report of the latest state), so the executor's view is current.
     */
    node: {
      manager: MANAGER_INFO,
      event: oneOf("registered", "lost", "updated"),
      reason: opt(str),
    },
    /** Every registered pool, each heartbeat. */
    managers: { managers: arr(MANAGER_INFO) },
  },
  /** Interchange to a pool (TCP/TLS). */
  interchangeToManager: {
    challenge: { nonce: bytes, protocol: num },
    registered: { managerId: str, maxFrameBytes: opt(num) },
    refused: { reason: str },
    task: TASK,
    hb: HEARTBEAT,
    drain: {},
    stop: {},
  },
  /** Pool to the interchange. */
  managerToInterchange: {
    register: REGISTER,
    result: RESULT,
    running: RUNNING,
    resource: RESOURCE,
    hb: HEARTBEAT,
    draining: {},
    /** The pool wants a different prefetch (it pipelines while tasks are short). */
    capacity: { prefetchCapacity: num },
  },
  /** Manager to one of its workers (Unix socket). */
  managerToWorker: {
    run: { id: num, b: bytes },
  },
  /** Worker to its manager. */
  workerToManager: {
    hello: { workerId: num, pid: num },
    result: RESULT,
  },
} as const satisfies Record<string, Record<string, Fields>>;

/** A direction on the wire. */
export type Direction = keyof typeof PROTOCOL;

/** The message union of each direction, inferred from {@linkcode PROTOCOL}. */
export type MessageOf = { [D in Direction]: MessageUnion<(typeof PROTOCOL)[D]> };

/** One message kind of a direction. */
export type MessageKind<D extends Direction, K extends MessageOf[D]["k"]> = Extract<
  MessageOf[D],
  { k: K }
>;

/** Executor → interchange. */
export type ExecutorToInterchange = MessageOf["executorToInterchange"];
/** Interchange → executor. */
export type InterchangeToExecutor = MessageOf["interchangeToExecutor"];
/** Interchange → manager. */
export type InterchangeToManager = MessageOf["interchangeToManager"];
/** Manager → interchange. */
export type ManagerToInterchange = MessageOf["managerToInterchange"];
/** Manager → worker process. */
export type ManagerToWorker = MessageOf["managerToWorker"];
/** Worker process → manager. */
export type WorkerToManager = MessageOf["workerToManager"];

/** A task as the interchange queues it. */
export type TaskEnvelope = MessageKind<"executorToInterchange", "task">;
/** Where a task ran: the pool fields are filled in by the interchange from its registration. */
export type TaskPlace = Pick<ResultMsg, "managerId" | "hostname" | "blockId">;
/** A task's encoded outcome travelling back (value or error). */
export type ResultMsg = MessageKind<"managerToInterchange", "result">;
/** A worker started or finished a task. */
export type RunningMsg = MessageKind<"managerToInterchange", "running">;
/** A sample of a worker process running a task. */
export type ResourceMsg = MessageKind<"managerToInterchange", "resource">;
/** Liveness; any message also counts. */
export type HeartbeatMsg = { k: "hb" };
/** A pool as the interchange reports it to the executor. */
export type ManagerInfo = MessageKind<"interchangeToExecutor", "node">["manager"];
/** What a pool says when it registers. */
export type RegisterMsg = MessageKind<"managerToInterchange", "register">;

// The resource sample is monitoring's ResourceEvent minus its task keys: a drift on either side
// fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _resourceAgrees: Same<
  Omit<ResourceMsg, "k" | "id">,
  Omit<ResourceEvent, "type" | "runId" | "taskId" | "tryId">
> = true;
void _resourceAgrees;

const VALIDATORS = Object.fromEntries(
  Object.entries(PROTOCOL).map(([d, kinds]) => [
    d,
    new Map<string, ReturnType<typeof fieldsValidator>>(
      Object.entries(kinds as Record<string, Fields>).map(([k, f]) => [k, fieldsValidator(f)]),
    ),
  ]),
) as Record<Direction, Map<string, ReturnType<typeof fieldsValidator>>>;

/** The kinds each direction may carry (derived from {@linkcode PROTOCOL}). */
export const KINDS = Object.fromEntries(
  Object.entries(PROTOCOL).map(([d, kinds]) => [d, new Set(Object.keys(kinds))]),
) as unknown as { readonly [D in Direction]: ReadonlySet<string> };

/**
 * Checks one decoded value against the messages a direction may carry: its kind, and every
 * field its type claims (nested fields too).
 *
 * @param direction Which link the value arrived on.
 * @param value A decoded value from the peer (untrusted).
 * @returns The value, typed.
 * @throws ProtocolError (`unknown-kind` or `bad-message`) when it is not a valid message.
 *
 * @example
 * ```ts
 * import { validateMessage } from "./protocol.ts";
 * import assert from "node:assert/strict";
 * const m = validateMessage("managerToInterchange", { k: "hb" });
 * assert(m.k === "hb");
 * ```
 */
export function validateMessage<D extends Direction>(direction: D, value: unknown): MessageOf[D] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError("bad-message", `expected a message object, got ${typeof value}`);
  }
  const kind = (value as { k?: unknown }).k;
  const check = typeof kind === "string" ? VALIDATORS[direction].get(kind) : undefined;
  if (check === undefined) {
    throw new ProtocolError(
      "unknown-kind",
      `unknown message kind ${JSON.stringify(kind)} on ${direction}`,
    );
  }
  const bad = check(value);
  if (bad !== undefined) {
    throw new ProtocolError("bad-message", `message "${kind}" has a bad field "${bad}"`);
  }
  return value as MessageOf[D];
}
