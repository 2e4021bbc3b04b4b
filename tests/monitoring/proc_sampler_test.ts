import assert from "node:assert/strict";
import { forgetProcess, sampleProcess } from "../../monitoring/proc_sampler.ts";

Deno.test("sampleProcess counts a busy child's CPU, memory and writes", async () => {
  const dir = Deno.makeTempDirSync();
  // A shell whose child writes 4 MB then burns CPU for 3 s (bounded by timeout).
  const child = new Deno.Command("/bin/bash", {
    args: [
      "-c",
      `(dd if=/dev/zero of=${dir}/f bs=1M count=4 conv=fsync status=none; timeout 3 sh -c 'while :; do :; done') & wait`,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    const first = sampleProcess(child.pid);
    assert(first, "the shell is alive");
    assert.equal(first.cpuPercent, 0);
    await new Promise((r) => setTimeout(r, 1000));
    const s = sampleProcess(child.pid)!;
    assert(s.childrenCount >= 1, `children: ${s.childrenCount}`);
    // Loose bounds: on a loaded machine the busy child gets only part of a core.
    assert(s.cpuUser + s.cpuSystem > 0.05, `cpu ${s.cpuUser}+${s.cpuSystem}`);
    assert(s.cpuPercent > 3, `cpu% ${s.cpuPercent}`);
    assert(s.memoryRss > 0 && s.memoryVms >= s.memoryRss);
    assert(s.memoryPercent > 0 && s.memoryPercent < 100);
    assert(["R", "S"].includes(s.processStatus), s.processStatus);
  } finally {
    // The script ends by itself within 3 s (its child too); kill only if it overstays.
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await child.status;
    clearTimeout(timer);
    forgetProcess(child.pid);
  }
});

Deno.test("sampleProcess reports a finished process as undefined", async () => {
  const p = new Deno.Command("true").spawn();
  await p.status;
  assert.equal(sampleProcess(p.pid), undefined);
});
