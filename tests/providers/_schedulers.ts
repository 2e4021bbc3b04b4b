// The real schedulers the e2e tests run blocks on (scripts/ci_schedulers.sh up), described once:
// how to make a provider, which variable holds the job id, how the queue shows a job, and how an
// MPI block asks for its ranks. Test files loop over SCHEDULERS instead of copying each test.
import type { ExecutionProvider } from "../../providers/execution_provider.ts";
import { SlurmProvider, type SlurmProviderOptions } from "../../providers/slurm_provider.ts";
import {
  GridEngineProvider,
  type GridEngineProviderOptions,
} from "../../providers/grid_engine_provider.ts";
import { gridEngineMissing, slurmMissing } from "./_scheduler_util.ts";

/** Options every scheduler provider takes (the common part of their option types). */
export type SchedulerOptions = SlurmProviderOptions & GridEngineProviderOptions;

/** One real scheduler, as the e2e tests use it. */
export interface Scheduler {
  /** Provider class name, for test names. */
  name: string;
  /** Short name (also the `WHO` greeting and temp dir prefix). */
  short: string;
  /** Why its tests skip, or undefined when it is running. */
  missing: () => string | undefined;
  /** A provider on this scheduler, not exclusive, 5-minute walltime unless `opts` say else. */
  make: (opts?: SchedulerOptions) => ExecutionProvider;
  /** The variable a job sees its own id in. */
  jobIdVar: string;
  /** Which accounting tool reports a finished job's exit code (for test names). */
  accounting: string;
  /** Options for an MPI block of 2 ranks, and the ranks its failing launch asks for. */
  mpi: { opts: SchedulerOptions; overrides: string; failRanks: number };
  /** The scheduler's queue states of `ids` (`R`, `PD`, `CA`, `qw`, …), absent ids left out. */
  queue: (ids: string[]) => Promise<Map<string, string>>;
  /** Whether the queue still shows a job as live (not finished, not cancelled). */
  live: (state: string | undefined) => boolean;
  /** The queue state of a running job. */
  running: string;
  /** What the queue shows for a cancelled job (undefined: it is gone from the queue). */
  cancelled: string | undefined;
  /** What the queue may show for a block after its executor shut down. */
  ended: (string | undefined)[];
}

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stderr: "null" }).output();
  return new TextDecoder().decode(out.stdout);
}

/** Slurm: `squeue -t all` keeps finished jobs (MinJobAge) with their final state. */
export const SLURM: Scheduler = {
  name: "SlurmProvider",
  short: "slurm",
  missing: slurmMissing,
  make: (opts = {}) => new SlurmProvider({ exclusive: false, walltime: "00:05:00", ...opts }),
  jobIdVar: "SLURM_JOB_ID",
  accounting: "sacct",
  mpi: { opts: {}, overrides: "--allow-run-as-root --oversubscribe", failRanks: 1 },
  queue: async (ids) =>
    new Map(
      (await run("squeue", ["-h", "-t", "all", "-j", ids.join(","), "-o", "%i %t"]))
        .trim().split("\n").filter((l) => l).map((l) => l.split(" ") as [string, string]),
    ),
  live: (s) => s !== undefined && ["R", "PD", "CG", "CF", "S"].includes(s),
  running: "R",
  cancelled: "CA",
  ended: ["CA", "CD"],
};

/** Grid Engine: `qstat` lists pending and running jobs only; a finished job leaves it. */
export const GRID_ENGINE: Scheduler = {
  name: "GridEngineProvider",
  short: "sge",
  missing: gridEngineMissing,
  make: (opts = {}) => new GridEngineProvider({ walltime: "00:05:00", ...opts }),
  jobIdVar: "JOB_ID",
  accounting: "qacct",
  mpi: { opts: { parallelEnvironment: "smp" }, overrides: "--allow-run-as-root", failRanks: 2 },
  queue: async (ids) =>
    new Map(
      (await run("qstat", [])).split("\n").slice(2).map((l) => l.trim().split(/\s+/))
        .filter((f) => ids.includes(f[0])).map((f) => [f[0], f[4]] as [string, string]),
    ),
  live: (s) => s !== undefined,
  running: "r",
  cancelled: undefined,
  ended: [undefined],
};

/** Every real scheduler the e2e tests run on. */
export const SCHEDULERS: Scheduler[] = [SLURM, GRID_ENGINE];
