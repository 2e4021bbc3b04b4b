/**
 * Per-run directories: `runinfo/000`, `runinfo/001`, … as in Parsl. Each run's log, checkpoint
 * and executor files live in its own directory.
 *
 * @module
 */
import { join, resolve } from "./_path.ts";

/**
 * Creates the next numbered run directory under `base`.
 *
 * @param base Parent directory. @default "runinfo"
 * @returns The absolute path of the new directory.
 *
 * @example
 * ```ts
 * import { makeRunDir } from "./run_dir.ts";
 * import assert from "node:assert/strict";
 * const base = await Deno.makeTempDir();
 * assert(makeRunDir(base).endsWith("000") && makeRunDir(base).endsWith("001"));
 * ```
 */
export function makeRunDir(base = "runinfo"): string {
  base = resolve(base);
  Deno.mkdirSync(base, { recursive: true });
  for (let attempt = 0; attempt < 100; attempt++) {
    let max = -1;
    for (const e of Deno.readDirSync(base)) {
      if (e.isDirectory && /^\d+$/.test(e.name)) max = Math.max(max, Number(e.name));
    }
    const dir = join(base, String(max + 1).padStart(3, "0"));
    try {
      Deno.mkdirSync(dir); // not recursive: fails if a concurrent run took the number
      return dir;
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
  }
  throw new Error(`Could not create a run directory under ${base}`);
}
