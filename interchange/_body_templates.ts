/**
 * Task bodies held as patches of a template: the interchange's queue holds many tasks of the
 * same app, whose bodies differ in a few bytes only (the task's id and sequence number) and
 * repeat the rest (the module's URL, the export, the kind, the empty arguments and context). A
 * body of the same length as a template is kept as the bytes where it differs from it: a queued
 * no-op's 85-byte body becomes ~12 bytes of patch.
 *
 * The bodies stay opaque: this compares bytes, nothing more. A template is a copy of the first
 * body of its length; one stays while a queued task refers to it, and there are at most
 * {@linkcode MAX_TEMPLATES} (a body that fits none is kept whole).
 *
 * A patch is a list of `skip` (u8: bytes equal to the template), `n` (u8), then `n` bytes that
 * differ; a skip over 255 bytes is written as 255 and an empty difference.
 *
 * @module
 */

/** Most templates alive at once. */
export const MAX_TEMPLATES = 64;
/** Bodies shorter than this are kept whole (no patch would save much). */
const MIN_BODY = 24;
/**
 * Bodies longer than this are kept whole: a large body is rarely repeated byte for byte, and
 * comparing it with its template would cost more than it saves.
 */
const MAX_BODY = 1024;

/**
 * Templates of task bodies, by length.
 *
 * @example
 * ```ts
 * import { applyPatch, BodyTemplates } from "./_body_templates.ts";
 * import assert from "node:assert/strict";
 * const t = new BodyTemplates();
 * const a = new Uint8Array(40).fill(1), b = a.slice();
 * b[3] = 9;
 * t.match(a);
 * const slot = t.match(b);
 * const out = t.template(slot).slice();
 * applyPatch(out, 0, t.patch, 0, t.patchLength);
 * assert.deepEqual(out, b);
 * ```
 */
export class BodyTemplates {
  #slots: (Uint8Array | undefined)[] = [];
  #refs: number[] = [];
  #free: number[] = [];
  #byLength = new Map<number, number>();
  #live = 0;
  /** The patch {@linkcode BodyTemplates.match} made last (`patchLength` bytes of it). */
  patch: Uint8Array = new Uint8Array(MAX_BODY);
  /** Bytes of {@linkcode BodyTemplates.patch} in use. */
  patchLength = 0;

  /** Templates alive. */
  get size(): number {
    return this.#live;
  }

  /**
   * Finds (or makes) the template of a body and writes the body's patch; the caller keeps the
   * template while it is used ({@linkcode BodyTemplates.retain}).
   * @param body A task body.
   * @returns The template's slot, or -1: keep the body whole.
   */
  match(body: Uint8Array): number {
    const n = body.length;
    if (n < MIN_BODY || n > MAX_BODY) return -1;
    let slot = this.#byLength.get(n);
    if (slot !== undefined && this.#diff(this.#slots[slot]!, body)) return slot;
    // None, or too different: this body becomes its length's template (the old one stays
    // while tasks refer to it).
    if (this.#live >= MAX_TEMPLATES) return -1;
    slot = this.#free.pop() ?? this.#slots.length;
    this.#slots[slot] = body.slice();
    this.#refs[slot] = 0;
    this.#live++;
    this.#byLength.set(n, slot);
    this.patchLength = 0;
    return slot;
  }

  /**
   * A template's bytes.
   * @param slot Its slot.
   * @returns The bytes (not to be changed; they stay valid after the template is dropped).
   */
  template(slot: number): Uint8Array {
    return this.#slots[slot]!;
  }

  /**
   * One more task refers to a template.
   * @param slot Its slot.
   */
  retain(slot: number): void {
    this.#refs[slot]++;
  }

  /**
   * One task less refers to a template; it is dropped when none does.
   * @param slot Its slot.
   */
  release(slot: number): void {
    if (--this.#refs[slot] > 0) return;
    const t = this.#slots[slot]!;
    if (this.#byLength.get(t.length) === slot) this.#byLength.delete(t.length);
    this.#slots[slot] = undefined;
    this.#free.push(slot);
    this.#live--;
  }

  /** Writes the patch from `t` to `b` (same length); false when it would not save much. */
  #diff(t: Uint8Array, b: Uint8Array): boolean {
    const n = b.length, p = this.patch;
    // A patch longer than half the body saves too little: make a new template instead.
    const most = n >> 1;
    let at = 0, i = 0;
    while (i < n) {
      let skip = 0;
      while (i < n && t[i] === b[i]) {
        i++;
        if (++skip === 255) {
          if (at + 2 > most) return false;
          p[at++] = 255;
          p[at++] = 0;
          skip = 0;
        }
      }
      if (i === n) break;
      const start = i;
      while (i < n && t[i] !== b[i] && i - start < 255) i++;
      const len = i - start;
      if (at + 2 + len > most) return false;
      p[at++] = skip;
      p[at++] = len;
      for (let j = 0; j < len; j++) p[at++] = b[start + j];
    }
    this.patchLength = at;
    return true;
  }
}

/**
 * Applies a patch to a copy of its template.
 * @param out Bytes holding the template's copy.
 * @param at Where the copy starts.
 * @param patch Bytes holding the patch.
 * @param from Where the patch starts.
 * @param length The patch's length.
 *
 * @example
 * ```ts
 * import { applyPatch } from "./_body_templates.ts";
 * import assert from "node:assert/strict";
 * const out = Uint8Array.of(1, 1, 1, 1);
 * applyPatch(out, 0, Uint8Array.of(2, 1, 7), 0, 3);
 * assert.deepEqual(out, Uint8Array.of(1, 1, 7, 1));
 * ```
 */
export function applyPatch(
  out: Uint8Array,
  at: number,
  patch: Uint8Array,
  from: number,
  length: number,
): void {
  const end = from + length;
  let p = from;
  while (p < end) {
    at += patch[p];
    const n = patch[p + 1];
    p += 2;
    for (let j = 0; j < n; j++) out[at + j] = patch[p + j];
    at += n;
    p += n;
  }
}
