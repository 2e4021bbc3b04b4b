import { assert, assertEquals } from "../_assert.ts";
import { acceleratorEnv, cpusFor, workerCount } from "../../worker_pool/placement.ts";
import { Pacer, PIPELINE_DEPTH } from "../../worker_pool/pacing.ts";
import { forgetProcess, sampleProcess } from "../../monitoring/proc_sampler.ts";
import { splitHostPort } from "../../worker_pool/connect.ts";
import { modeCommand } from "../../cli/self_command.ts";
import { decodeOutcome, encodeOutcome } from "../../interchange/task_codec.ts";
import { SerializationError } from "../../dfk/errors.ts";

const node = { cpuCount: 8, memoryGb: 16, accelerators: [] as string[], memPerWorker: 0 };

Deno.test("workerCount takes the smallest of workers, cores, memory and accelerators", () => {
  assertEquals(workerCount({ ...node, maxWorkersPerNode: 0, coresPerWorker: 1 }), 8);
  assertEquals(workerCount({ ...node, maxWorkersPerNode: 3, coresPerWorker: 1 }), 3);
  assertEquals(workerCount({ ...node, maxWorkersPerNode: 0, coresPerWorker: 2.5 }), 3);
  assertEquals(
    workerCount({ ...node, maxWorkersPerNode: 0, coresPerWorker: 1, memPerWorker: 5 }),
    3,
  );
  assertEquals(
    workerCount({ ...node, maxWorkersPerNode: 0, coresPerWorker: 1, accelerators: ["0"] }),
    1,
  );
  assertEquals(
    workerCount({ ...node, maxWorkersPerNode: 0, coresPerWorker: 16 }),
    1,
    "at least one",
  );
});

Deno.test("cpusFor implements Parsl's cpu_affinity policies", () => {
  assertEquals(cpusFor("none", 0, 2, 8), undefined);
  assertEquals(cpusFor("block", 1, 2, 8), [4, 5, 6, 7]);
  assertEquals(cpusFor("block-reverse", 0, 2, 8), [7, 6, 5, 4]);
  assertEquals(cpusFor("alternating", 1, 2, 8), [1, 3, 5, 7]);
  assertEquals(cpusFor("list:0,1:2,3", 1, 2, 8), [2, 3]);
  let threw = false;
  try {
    cpusFor("sideways", 0, 1, 2);
  } catch {
    threw = true;
  }
  assert(threw);
});

Deno.test("acceleratorEnv sets CUDA, ROCm and Level Zero device variables", () => {
  const env = acceleratorEnv("3");
  assertEquals([env.CUDA_VISIBLE_DEVICES, env.ROCR_VISIBLE_DEVICES, env.ZE_AFFINITY_MASK], [
    "3",
    "3",
    "3",
  ]);
  assertEquals(acceleratorEnv(undefined), {});
});

Deno.test("Pacer pipelines only while tasks are short and says when prefetch changes", () => {
  const p = new Pacer(1, 2);
  assertEquals([p.depth, p.prefetch], [1, 1]);
  assert(p.record(0.05), "short tasks: ask for more prefetch");
  assertEquals([p.depth, p.prefetch], [PIPELINE_DEPTH, 1 + 2 * (PIPELINE_DEPTH - 1)]);
  assert(!p.record(0.05), "no change, no message");
  for (let i = 0; i < 100; i++) p.record(1.5);
  assertEquals(p.depth, 4, "1.5 ms tasks: at most 10 ms queued per worker");
  let changed = false;
  for (let i = 0; i < 100; i++) changed = p.record(500) || changed;
  assert(changed);
  assertEquals([p.depth, p.prefetch], [1, 1]);
});

Deno.test("sampleProcess reads this process's /proc entry", () => {
  const s = sampleProcess(Deno.pid)!;
  assert(s.memoryRss > 0 && s.memoryVms >= s.memoryRss && s.cpuUser >= 0);
  assertEquals(sampleProcess(2 ** 22 + 12345), undefined);
  forgetProcess(Deno.pid);
});

Deno.test("splitHostPort handles names, IPv4 and bracketed IPv6", () => {
  assertEquals(splitHostPort("node1:9000"), ["node1", "9000"]);
  assertEquals(splitHostPort("[::1]:80"), ["::1", "80"]);
});

Deno.test("modeCommand re-executes this program in worker mode, secrets not included", () => {
  const argv = modeCommand("worker", ["--interchange", "h:1"]);
  assertEquals(argv[0], Deno.execPath());
  assertEquals(argv.slice(-2), ["--interchange", "h:1"]);
});

Deno.test("encodeOutcome turns an unserializable result into a SerializationError", () => {
  const bad = decodeOutcome(encodeOutcome({ id: 1, tryId: 0, ok: true, value: () => 1 }));
  assert(!bad.ok && bad.error instanceof SerializationError);
  const good = decodeOutcome(
    encodeOutcome({ id: 1, tryId: 0, ok: true, value: new Map([["a", 1]]) }),
  );
  assert(good.ok);
  assertEquals((good.value as Map<string, number>).get("a"), 1);
});
