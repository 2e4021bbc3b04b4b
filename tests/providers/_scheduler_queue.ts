// What a pending job waits for: the jobs the scheduler is running now. Tests share the one-node
// schedulers with each other (and, on a shared machine, with other runs), so a block of one test
// can queue behind another's. That wait is the scheduler working, not the code under test
// failing: it ends at the latest when the running jobs reach their time limits.
import type { ExecutionProvider } from "../../providers/execution_provider.ts";
import { SlurmProvider } from "../../providers/slurm_provider.ts";

/** The longest a test waits for the queue ahead of its job (test jobs ask for 10 min at most). */
export const MAX_QUEUE_WAIT_MS = 15 * 60_000;

/**
 * When every job the scheduler runs now has reached its time limit (epoch ms), or undefined when
 * the scheduler cannot say (then a pending job gets no more time than any other state).
 */
export async function queueDrainsBy(p: ExecutionProvider): Promise<number | undefined> {
  if (!(p instanceof SlurmProvider)) return undefined;
  // The provider's own squeue (its commandDir, as for the 3-node cluster).
  const bin = (p as unknown as { bin(argv: string[]): string[] }).bin.bind(p);
  const [cmd, ...args] = bin(["squeue", "-h", "-t", "R,CG", "-o", "%e"]);
  const out = await new Deno.Command(cmd, { args, stderr: "null" }).output();
  const ends = new TextDecoder().decode(out.stdout).split("\n").map((l) => l.trim())
    .filter((l) => /^\d{4}-\d\d-\d\dT/.test(l)).map((l) => new Date(l).getTime());
  return ends.length ? Math.max(...ends) : undefined;
}
