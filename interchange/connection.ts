/**
 * One pool connection's protocol state (challenged → registered → closed), apart from what the
 * interchange does with a pool: it sends the challenge, takes a registration first and nothing
 * else, validates every (untrusted) message, ignores messages that come after the connection
 * closed or its pool was forgotten, and closes the connection on bad input.
 *
 * @module
 */
import type { Logger } from "../dfk/logger.ts";
import { makeNonce } from "./auth.ts";
import type { Manager, ManagerLink } from "./pool_record.ts";
import {
  type ManagerToInterchange,
  PROTOCOL_VERSION,
  type RegisterMsg,
  validateMessage,
} from "./protocol.ts";
import { ProtocolError } from "./protocol_error.ts";
import { scanResult } from "./_message_scan.ts";
import { decodeWire } from "./wire_codec.ts";

/** A registered pool's message, as a {@linkcode Connection} hands it on. */
export type PoolMessage = Exclude<ManagerToInterchange, RegisterMsg>;

/** The state of one pool connection (state union: challenged → registered → closed). */
export interface Connection {
  /** Feeds decoded (untrusted) messages from the pool. */
  receive(msgs: unknown[]): void;
  /**
   * Feeds messages from the pool as their encoded bytes (views valid during the call): a
   * worker's plain result is relayed without being decoded; the rest are decoded and handled
   * as {@linkcode Connection.receive} does.
   */
  receiveEncoded(msgs: Uint8Array[]): void;
  /** The connection ended (peer closed, bad input, or we closed it). */
  closed(reason: string): void;
  /** Whether the pool has registered (proven the run's secret). */
  readonly registered: boolean;
}

/** What a {@linkcode Connection} asks of the interchange that owns its pool. */
export interface ConnectionHost {
  /** Log. */
  readonly logger: Logger;
  /**
   * Checks a registration and records the pool, or refuses it (telling the pool and closing the
   * link itself).
   */
  register(link: ManagerLink, nonce: Uint8Array, r: RegisterMsg): Manager | undefined;
  /** Whether the pool is still registered (not lost or forgotten). */
  current(m: Manager): boolean;
  /** The link spoke (for loss detection). */
  seen(link: ManagerLink): void;
  /**
   * A registered pool's message; a result the interchange adds nothing to comes with its bytes
   * (a view valid only during the call).
   */
  message(m: Manager, msg: PoolMessage, encoded?: Uint8Array): void;
  /** A registered pool's result in the plain form a worker writes, as its bytes (a view). */
  result(m: Manager, id: number, encoded: Uint8Array): void;
  /** A batch of messages was handled. */
  received(): void;
  /** The connection ended; `m` is its pool when it had registered. */
  ended(link: ManagerLink, m: Manager | undefined, reason: string): void;
}

/**
 * Opens a pool connection: sends the challenge and returns the handlers for what the pool sends.
 *
 * @param link The connection.
 * @param host The interchange's side.
 * @returns Handlers for the pool's messages and its end.
 *
 * @example A pool that does not register first is cut off
 * ```ts
 * import assert from "node:assert/strict";
 * import { openConnection } from "./connection.ts";
 * import { Logger } from "../dfk/logger.ts";
 * const sent: unknown[] = [];
 * let closed = false;
 * const link = { peer: "test", send: (m: unknown) => sent.push(m), close: () => (closed = true) };
 * const conn = openConnection(link, {
 *   logger: new Logger("interchange", undefined, "error"),
 *   register: () => undefined,
 *   current: () => true,
 *   seen: () => {},
 *   message: () => {},
 *   result: () => {},
 *   received: () => {},
 *   ended: () => {},
 * });
 * assert.equal((sent[0] as { k: string }).k, "challenge");
 * conn.receive([{ k: "hb" }]);
 * assert(closed && !conn.registered);
 * ```
 */
export function openConnection(link: ManagerLink, host: ConnectionHost): Connection {
  const nonce = makeNonce();
  let manager: Manager | undefined;
  let done = false;
  host.seen(link);
  link.send({ k: "challenge", nonce, protocol: PROTOCOL_VERSION });
  const fail = (fault: ProtocolError) => {
    host.logger.warn(`Closing connection from ${link.peer}: ${fault.message}`);
    link.close();
  };
  /** Whether messages may be handled now (not after the end, nor from a forgotten pool). */
  const open = (count: number): boolean => {
    if (done) {
      host.logger.info(`Ignoring ${count} late message(s) from closed connection ${link.peer}`);
      return false;
    }
    if (manager && !host.current(manager)) {
      host.logger.info(`Ignoring ${count} late message(s) from forgotten pool ${manager.id}`);
      return false;
    }
    host.seen(link);
    return true;
  };
  /** Handles one decoded message; false when the connection must stop reading. */
  const one = (raw: unknown, encoded?: Uint8Array): boolean => {
    let m;
    try {
      m = validateMessage("managerToInterchange", raw);
      if (!manager) {
        if (m.k !== "register") {
          throw new ProtocolError("bad-message", `expected "register", got "${m.k}"`);
        }
        manager = host.register(link, nonce, m);
        return manager !== undefined;
      }
      if (m.k === "register") throw new ProtocolError("bad-message", "registered twice");
    } catch (e) {
      done = true;
      if (e instanceof ProtocolError) fail(e);
      else throw e;
      return false;
    }
    // A view of the read buffer: the executor's writer copies it as it is sent.
    if (m.k === "result" && m.started === undefined && encoded) host.message(manager, m, encoded);
    else host.message(manager, m);
    return true;
  };
  return {
    receive: (msgs) => {
      if (!open(msgs.length)) return;
      for (const m of msgs) if (!one(m)) return;
      host.received();
    },
    receiveEncoded: (msgs) => {
      if (!open(msgs.length)) return;
      for (let i = 0; i < msgs.length; i++) {
        const bytes = msgs[i];
        // A worker's result, relayed as it is: nothing to decode.
        const id = manager ? scanResult(bytes) : undefined;
        if (id !== undefined) {
          host.result(manager!, id, bytes);
          continue;
        }
        let raw: unknown;
        try {
          raw = decodeWire(bytes);
        } catch (e) {
          done = true;
          fail(new ProtocolError("garbage", `undecodable message: ${(e as Error)?.message ?? e}`));
          return;
        }
        if (!one(raw, bytes)) return;
      }
      host.received();
    },
    get registered() {
      return manager !== undefined;
    },
    closed: (reason) => {
      done = true;
      host.ended(link, manager, reason);
    },
  };
}
