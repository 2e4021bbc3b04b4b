// Running a test body with the process's working directory in a fresh folder. Test files run in
// parallel in ONE process, so its working directory is shared: a chdir is seen by every test
// running then, and by every process they spawn then. Hence (1) one chdir section at a time
// across files (an exclusive lock on a file), and (2) the folder is removed only when no process
// still works in it (children spawned by other tests meanwhile inherited it; removing it under
// them made an interchange fail at start-up with "Failed getting cwd").

const LOCK = `${Deno.env.get("TMPDIR") ?? "/tmp"}/tsflow-tests-cwd.lock`;

/** Whether any live process has `dir` as its working directory. */
function inUse(dir: string): boolean {
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      if (Deno.readLinkSync(`/proc/${e.name}/cwd`) === dir) return true;
    } catch {
      // exited, or not ours to read
    }
  }
  return false;
}

/** Runs `fn` in a fresh folder that is also the working directory (Parsl's `tmpd_cwd`). */
export async function inTmpCwd<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const lock = await Deno.open(LOCK, { create: true, write: true });
  await lock.lock(true);
  const home = Deno.cwd();
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix }));
  Deno.chdir(dir);
  try {
    return await fn(dir);
  } finally {
    Deno.chdir(home);
    await lock.unlock();
    lock.close();
    // What the test made goes; the folder itself stays while another process works in it.
    for (const e of Deno.readDirSync(dir)) {
      await Deno.remove(`${dir}/${e.name}`, { recursive: true }).catch(() => {});
    }
    if (!inUse(dir)) await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
