/**
 * A pool's private directory (its workers' socket) is removed by the pool as it stops; a pool
 * killed outright (SIGKILL, the OOM killer, a batch system's last resort) cannot, and would leave
 * one behind in the temporary directory for every such pool. So each directory is named after
 * its pool's pid and holds its host's name, and a pool starting up removes those of this host
 * whose pool is gone and whose socket answers no one.
 *
 * @module
 */

/** Start of every pool directory's name; the pool's pid follows. */
export const POOL_DIR_PREFIX = "tsflow-pool-";
/** The workers' socket in a pool's directory. */
export const WORKERS_SOCKET = "workers.sock";
/** The file in a pool directory naming its host (a shared temporary directory is not swept). */
const HOST_FILE = "host";

/**
 * Makes this pool's private directory in the temporary directory.
 *
 * @param hostname This host's name, written inside.
 * @returns The directory's path.
 *
 * @example
 * ```ts
 * import { makePoolDir } from "./_stale_pool_dirs.ts";
 * import assert from "node:assert/strict";
 * const dir = makePoolDir("h");
 * assert(dir.includes(`tsflow-pool-${Deno.pid}-`));
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function makePoolDir(hostname: string): string {
  const dir = Deno.makeTempDirSync({ prefix: `${POOL_DIR_PREFIX}${Deno.pid}-` });
  Deno.writeTextFileSync(`${dir}/${HOST_FILE}`, hostname);
  return dir;
}

/**
 * Removes the directories of this host's pools that are gone: the pid in the name is no live
 * process here, and the socket inside refuses connections. Best effort: anything unreadable,
 * another user's or another host's is left as it is.
 *
 * @param tmp The temporary directory.
 * @param hostname This host's name.
 * @returns The directories removed.
 *
 * @example
 * ```ts
 * import { removeStalePoolDirs } from "./_stale_pool_dirs.ts";
 * const removed = await removeStalePoolDirs(Deno.makeTempDirSync(), Deno.hostname());
 * console.assert(removed.length === 0);
 * ```
 */
export async function removeStalePoolDirs(tmp: string, hostname: string): Promise<string[]> {
  const removed: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(tmp)];
  } catch {
    return removed;
  }
  for (const e of entries) {
    if (!e.isDirectory || !e.name.startsWith(POOL_DIR_PREFIX)) continue;
    const pid = Number(/^(\d+)-/.exec(e.name.slice(POOL_DIR_PREFIX.length))?.[1]);
    if (!(pid > 0) || pid === Deno.pid || alive(pid)) continue;
    const dir = `${tmp}/${e.name}`;
    try {
      if (Deno.readTextFileSync(`${dir}/${HOST_FILE}`) !== hostname) continue;
      if (await answers(`${dir}/${WORKERS_SOCKET}`)) continue;
      Deno.removeSync(dir, { recursive: true });
      removed.push(dir);
    } catch { /* not ours to read, or gone meanwhile */ }
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (e) {
    // Without /proc nothing can be told: count it alive.
    return !(e instanceof Deno.errors.NotFound) || !procMounted();
  }
}

function procMounted(): boolean {
  try {
    Deno.statSync("/proc/self");
    return true;
  } catch {
    return false;
  }
}

async function answers(socket: string): Promise<boolean> {
  try {
    (await Deno.connect({ transport: "unix", path: socket })).close();
    return true;
  } catch {
    return false;
  }
}
