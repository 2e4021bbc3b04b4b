import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import {
  parseSacct,
  parseSbatch,
  parseSqueue,
  slurmState,
} from "../../providers/slurm_provider.ts";
import { outputOf, recorded } from "./_fixtures.ts";

Deno.test("parseSbatch reads job ids from plain and --parsable sbatch output", () => {
  assertEquals(parseSbatch(outputOf("sbatch.txt", "sbatch --wrap").output), "1");
  assertEquals(parseSbatch(outputOf("sbatch.txt", "sbatch --parsable -J p1").output), "11");
  assertEquals(parseSbatch("12;cluster2\n"), "12");
  assertEquals(parseSbatch("sbatch: error: invalid partition\n"), undefined);
});

Deno.test("parseSqueue reads states of pending, running and finished jobs", () => {
  const pend = parseSqueue(outputOf("squeue.txt", "squeue -h -o '%i %t'", 1).output);
  assertEquals([...pend].map(([id, s]) => [id, s.state]), [["13", "PENDING"], ["11", "RUNNING"], [
    "12",
    "RUNNING",
  ]]);
  const all = parseSqueue(
    outputOf("squeue.txt", "squeue -h -t all -o '%i %j %t'").output.replace(/^(\d+) \S+ /gm, "$1 "),
  );
  assertEquals(all.get("8")?.state, "CANCELLED");
  assertEquals(all.get("11")?.state, "COMPLETED");
  assertEquals(all.get("9")?.state, "FAILED");
  assertEquals(all.get("10")?.state, "TIMEOUT");
  assertEquals(
    parseSqueue(outputOf("squeue.txt", "squeue -t all -h -j 2").output).get("2")?.state,
    "COMPLETED",
  );
});

Deno.test("parseSqueue takes start and end times of running jobs from the pipe format", () => {
  const m = parseSqueue(
    "1|R|2026-11-28T13:53:02|2026-11-28T13:55:02|None\n13|PD|N/A|N/A|Resources\n",
  );
  const r = m.get("1")!;
  assertEquals(r.endTime! - r.startTime!, 120_000);
  assertEquals(m.get("13")?.message, "Resources");
  assertEquals(m.get("13")?.endTime, undefined);
});

Deno.test("parseSacct reads the job completion log with its header, exit codes included", () => {
  const m = parseSacct(outputOf("sacct.txt", "sacct -c -o JobID,JobName,State,ExitCode -P").output);
  assertEquals(m.size, 16);
  assertEquals(m.get("9"), { state: "FAILED", exitCode: 3, message: "FAILED" });
  assertEquals(m.get("8")?.state, "CANCELLED");
  assertEquals(m.get("10")?.state, "TIMEOUT");
  assertEquals(m.get("1")?.exitCode, 0);
});

Deno.test("parseSacct skips job steps and understands 'CANCELLED by uid'", () => {
  const m = parseSacct("7|CANCELLED by 0|0:15\n7.batch|CANCELLED|0:15\n8|OUT_OF_MEMORY|0:125\n");
  assertEquals(m.get("7")?.state, "CANCELLED");
  assertEquals(m.has("7.batch"), false);
  assertEquals(m.get("8")?.state, "FAILED");
});

Deno.test("the fixtures record sacct failing without accounting storage, as the provider expects", () => {
  const r = outputOf("sacct.txt", "sacct -j 1");
  assertEquals(r.exitCode, 1);
  assert(/accounting storage is disabled/.test(r.output));
  assertEquals(outputOf("scancel.txt", "scancel 99999").exitCode, 0);
  assert(recorded("squeue.txt").some((x) => x.exitCode === 1 && /Invalid job id/.test(x.output)));
});

Deno.test("slurmState maps every documented code, unknown ones to UNKNOWN", () => {
  assertEquals(
    ["PD", "R", "CG", "CD", "CA", "F", "TO", "NF", "PR", "S", "OOM", "XX"].map(slurmState),
    [
      "PENDING",
      "RUNNING",
      "RUNNING",
      "COMPLETED",
      "CANCELLED",
      "FAILED",
      "TIMEOUT",
      "FAILED",
      "TIMEOUT",
      "HELD",
      "FAILED",
      "UNKNOWN",
    ],
  );
});
