/**
 * A queued task as the interchange's {@linkcode TaskStore} keeps it in its arena: the task's
 * body (`b`, the bytes only the worker decodes) behind a header of what the envelope said, and
 * the `task` message rebuilt from it at dispatch, written straight into the pool's frame.
 *
 * A record is 9 bytes of header for a typical task against the ~48 of its MessagePack envelope
 * (key names, `"task"`, `"function"`, the app's name): the arena holds every queued task, so the
 * envelope was a third of the interchange's memory with a million tasks queued. The app's name
 * is stored once per name, as an index.
 *
 * Layout: flags (u8), id (u32, or f64 when `WIDE_ID`), name index (u16, or u32 when
 * `WIDE_NAME`), walltime (f64, when `HAS_W`), running time (f64, when `HAS_RT`), body length
 * (u16, or u32 when `WIDE_LEN`), then the body; or, when `PATCH`, the slot of the body's
 * template (u8) and the patch's length (u16), then the patch (`_body_templates.ts`).
 *
 * @module
 */
import {
  BIN_HEADER,
  decodeWire,
  EncodedMessage,
  encodeWire,
  numberSize,
  writeHeaderAt,
  writeNumberAt,
} from "./wire_codec.ts";
import { applyPatch } from "./_body_templates.ts";

const BASH = 1, HAS_W = 2, HAS_RT = 4, WIDE_ID = 8, WIDE_NAME = 16, WIDE_LEN = 32, PATCH = 64;

/** App names by index, each with its MessagePack bytes (a queued task refers to its name). */
export class TaskNames {
  #index = new Map<string, number>();
  #bytes: Uint8Array[] = [];
  /** The name found last (tasks come in runs of one app). */
  #last = -1;

  /**
   * The index of a name, added on first use.
   * @param name An app name.
   * @returns Its index.
   */
  index(name: string): number {
    let i = this.#index.get(name);
    if (i === undefined) {
      i = this.#bytes.length;
      this.#index.set(name, i);
      this.#bytes.push(encodeWire(name));
    }
    return this.#last = i;
  }

  /**
   * The index of a name given as MessagePack bytes, added on first use.
   * @param src Bytes holding the encoded name.
   * @param start Where it starts.
   * @param end Where it ends.
   * @returns Its index.
   */
  indexOf(src: Uint8Array, start: number, end: number): number {
    const last = this.#last < 0 ? undefined : this.#bytes[this.#last];
    if (last?.length === end - start) {
      let i = 0;
      while (i < last.length && last[i] === src[start + i]) i++;
      if (i === last.length) return this.#last;
    }
    return this.index(decodeWire(src.subarray(start, end)) as string);
  }

  /**
   * The MessagePack bytes of a name.
   * @param index Its index.
   * @returns The bytes (shared: not to be changed).
   */
  bytes(index: number): Uint8Array {
    return this.#bytes[index];
  }
}

const isU32 = (x: number) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff;

/** A task's fields as a record holds them (the body apart). */
export interface RecordHead {
  /** Task sequence number. */
  id: number;
  /** Its name's index ({@linkcode TaskNames}). */
  name: number;
  /** Whether its kind is `bash`. */
  bash: boolean;
  /** Walltime, seconds. */
  w: number;
  /** Expected running time, seconds. */
  rt: number;
  /** Its body's length. */
  length: number;
  /** The slot of its body's template, or -1 (the record holds the whole body). */
  template: number;
}

/**
 * Bytes of a task's record.
 * @param t The task's fields.
 * @param stored Bytes of the body or patch it holds.
 * @returns The record's size.
 */
export function recordSize(t: RecordHead, stored: number): number {
  return 1 + (isU32(t.id) ? 4 : 8) + (t.name <= 0xffff ? 2 : 4) + (Object.is(t.w, 0) ? 0 : 8) +
    (Object.is(t.rt, 0) ? 0 : 8) + (t.length <= 0xffff ? 2 : 4) + (t.template < 0 ? 0 : 3) +
    stored;
}

/**
 * Writes a task's record.
 * @param bytes The arena chunk.
 * @param view A view of the same chunk.
 * @param at Where the record starts (room for {@linkcode recordSize} bytes).
 * @param t The task's fields.
 * @param stored Holds its body, or its patch when it has a template.
 * @param storedLength Bytes of `stored` to keep.
 */
export function writeRecord(
  bytes: Uint8Array,
  view: DataView,
  at: number,
  t: RecordHead,
  stored: Uint8Array,
  storedLength: number,
): void {
  let flags = t.bash ? BASH : 0;
  let p = at + 1;
  const name = t.name;
  if (isU32(t.id)) {
    view.setUint32(p, t.id);
    p += 4;
  } else {
    flags |= WIDE_ID;
    view.setFloat64(p, t.id);
    p += 8;
  }
  if (name <= 0xffff) {
    view.setUint16(p, name);
    p += 2;
  } else {
    flags |= WIDE_NAME;
    view.setUint32(p, name);
    p += 4;
  }
  if (!Object.is(t.w, 0)) {
    flags |= HAS_W;
    view.setFloat64(p, t.w);
    p += 8;
  }
  if (!Object.is(t.rt, 0)) {
    flags |= HAS_RT;
    view.setFloat64(p, t.rt);
    p += 8;
  }
  const n = t.length;
  if (n <= 0xffff) {
    view.setUint16(p, n);
    p += 2;
  } else {
    flags |= WIDE_LEN;
    view.setUint32(p, n);
    p += 4;
  }
  if (t.template >= 0) {
    flags |= PATCH;
    bytes[p] = t.template;
    view.setUint16(p + 1, storedLength);
    p += 3;
  }
  bytes[at] = flags;
  if (storedLength === stored.length) bytes.set(stored, p);
  else for (let i = 0; i < storedLength; i++) bytes[p + i] = stored[i];
}

/** A record's fields, read from the arena. */
export interface RecordFields extends RecordHead {
  /** Where its body (or patch) starts in the chunk. */
  body: number;
  /** Bytes of body or patch the record holds. */
  stored: number;
}

// One result object, reused: reading a record allocates nothing.
const fields: RecordFields = {
  id: 0,
  name: 0,
  bash: false,
  w: 0,
  rt: 0,
  length: 0,
  template: -1,
  body: 0,
  stored: 0,
};

/**
 * Reads a record's header.
 * @param bytes The arena chunk.
 * @param view A view of the same chunk.
 * @param at Where the record starts.
 * @returns Its fields: an object reused by the next call (read them at once).
 */
export function readRecord(bytes: Uint8Array, view: DataView, at: number): RecordFields {
  const flags = bytes[at];
  let p = at + 1;
  const id = flags & WIDE_ID ? view.getFloat64(p) : view.getUint32(p);
  p += flags & WIDE_ID ? 8 : 4;
  const name = flags & WIDE_NAME ? view.getUint32(p) : view.getUint16(p);
  p += flags & WIDE_NAME ? 4 : 2;
  let w = 0, rt = 0;
  if (flags & HAS_W) {
    w = view.getFloat64(p);
    p += 8;
  }
  if (flags & HAS_RT) {
    rt = view.getFloat64(p);
    p += 8;
  }
  const length = flags & WIDE_LEN ? view.getUint32(p) : view.getUint16(p);
  p += flags & WIDE_LEN ? 4 : 2;
  let template = -1, stored = length;
  if (flags & PATCH) {
    template = bytes[p];
    stored = view.getUint16(p + 1);
    p += 3;
  }
  fields.id = id;
  fields.name = name;
  fields.bash = (flags & BASH) !== 0;
  fields.w = w;
  fields.rt = rt;
  fields.length = length;
  fields.template = template;
  fields.body = p;
  fields.stored = stored;
  return fields;
}

// The envelope's constant parts, as MessagePack.
const HEAD = Uint8Array.from([...encodeWire("k"), ...encodeWire("task"), ...encodeWire("id")]);
const KEY_P = encodeWire("p");
const KEY_W = encodeWire("w");
const KEY_RT = encodeWire("rt");
const KEY_N = encodeWire("n");
const KIND_FUNCTION = Uint8Array.from([...encodeWire("kind"), ...encodeWire("function")]);
const KIND_BASH = Uint8Array.from([...encodeWire("kind"), ...encodeWire("bash")]);
const KEY_B = encodeWire("b");

/**
 * The `task` message of a stored task, written into a frame from its record: the fields the
 * executor sent (a relay passes on every field the protocol defines for a task).
 */
export class TaskRecordMessage extends EncodedMessage {
  #chunk: Uint8Array;
  #id: number;
  #w: number;
  #rt: number;
  #bash: boolean;
  #body: number;
  #length: number;
  #stored: number;
  #template: Uint8Array | undefined;
  #p: number | undefined;
  #name: Uint8Array;
  #size: number;

  /**
   * Makes the message of a record.
   * @param chunk The arena chunk holding the record (kept alive by this message).
   * @param r The record's fields (copied).
   * @param p The task's priority, if it had one.
   * @param name Its name's MessagePack bytes.
   * @param template Its body's template, when the record holds a patch of it.
   */
  constructor(
    chunk: Uint8Array,
    r: RecordFields,
    p: number | undefined,
    name: Uint8Array,
    template?: Uint8Array,
  ) {
    super();
    this.#chunk = chunk;
    this.#id = r.id;
    this.#w = r.w;
    this.#rt = r.rt;
    this.#bash = r.bash;
    this.#body = r.body;
    this.#length = r.length;
    this.#stored = r.stored;
    this.#template = template;
    this.#p = p;
    this.#name = name;
    const n = r.length;
    this.#size = 1 + HEAD.length + numberSize(r.id) +
      (p === undefined ? 0 : KEY_P.length + numberSize(p)) +
      KEY_W.length + numberSize(r.w) + KEY_RT.length + numberSize(r.rt) +
      KEY_N.length + name.length + (r.bash ? KIND_BASH : KIND_FUNCTION).length +
      KEY_B.length + (n <= 0xff ? 2 : n <= 0xffff ? 3 : 5) + n;
  }

  /** Bytes of the message. */
  override get byteLength(): number {
    return this.#size;
  }

  /**
   * Writes the message into a frame.
   * @param out The frame.
   * @param view A view of the frame's buffer.
   * @param at Where the message starts.
   */
  override writeTo(out: Uint8Array, view: DataView, at: number): void {
    out[at++] = 0x80 | (this.#p === undefined ? 7 : 8);
    out.set(HEAD, at);
    at = writeNumberAt(out, view, at + HEAD.length, this.#id);
    if (this.#p !== undefined) {
      out.set(KEY_P, at);
      at = writeNumberAt(out, view, at + KEY_P.length, this.#p);
    }
    out.set(KEY_W, at);
    at = writeNumberAt(out, view, at + KEY_W.length, this.#w);
    out.set(KEY_RT, at);
    at = writeNumberAt(out, view, at + KEY_RT.length, this.#rt);
    out.set(KEY_N, at);
    out.set(this.#name, at + KEY_N.length);
    at += KEY_N.length + this.#name.length;
    const kind = this.#bash ? KIND_BASH : KIND_FUNCTION;
    out.set(kind, at);
    at += kind.length;
    out.set(KEY_B, at);
    at += KEY_B.length;
    const n = this.#length;
    at = writeHeaderAt(out, view, at, n, BIN_HEADER);
    const chunk = this.#chunk, from = this.#body, t = this.#template;
    if (t !== undefined) {
      out.set(t, at); // the template is the whole body (no view to make)
      applyPatch(out, at, chunk, from, this.#stored);
    } else if (n <= 256) {
      // A short body is copied by hand: a view to copy it with would be an object per task.
      for (let i = 0; i < n; i++) out[at + i] = chunk[from + i];
    } else out.set(chunk.subarray(from, from + n), at);
  }
}
