/**
 * The one definition of the HighThroughputExecutor's wire messages: a discriminated union per
 * direction (executor ⇄ interchange, interchange ⇄ manager, manager ⇄ worker), the protocol
 * version, and validators that turn untrusted decoded values into typed messages.
 *
 * Task bodies and outcomes travel as opaque bytes (`b`): the executor encodes a task, only the
 * worker decodes it, and the worker's encoded outcome goes back untouched. So the interchange
 * and the manager never need the user's serializer registrations, and never pay for them.
 *
 * @module
 */
import type { ResourceEvent } from "../dfk/monitoring_event.ts";
import { ProtocolError } from "./protocol_error.ts";

/** Version of this wire protocol; a pool speaking another one is refused at registration. */
export const PROTOCOL_VERSION = 1;
/** tsflow version carried in registrations (informational; the protocol version decides). */
export { TSFLOW_VERSION } from "../dfk/version.ts";

/** A task as the interchange queues it. */
export interface TaskEnvelope {
  /** Kind tag. */
  k: "task";
  /** Executor-unique task sequence number (one per try). */
  id: number;
  /**
   * Priority from `resourceSpecification.priority`: lower first, as in Parsl; absent when the task
   * has none (it then runs after every prioritised task).
   */
  p?: number;
  /** Walltime in seconds (0: none); the manager enforces it. */
  w: number;
  /** Expected running time in seconds (0: unknown), for walltime-aware matching. */
  rt: number;
  /** App name, for error messages. */
  n: string;
  /** `function` or `bash`. */
  kind: string;
  /** Encoded worker TaskMessage. */
  b: Uint8Array;
}

/** Where a task ran: the pool fields are filled in by the interchange from its registration. */
export interface TaskPlace {
  /** Its pool. */
  managerId?: string;
  /** Pool host. */
  hostname?: string;
  /** Pool block. */
  blockId?: string;
}

/** A task's encoded outcome travelling back (value or error). */
export interface ResultMsg extends TaskPlace {
  /** Kind tag. */
  k: "result";
  /** Task sequence number. */
  id: number;
  /** Encoded TaskOutcome. */
  b: Uint8Array;
  /**
   * When a worker started the task (ms epoch), if the pool did not report it in a `running`
   * message: a short task's start rides on its result, with its place.
   */
  started?: number;
  /** The worker that ran it (with `started`). */
  workerId?: number;
}

/** A worker started or finished a task. */
export interface RunningMsg extends TaskPlace {
  /** Kind tag. */
  k: "running";
  /** Task sequence number. */
  id: number;
  /** `running` when a worker starts it, `running_ended` when it ends. */
  state: "running" | "running_ended";
  /** When (ms epoch). */
  time: number;
  /** Worker within the pool. */
  workerId: number;
}

/**
 * A sample of a worker process running a task: the monitoring ResourceEvent's sample fields
 * (defined once there), keyed by the task's sequence number.
 */
export interface ResourceMsg extends Omit<ResourceEvent, "type" | "runId" | "taskId" | "tryId"> {
  /** Kind tag. */
  k: "resource";
  /** Task sequence number. */
  id: number;
}

/** Liveness; any message also counts. */
export interface HeartbeatMsg {
  /** Kind tag. */
  k: "hb";
}

/** A pool as the interchange reports it to the executor. */
export interface ManagerInfo {
  /** Manager id. */
  managerId: string;
  /** Host it runs on. */
  hostname: string;
  /** Block it belongs to. */
  blockId: string;
  /** Worker processes. */
  workerCount: number;
  /** CPUs of its node. */
  cpuCount: number;
  /** Memory of its node, bytes. */
  totalMemory: number;
  /** Tasks it holds. */
  outstanding: number;
  /** Seconds since it last had no task (0 while busy). */
  idleSeconds: number;
  /** Whether it takes tasks (not held or draining). */
  active: boolean;
  /** Whether it is draining: finishing its tasks before it exits (Parsl's `draining`). */
  draining: boolean;
  /** Deno version of the pool. */
  denoVersion?: string;
  /** Seconds left before its block's walltime ends, if known. */
  walltimeRemaining?: number;
}

/** Executor → interchange. */
export type ExecutorToInterchange =
  | TaskEnvelope
  | HeartbeatMsg
  | { k: "hold"; managerId: string }
  | { k: "drain"; managerId?: string; blockId?: string }
  | { k: "shutdown" };

/** Interchange → executor. */
export type InterchangeToExecutor =
  | { k: "started"; port: number; protocol: number; sock?: string }
  | ResultMsg
  | RunningMsg
  | ResourceMsg
  | HeartbeatMsg
  | {
    k: "node";
    manager: ManagerInfo;
    /**
     * `registered`, `lost` (gone: its tasks failed), or `updated`: it was held, started draining,
     * became busy or idle. Sent when it happens, so the executor's view is current.
     */
    event: "registered" | "lost" | "updated";
    reason?: string;
  }
  | { k: "managers"; managers: ManagerInfo[] };

/** Interchange → manager. */
export type InterchangeToManager =
  | { k: "challenge"; nonce: Uint8Array; protocol: number }
  | { k: "registered"; managerId: string; maxFrameBytes?: number }
  | { k: "refused"; reason: string }
  | TaskEnvelope
  | HeartbeatMsg
  | { k: "drain" }
  | { k: "stop" };

/** What a pool says when it registers. */
export interface RegisterMsg {
  /** Kind tag. */
  k: "register";
  /** Wire protocol version it speaks. */
  protocol: number;
  /** Its tsflow version. */
  tsflowVersion: string;
  /** Its Deno version. */
  denoVersion: string;
  /** Its host. */
  hostname: string;
  /** Its block. */
  blockId: string;
  /** Its unique id. */
  managerId: string;
  /** Worker processes. */
  workerCount: number;
  /** Tasks it may hold beyond its workers. */
  prefetchCapacity: number;
  /** CPUs of its node. */
  cpuCount: number;
  /** Memory of its node, bytes. */
  totalMemory: number;
  /** When its block's walltime ends (epoch seconds, from TSFLOW_BLOCK_END_TIME), if known. */
  blockEndTime?: number;
  /** HMAC-SHA256(secret, nonce). */
  hmac: Uint8Array;
}

/** Manager → interchange. */
export type ManagerToInterchange =
  | RegisterMsg
  | ResultMsg
  | RunningMsg
  | ResourceMsg
  | HeartbeatMsg
  | { k: "draining" }
  /** The pool wants a different prefetch (it pipelines while tasks are short). */
  | { k: "capacity"; prefetchCapacity: number };

/** Manager → worker process. */
export type ManagerToWorker = { k: "run"; id: number; b: Uint8Array };

/** Worker process → manager. */
export type WorkerToManager =
  | { k: "hello"; workerId: number; pid: number }
  | ResultMsg;

type Shape = Record<string, "number" | "string" | "bytes" | "object" | "number?" | "string?">;

/** The fields of {@linkcode TaskPlace}. */
const PLACE = { managerId: "string?", hostname: "string?", blockId: "string?" } as const;

const SHAPES = {
  task: {
    id: "number",
    p: "number?",
    w: "number",
    rt: "number",
    n: "string",
    kind: "string",
    b: "bytes",
  },
  result: { id: "number", b: "bytes", started: "number?", workerId: "number?", ...PLACE },
  run: { id: "number", b: "bytes" },
  running: { id: "number", state: "string", time: "number", workerId: "number", ...PLACE },
  resource: { id: "number", time: "number", pid: "number" },
  hb: {},
  hold: { managerId: "string" },
  drain: { managerId: "string?", blockId: "string?" },
  shutdown: {},
  started: { port: "number", protocol: "number", sock: "string?" },
  node: { manager: "object", event: "string" },
  managers: { managers: "object" },
  challenge: { nonce: "bytes", protocol: "number" },
  registered: { managerId: "string", maxFrameBytes: "number?" },
  refused: { reason: "string" },
  stop: {},
  register: {
    protocol: "number",
    tsflowVersion: "string",
    denoVersion: "string",
    hostname: "string",
    blockId: "string",
    managerId: "string",
    workerCount: "number",
    prefetchCapacity: "number",
    cpuCount: "number",
    totalMemory: "number",
    blockEndTime: "number?",
    hmac: "bytes",
  },
  draining: {},
  capacity: { prefetchCapacity: "number" },
  hello: { workerId: "number", pid: "number" },
} satisfies Record<string, Shape>;

type Kind = keyof typeof SHAPES;

/** The kinds each direction may carry. */
export const KINDS = {
  executorToInterchange: new Set<Kind>(["task", "hb", "hold", "drain", "shutdown"]),
  interchangeToExecutor: new Set<Kind>([
    "started",
    "result",
    "running",
    "resource",
    "hb",
    "node",
    "managers",
  ]),
  interchangeToManager: new Set<Kind>([
    "challenge",
    "registered",
    "refused",
    "task",
    "hb",
    "drain",
    "stop",
  ]),
  managerToInterchange: new Set<Kind>([
    "register",
    "result",
    "running",
    "resource",
    "hb",
    "draining",
    "capacity",
  ]),
  managerToWorker: new Set<Kind>(["run"]),
  workerToManager: new Set<Kind>(["hello", "result"]),
} as const;

/** A direction on the wire. */
export type Direction = keyof typeof KINDS;

/** The message union of each direction. */
export interface MessageOf {
  /** Driver's executor to its interchange (stdin pipe). */
  executorToInterchange: ExecutorToInterchange;
  /** Interchange to the executor (stdout pipe). */
  interchangeToExecutor: InterchangeToExecutor;
  /** Interchange to a pool (TCP/TLS). */
  interchangeToManager: InterchangeToManager;
  /** Pool to the interchange. */
  managerToInterchange: ManagerToInterchange;
  /** Manager to one of its workers (Unix socket). */
  managerToWorker: ManagerToWorker;
  /** Worker to its manager. */
  workerToManager: WorkerToManager;
}

function fits(v: unknown, t: Shape[string]): boolean {
  switch (t) {
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "number?":
      return v === undefined || (typeof v === "number" && Number.isFinite(v));
    case "string":
      return typeof v === "string";
    case "string?":
      return v === undefined || typeof v === "string";
    case "bytes":
      return v instanceof Uint8Array;
    case "object":
      return typeof v === "object" && v !== null;
  }
}

/**
 * Checks one decoded value against the messages a direction may carry.
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
  if (typeof kind !== "string" || !(KINDS[direction] as Set<string>).has(kind)) {
    throw new ProtocolError(
      "unknown-kind",
      `unknown message kind ${JSON.stringify(kind)} on ${direction}`,
    );
  }
  const shape: Shape = SHAPES[kind as Kind];
  for (const field in shape) {
    if (!fits((value as Record<string, unknown>)[field], shape[field])) {
      throw new ProtocolError("bad-message", `message "${kind}" has a bad field "${field}"`);
    }
  }
  return value as MessageOf[D];
}
