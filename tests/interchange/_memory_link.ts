// An in-memory pool link for driving the Interchange state machine without sockets. Every
// message still goes through the real frame encoder and decoder, so it is checked as on the wire.
import { encodeFrame, FrameDecoder } from "../../interchange/framing.ts";
import { Interchange } from "../../interchange/interchange.ts";
import type { Connection } from "../../interchange/connection.ts";
import type { ManagerLink } from "../../interchange/pool_record.ts";
import { randomSelector } from "../../interchange/matching.ts";
import { hmacAnswer } from "../../interchange/auth.ts";
import {
  type InterchangeToExecutor,
  PROTOCOL_VERSION,
  TSFLOW_VERSION,
} from "../../interchange/protocol.ts";
import { Logger } from "../../dfk/logger.ts";
import { decodeWire, EncodedMessage } from "../../interchange/wire_codec.ts";

export const SECRET = "test-secret";

export class MemoryLink implements ManagerLink {
  peer = "memory";
  sent: Record<string, unknown>[] = [];
  closed = false;
  conn!: Connection;
  send(msg: unknown): void {
    // Round-trip through the codec, as the socket would.
    this.sent.push(...(new FrameDecoder().push(encodeFrame([msg])) as Record<string, unknown>[]));
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.closed("closed by interchange");
  }
  /** Sends raw messages from the "pool" side through the frame codec (as a socket reads them). */
  deliver(msgs: unknown[]): void {
    // As the interchange reads a pool: each message's bytes, plain results relayed undecoded.
    this.conn.receiveEncoded(new FrameDecoder().pushEncoded(encodeFrame(msgs)));
  }
  of(kind: string): Record<string, unknown>[] {
    return this.sent.filter((m) => m.k === kind);
  }
}

export function makeInterchange(heartbeatThreshold = 10) {
  const toExecutor: InterchangeToExecutor[] = [];
  const ic = new Interchange({
    secret: SECRET,
    heartbeatPeriod: 1,
    heartbeatThreshold,
    selector: randomSelector(),
    logger: new Logger("test"),
    // A relayed result reaches the executor as the pool's bytes: decoded here, as it would be.
    toExecutor: (m) =>
      toExecutor.push(
        m instanceof EncodedMessage ? decodeWire(m.bytes) as InterchangeToExecutor : m,
      ),
  });
  return { ic, toExecutor };
}

export function connect(ic: Interchange): MemoryLink {
  const link = new MemoryLink();
  link.conn = ic.accept(link);
  return link;
}

export function registerMsg(link: MemoryLink, over: Record<string, unknown> = {}) {
  const nonce = link.of("challenge")[0].nonce as Uint8Array;
  return {
    k: "register",
    protocol: PROTOCOL_VERSION,
    tsflowVersion: TSFLOW_VERSION,
    denoVersion: Deno.version.deno,
    hostname: "h",
    blockId: "0",
    managerId: crypto.randomUUID(),
    workerCount: 1,
    prefetchCapacity: 0,
    cpuCount: 1,
    totalMemory: 1,
    hmac: hmacAnswer(SECRET, nonce),
    ...over,
  };
}

export function registeredPool(ic: Interchange, over: Record<string, unknown> = {}): MemoryLink {
  const link = connect(ic);
  link.deliver([registerMsg(link, over)]);
  if (link.of("registered").length !== 1) throw new Error("registration failed");
  return link;
}

export function taskMsg(id: number, p = 0) {
  return {
    k: "task",
    id,
    p,
    w: 0,
    rt: 0,
    n: "app",
    kind: "function",
    b: new Uint8Array([id & 255]),
  };
}

/** Lets queued microtasks (the interchange's coalesced scheduling) run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));
