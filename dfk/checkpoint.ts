/**
 * Checkpoint files: an append-only file per run, `runinfo/NNN/checkpoint/tasks.ckpt`, one record
 * per successful memoized task (memo key → result). Each record carries its length and a CRC-32,
 * so a torn last record (a crash mid-write) is detected and skipped with a warning, and a corrupt
 * record in the middle is a {@linkcode BadCheckpoint} naming the file: never a wrong result.
 *
 * @module
 */
import { join } from "./_path.ts";
import { crc32 } from "./crc32.ts";
import { BadCheckpoint } from "./errors.ts";
import { decode, encode } from "./serialize/codec.ts";

const MAGIC = new TextEncoder().encode("TSFLOWCK1\n");
/** File name of the checkpoint inside a checkpoint directory. */
export const CHECKPOINT_FILE = "tasks.ckpt";

/**
 * Appends records to one run's checkpoint file.
 *
 * @example
 * ```ts
 * import { CheckpointWriter, loadCheckpoints } from "./checkpoint.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const w = new CheckpointWriter(dir);
 * w.add("key1", { answer: 42 });
 * w.flush();
 * const { results } = loadCheckpoints([dir]);
 * assert((results.get("key1") as { answer: number }).answer === 42);
 * ```
 */
export class CheckpointWriter {
  /** The checkpoint directory. */
  readonly dir: string;
  #pending: Uint8Array[] = [];
  #file?: Deno.FsFile;

  /** @param dir Checkpoint directory (created on first write). */
  constructor(dir: string) {
    this.dir = dir;
  }

  /** Records waiting for the next flush. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /**
   * Queues one record.
   * @param key Memo key.
   * @param value Task result.
   */
  add(key: string, value: unknown): void {
    const body = encode([key, value]);
    const rec = new Uint8Array(8 + body.length);
    const dv = new DataView(rec.buffer);
    dv.setUint32(0, body.length);
    dv.setUint32(4, crc32(body));
    rec.set(body, 8);
    this.#pending.push(rec);
  }

  #flushQueued = false;

  /** Writes queued records at the end of this turn: one write for every task done in it. */
  flushSoon(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      this.flush();
    });
  }

  /** Writes queued records. */
  flush(): void {
    if (this.#pending.length === 0) return;
    const file = this.#open();
    const total = this.#pending.reduce((n, r) => n + r.length, 0);
    const buf = new Uint8Array(total);
    let off = 0;
    for (const r of this.#pending) {
      buf.set(r, off);
      off += r.length;
    }
    this.#pending = [];
    writeAll(file, buf);
  }

  #open(): Deno.FsFile {
    if (!this.#file) {
      Deno.mkdirSync(this.dir, { recursive: true });
      const path = join(this.dir, CHECKPOINT_FILE);
      this.#file = Deno.openSync(path, { append: true, create: true });
      if (this.#file.statSync().size === 0) writeAll(this.#file, MAGIC);
    }
    return this.#file;
  }

  /**
   * Flushes and closes. The checkpoint file exists afterwards even with no record (as Parsl's
   * empty `tasks.pkl`), so every run with a checkpoint mode leaves a directory the next run can
   * be given.
   */
  close(): void {
    this.flush();
    this.#open();
    this.#file?.close();
    this.#file = undefined;
  }
}

function writeAll(f: Deno.FsFile, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += f.writeSync(data.subarray(off));
}

/**
 * Loads the results in checkpoint directories (or files).
 *
 * @param paths Checkpoint directories (`runinfo/NNN/checkpoint`) or files.
 * @returns Results by memo key, and warnings about skipped torn records.
 * @throws BadCheckpoint for an unreadable or corrupt file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getLastCheckpoint, loadCheckpoints } from "./checkpoint.ts";
 * const runinfo = Deno.makeTempDirSync(); // no run has written a checkpoint yet
 * const { results, warnings } = loadCheckpoints(getLastCheckpoint(runinfo));
 * assert.equal(results.size, 0);
 * assert.deepEqual(warnings, []);
 * ```
 */
export function loadCheckpoints(
  paths: string[],
): { results: Map<string, unknown>; warnings: string[] } {
  const results = new Map<string, unknown>();
  const warnings: string[] = [];
  for (const p of paths) {
    const file = p.endsWith(".ckpt") ? p : join(p, CHECKPOINT_FILE);
    let data: Uint8Array;
    try {
      data = Deno.readFileSync(file);
    } catch (e) {
      throw new BadCheckpoint(file, `cannot read it (${(e as Error).message})`);
    }
    if (data.length < MAGIC.length || !MAGIC.every((b, i) => data[i] === b)) {
      throw new BadCheckpoint(file, "it is not a tsflow checkpoint file (bad header)");
    }
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let off = MAGIC.length;
    let n = 0;
    while (off < data.length) {
      const left = data.length - off;
      const len = left >= 8 ? dv.getUint32(off) : 0;
      if (left < 8 || 8 + len > left) {
        warnings.push(
          `${file}: last record is truncated (${left} bytes at offset ${off}); loaded ${n} intact records`,
        );
        break;
      }
      const body = data.subarray(off + 8, off + 8 + len);
      if (crc32(body) !== dv.getUint32(off + 4)) {
        if (off + 8 + len === data.length) {
          warnings.push(
            `${file}: last record is torn (bad checksum at offset ${off}); loaded ${n} intact records`,
          );
          break;
        }
        throw new BadCheckpoint(
          file,
          `record at offset ${off} is corrupt (bad checksum); delete the file or remove it from checkpointFiles`,
        );
      }
      let rec: [string, unknown];
      try {
        rec = decode(body) as [string, unknown];
      } catch (e) {
        throw new BadCheckpoint(
          file,
          `record at offset ${off} cannot be decoded (${(e as Error).message})`,
        );
      }
      results.set(rec[0], rec[1]);
      n++;
      off += 8 + len;
    }
  }
  return { results, warnings };
}

function runDirs(runDir: string): string[] {
  let names: string[];
  try {
    names = [...Deno.readDirSync(runDir)].filter((e) => e.isDirectory && /^\d+$/.test(e.name))
      .map((e) => e.name);
  } catch {
    return [];
  }
  return names.sort((a, b) => Number(a) - Number(b)).map((n) => join(runDir, n, "checkpoint"));
}

/**
 * Every checkpoint directory under a run directory, oldest first (Parsl's `get_all_checkpoints`).
 *
 * @param runDir The runs' parent directory. @default "runinfo"
 * @returns Checkpoint directories that hold a checkpoint file.
 *
 * @example
 * ```ts
 * import { getAllCheckpoints } from "./checkpoint.ts";
 * import assert from "node:assert/strict";
 * assert(Array.isArray(getAllCheckpoints("/nonexistent")));
 * ```
 */
export function getAllCheckpoints(runDir = "runinfo"): string[] {
  return runDirs(runDir).filter((d) => {
    try {
      return Deno.statSync(join(d, CHECKPOINT_FILE)).isFile;
    } catch {
      return false;
    }
  });
}

/**
 * The newest checkpoint directory, as a list of zero or one (Parsl's `get_last_checkpoint`).
 *
 * @param runDir The runs' parent directory. @default "runinfo"
 * @returns `[dir]` or `[]`.
 *
 * @example
 * ```ts
 * import { getLastCheckpoint } from "./checkpoint.ts";
 * import assert from "node:assert/strict";
 * assert(getLastCheckpoint("/nonexistent").length === 0);
 * ```
 */
export function getLastCheckpoint(runDir = "runinfo"): string[] {
  const all = getAllCheckpoints(runDir);
  return all.length ? [all[all.length - 1]] : [];
}
