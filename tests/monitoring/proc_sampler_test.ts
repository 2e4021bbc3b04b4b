import assert from "node:assert/strict";
import { forgetProcess, sampleProcess } from "../../monitoring/proc_sampler.ts";
import { sampleSelf } from "../../monitoring/self_sampler.ts";
import { statusWord } from "../../monitoring/_proc_fields.ts";

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
    // psutil's words, as Parsl stores them, not /proc's letters.
    assert(["running", "sleeping"].includes(s.processStatus), s.processStatus);
    assert(Number.isInteger(s.cpuNum) && s.cpuNum >= 0 && s.cpuNum < 4096, String(s.cpuNum));
    assert(s.ctxSwitchesVoluntary + s.ctxSwitchesInvoluntary > 0, "context switches");
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

Deno.test("a stopped process reads as psutil's 'stopped', a zombie as 'zombie'", async () => {
  const p = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    p.kill("SIGSTOP");
    // The stop is asynchronous: wait (bounded) until /proc shows it.
    let s = sampleProcess(p.pid, { includeChildren: false });
    for (let i = 0; i < 100 && s?.processStatus !== "stopped"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      s = sampleProcess(p.pid, { includeChildren: false });
    }
    assert.equal(s?.processStatus, "stopped");
  } finally {
    p.kill("SIGKILL");
    await p.status;
    forgetProcess(p.pid);
  }
  assert.equal(statusWord("Z"), "zombie");
  assert.equal(statusWord("D"), "disk-sleep");
  assert.equal(statusWord("I"), "idle");
});

Deno.test("sampleSelf reads this process and its live children, cheaply re-reading /proc/self", async () => {
  const a = sampleSelf()!;
  assert.equal(a.pid, Deno.pid);
  // The main thread's state, as psutil reports a process's: under `deno test` the tests run on
  // another thread, so the main one may be asleep.
  assert(["running", "sleeping"].includes(a.processStatus), a.processStatus);
  assert.equal(a.childrenCount, 0);
  assert(a.memoryRss > 0 && a.memoryVms >= a.memoryRss);
  assert(Number.isInteger(a.cpuNum));
  const child = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    // Burn a little CPU so the counters move between the two samples.
    let x = 0;
    for (let i = 0; i < 3e6; i++) x += i % 7;
    const b = sampleSelf()!;
    assert(x > 0);
    assert.equal(b.childrenCount, 1);
    assert(b.cpuUser + b.cpuSystem >= a.cpuUser + a.cpuSystem);
    assert(b.readBytes >= a.readBytes, "re-reads from offset 0, not past the end");
    assert(b.ctxSwitchesVoluntary >= a.ctxSwitchesVoluntary);
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
  assert.equal(sampleSelf()!.childrenCount, 0);
});
