// Start-up errors point at the right place: when the interchange cannot listen, the error
// names the address and port, and the file it points at holds the reason.
import { assert, assertRejects } from "../_assert.ts";
import { ExecutorError } from "../../dfk/errors.ts";
import { HighThroughputExecutor } from "../../interchange/high_throughput_executor.ts";
import type { HighThroughputExecutorOptions } from "../../interchange/htex_options.ts";
import { makeHost } from "./_htex_env.ts";
import { processesMatching } from "../_processes.ts";
import { waitFor } from "../_wait.ts";

async function startFails(opts: HighThroughputExecutorOptions, port: number): Promise<void> {
  const dir = Deno.makeTempDirSync({ prefix: "htex-startup-" });
  const host = makeHost(dir);
  try {
    const e = await assertRejects(
      () => new HighThroughputExecutor(opts).start(host),
      ExecutorError,
    );
    assert(e.message.includes(`127.0.0.1`) && e.message.includes(String(port)), e.message);
    assert(/in use/i.test(e.message), e.message);
    const file = /\(see ([^)]+)\)/.exec(e.message)?.[1];
    assert(file, `the error names a file: ${e.message}`);
    const text = Deno.readTextFileSync(file);
    assert(text.includes("Cannot listen on 127.0.0.1") && /in use/i.test(text), text);
    assert(text.includes(String(port)), text);
  } finally {
    await host.logger.close();
    await waitFor(async () => (await processesMatching(dir)).length === 0, 10, "no leftovers");
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("a taken workerPort fails start() naming the address, the port and the reason", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  try {
    await startFails({ workerPort: port }, port);
  } finally {
    taken.close();
  }
});

Deno.test("a taken workerPortRange fails start() naming the range and the reason", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  try {
    await startFails({ workerPortRange: [port, port] }, port);
  } finally {
    taken.close();
  }
});
