import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  gridEngineState,
  parseQacct,
  parseQstatXml,
  parseQsubTerse,
} from "../../providers/grid_engine_provider.ts";
import { outputOf } from "./_fixtures.ts";

Deno.test("parseQsubTerse reads terse and verbose qsub output", () => {
  assertEquals(
    parseQsubTerse(outputOf("qsub.txt", "qsub -terse -cwd -j y -b y -N cancelme").output),
    "3",
  );
  assertEquals(parseQsubTerse(outputOf("qsub.txt", "qsub tsflow-test.sge").output), "2");
  assertEquals(parseQsubTerse("7.1-10:1\n"), "7");
  assertEquals(parseQsubTerse("Unable to run job: denied\n"), undefined);
});

Deno.test("parseQstatXml reads running and pending jobs with start times", () => {
  const m = parseQstatXml(outputOf("qstat_xml.txt", "qstat -xml", 1).output);
  assertEquals([...m.keys()], ["8", "9", "10"]);
  assertEquals(m.get("8")?.state, "RUNNING");
  assertEquals(m.get("8")?.startTime, new Date("2026-11-28T12:52:53").getTime());
  assertEquals(m.get("10")?.state, "PENDING");
  assertEquals(parseQstatXml("").size, 0);
});

Deno.test("parseQacct tells completed, failed, cancelled and timed-out jobs apart", () => {
  assertEquals(parseQacct(outputOf("qacct.txt", "qacct -j 2").output)?.state, "COMPLETED");
  assertEquals(parseQacct(outputOf("qacct.txt", "qacct -j 3").output)?.state, "CANCELLED");
  const failed = parseQacct(outputOf("qacct.txt", "qacct -j 4").output);
  assertEquals([failed?.state, failed?.exitCode], ["FAILED", 3]);
  assertEquals(parseQacct(outputOf("qacct.txt", "qacct -j 5").output)?.state, "TIMEOUT");
  assertEquals(parseQacct(outputOf("qacct.txt", "qacct -j 99999").output), undefined);
});

Deno.test("gridEngineState maps queue state codes", () => {
  assertEquals(
    ["qw", "hqw", "r", "t", "Rr", "Eqw", "dr", "s", "z"].map(gridEngineState),
    [
      "PENDING",
      "HELD",
      "RUNNING",
      "RUNNING",
      "RUNNING",
      "FAILED",
      "CANCELLED",
      "HELD",
      "COMPLETED",
    ],
  );
});
