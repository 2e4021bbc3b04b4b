// Helpers for tests that use the real schedulers started by scripts/ci_schedulers.sh.
import type { ExecutionProvider, JobState, JobStatus } from "../../providers/execution_provider.ts";
import { MAX_QUEUE_WAIT_MS, queueDrainsBy } from "./_scheduler_queue.ts";

/** Whether a command answers with exit 0 within 5 s. */
export function answers(argv: string[]): boolean {
  try {
    const out = new Deno.Command("timeout", {
      args: ["5", ...argv],
      stdout: "null",
      stderr: "null",
    })
      .outputSync();
    return out.success;
  } catch {
    return false;
  }
}

/** Why Slurm tests are skipped, or undefined when Slurm is up. */
export function slurmMissing(): string | undefined {
  if (answers(["sinfo", "-h"])) return undefined;
  return "Slurm is not running here: start it with scripts/ci_schedulers.sh up";
}

/** Why Grid Engine tests are skipped, or undefined when it is up. */
export function gridEngineMissing(): string | undefined {
  Deno.env.set("SGE_ROOT", Deno.env.get("SGE_ROOT") ?? "/var/lib/gridengine");
  Deno.env.set("SGE_CELL", Deno.env.get("SGE_CELL") ?? "default");
  if (answers(["qstat", "-f"])) return undefined;
  return "Grid Engine is not running here: start it with scripts/ci_schedulers.sh up";
}

/**
 * Prints the skip reason once (tests are otherwise quiet). In CI (.ci/run sets
 * TSFLOW_REQUIRE_SCHEDULERS=1) a missing scheduler is a failure, never a silent skip.
 */
export function skipNote(reason: string | undefined): boolean {
  if (reason && Deno.env.get("TSFLOW_REQUIRE_SCHEDULERS") === "1") {
    throw new Error(`${reason} (required: TSFLOW_REQUIRE_SCHEDULERS=1)`);
  }
  if (reason) console.warn(`SKIPPED: ${reason}`);
  return reason !== undefined;
}

/**
 * Polls a job until `until(state)` holds, recording every state seen; bounded by `seconds`. A
 * job still PENDING then, behind jobs the scheduler is running (another test's blocks), gets
 * until those reach their time limits plus `seconds` (at most {@linkcode MAX_QUEUE_WAIT_MS}):
 * its wait for CPUs is the queue's real state, not a hang.
 */
export async function pollUntil(
  p: ExecutionProvider,
  id: string,
  until: (s: JobState) => boolean,
  seconds = 60,
  seen: JobState[] = [],
): Promise<JobStatus> {
  const started = Date.now();
  let deadline = started + seconds * 1000;
  for (;;) {
    const [s] = await p.status([id]);
    if (seen.at(-1) !== s.state) seen.push(s.state);
    if (until(s.state)) return s;
    if (Date.now() > deadline) {
      const drained = s.state === "PENDING" ? await queueDrainsBy(p) : undefined;
      const later = drained === undefined ? 0 : drained + seconds * 1000;
      if (later <= deadline || later > started + MAX_QUEUE_WAIT_MS) {
        const queue = drained ? ` (queue ahead runs until ${new Date(drained).toISOString()})` : "";
        throw new Error(`job ${id} stuck; states seen: ${seen.join(" → ")}${queue}`);
      }
      deadline = later;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Runs `fn` with `provider` writing into a fresh directory, then cancels every job it submitted
 * and removes the directory.
 */
export async function withJobs<P extends ExecutionProvider>(
  provider: P,
  prefix: string,
  fn: (p: P, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix });
  provider.scriptDir = dir;
  const ids: string[] = [];
  const submit = provider.submit.bind(provider);
  provider.submit = async (...a) => {
    const id = await submit(...a);
    ids.push(id);
    return id;
  };
  try {
    await fn(provider, dir);
  } finally {
    if (ids.length) await provider.cancel(ids);
    await Deno.remove(dir, { recursive: true });
  }
}
