// Ctrl-C during a run on a HighThroughputExecutor: the driver stops its interchange and worker
// pools, exits 130, and leaves no process behind.
import assert from "node:assert/strict";
import { includes, MAIN, MOD_URL, spawnTsflow, tempDirWith } from "./_cli.ts";
import { killProcessesMentioning, processesMentioning, waitNoProcesses } from "../_processes.ts";

const FLOW = `
import { app, HighThroughputExecutor, LocalProvider } from "${MOD_URL}";
export const sleep = app((ms: number) => new Promise((r) => setTimeout(r, ms)));
export const config = {
  executors: [new HighThroughputExecutor({
    maxWorkersPerNode: 2,
    heartbeatPeriod: 1,
    heartbeatThreshold: 5,
    provider: new LocalProvider({ initBlocks: 1, maxBlocks: 1 }),
  })],
};
export default async function main() {
  await sleep(1);
  const long = [sleep(120_000), sleep(120_000)];
  console.log("running");
  await Promise.all(long);
}
`;

async function readUntil(
  reader: ReadableStreamDefaultReader<string>,
  text: string,
): Promise<string> {
  let seen = "";
  while (!seen.includes(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  return seen;
}

Deno.test("Ctrl-C on an HTEX run stops interchange and pools, exits 130, leaves no process", async () => {
  const dir = await tempDirWith({ "flow.ts": FLOW });
  const child = spawnTsflow(["run", "flow.ts"], { cwd: dir });
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    includes(await readUntil(reader, "running"), "running");
    const before = await processesMentioning(dir);
    // A pool runs `tsflow worker` (from source: its own entry file, worker_pool_main.ts).
    const pool = (p: string) => p.includes(" worker ") || p.includes("/worker_pool_main.ts ");
    assert.ok(before.some(pool), `pools are up:\n${before.join("\n")}`);
    child.kill("SIGINT");
    await readUntil(reader, "\0never");
    const status = await child.status;
    assert.equal(status.code, 130);
    includes(await new Response(child.stderr).text(), "interrupted");
    assert.deepEqual(await waitNoProcesses(dir), [], "interchange and pools are gone");
  } finally {
    clearTimeout(guard);
    await killProcessesMentioning(dir);
  }
});

Deno.test("Ctrl-C on an HTEX run kills its running bash apps' process groups too", async () => {
  // GNU sleep sums its arguments: the marker makes this test's sleeps findable in /proc.
  const mark = `0.000${crypto.getRandomValues(new Uint32Array(1))[0]}1`;
  const flow = FLOW.replace("import { app,", "import { app, bashApp,")
    .replace(
      "export const config",
      `export const nap = bashApp(() => "sleep 3600 ${mark}");\nexport const config`,
    )
    .replace("[sleep(120_000), sleep(120_000)]", "[nap(), nap()]");
  const dir = await tempDirWith({ "flow.ts": flow });
  const child = spawnTsflow(["run", "flow.ts"], { cwd: dir });
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    includes(await readUntil(reader, "running"), "running");
    const until = Date.now() + 30_000;
    const naps = async () =>
      (await processesMentioning(`sleep 3600 ${mark}`)).filter((p) => /^\d+: sleep /.test(p));
    while ((await naps()).length < 2 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await naps()).length, 2, "both naps run");
    child.kill("SIGINT");
    await readUntil(reader, "\0never");
    assert.equal((await child.status).code, 130);
    await child.stderr.cancel();
    assert.deepEqual(await waitNoProcesses(mark), [], "no bash app process is left");
    assert.deepEqual(await waitNoProcesses(dir), []);
  } finally {
    clearTimeout(guard);
    await killProcessesMentioning(mark);
    await killProcessesMentioning(dir);
  }
});

Deno.test("SIGTERM (a batch system's stop) exits 143 the same clean way", async () => {
  const dir = await tempDirWith({ "flow.ts": FLOW });
  const child = spawnTsflow(["run", "flow.ts"], { cwd: dir });
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    includes(await readUntil(reader, "running"), "running");
    child.kill("SIGTERM");
    await readUntil(reader, "\0never");
    assert.equal((await child.status).code, 143);
    await child.stderr.cancel();
    assert.deepEqual(await waitNoProcesses(dir), []);
  } finally {
    clearTimeout(guard);
    await killProcessesMentioning(dir);
  }
});

Deno.test("Ctrl-C reaches the run when tsflow re-executed itself for the workflow's deno.json", async () => {
  const dir = await tempDirWith({
    "flow.ts": FLOW.replace(MOD_URL, "tsflow"),
    "deno.json": JSON.stringify({ imports: { tsflow: MOD_URL } }),
  });
  const child = spawnTsflow(["run", "flow.ts"], { cwd: dir });
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    includes(await readUntil(reader, "running"), "running");
    child.kill("SIGINT"); // to the outer process only, as `kill -INT` would
    await readUntil(reader, "\0never");
    assert.equal((await child.status).code, 130);
    includes(await new Response(child.stderr).text(), "interrupted");
    assert.deepEqual(await waitNoProcesses(dir), []);
  } finally {
    clearTimeout(guard);
    await killProcessesMentioning(dir);
  }
});

Deno.test("a second Ctrl-C while a shutdown hangs exits at once with 130", async () => {
  const dir = await tempDirWith({
    "flow.ts": `
import { app } from "${MOD_URL}";
export const forever = app(() => 0);
class StuckExecutor {
  label = "stuck";
  async start() {}
  submit() { return new Promise(() => {}); }
  shutdown() { return new Promise<void>(() => {}); } // never finishes (the kernel bounds it at 30 s)
}
export const config = { executors: [new StuckExecutor()] };
export default async function main() {
  const f = forever();
  console.log("running");
  await f;
}
`,
  });
  const child = spawnTsflow(["run", "flow.ts"], { cwd: dir });
  // Well under the kernel's 30 s shutdown bound: only the second signal can end the run in time.
  const guard = setTimeout(() => child.kill("SIGKILL"), 20_000);
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    includes(await readUntil(reader, "running"), "running");
    child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 1500)); // a second press, not the same one twice
    child.kill("SIGINT");
    await readUntil(reader, "\0never");
    const status = await child.status;
    assert.equal(status.signal, null, "not killed by the guard");
    assert.equal(status.code, 130);
    await child.stderr.cancel();
  } finally {
    clearTimeout(guard);
  }
});

Deno.test("a real Ctrl-C typed on a terminal (whole process group) stops an HTEX run cleanly", async () => {
  const dir = await tempDirWith({ "flow.ts": FLOW });
  // `script` runs the command on a pseudo-terminal; the ^C byte we type becomes SIGINT for its
  // whole foreground process group (the driver and the interchange), as at a keyboard.
  const cmd = `${Deno.execPath()} run -A --quiet ${MAIN} run flow.ts`;
  const child = new Deno.Command("script", {
    args: ["-qfec", cmd, "/dev/null"],
    cwd: dir,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    includes(await readUntil(reader, "running"), "running");
    const keyboard = child.stdin.getWriter();
    await keyboard.write(new TextEncoder().encode("\x03"));
    const rest = await readUntil(reader, "\0never");
    await keyboard.close().catch(() => {});
    assert.equal((await child.status).code, 130);
    includes(rest, "interrupted");
    assert.deepEqual(await waitNoProcesses(dir), []);
  } finally {
    clearTimeout(guard);
    await killProcessesMentioning(dir);
  }
});
