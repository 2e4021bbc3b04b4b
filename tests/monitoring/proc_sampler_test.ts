import assert from "node:assert/strict";
import { forgetProcess, sampleProcess } from "../../monitoring/proc_sampler.ts";
import { sampleSelf } from "../../monitoring/self_sampler.ts";
import { statusWord } from "../../monitoring/_proc_fields.ts";
import { findProcesses, killProcessesMentioning } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

/** CPU seconds `pid` has used (utime + stime), 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const f = Deno.readTextFileSync(`/proc/${pid}/stat`).replace(/^.*\) /s, "").split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // clock ticks: 100 a second on Linux
  } catch {
    return 0;
  }
}

Deno.test("sampleProcess counts a busy child's CPU, memory and writes", async () => {
  const dir = Deno.makeTempDirSync();
  const mark = `tsflow-burn-${crypto.randomUUID()}`;
  // A shell whose child writes 4 MB then burns CPU (bounded by timeout; killed at the end).
  const child = new Deno.Command("/bin/bash", {
    args: [
      "-c",
      `(dd if=/dev/zero of=${dir}/f bs=1M count=4 conv=fsync status=none; timeout 60 sh -c 'while :; do :; done' ${mark}) & wait`,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    // The events, not fixed sleeps: the loop runs (dd's fsync may hold it back on a busy disk),
    // then it has had a tenth of a second of CPU, however small its share of a loaded machine.
    let loop = 0;
    await waitFor(
      async () =>
        (loop = (await findProcesses(mark)).find((p) => p.cmd.startsWith("sh "))?.pid ?? 0) > 0,
      30,
      "the busy loop to start",
    );
    const first = sampleProcess(child.pid);
    assert(first, "the shell is alive");
    assert.equal(first.cpuPercent, 0);
    const start = cpuSeconds(loop);
    await waitFor(() => cpuSeconds(loop) - start >= 0.1, 60, "the loop to use 0.1 s of CPU");
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
    await killProcessesMentioning(mark);
    await child.status;
    forgetProcess(child.pid);
    Deno.removeSync(dir, { recursive: true });
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
