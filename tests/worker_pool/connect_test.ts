// A pool's address probe: real TCP listeners and a refused port, no mocks.
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { probeAddresses } from "../../worker_pool/connect.ts";
import { hostAddresses, interchangeAddresses } from "../../interchange/interchange_addresses.ts";
import { resolveHtexOptions } from "../../interchange/htex_options.ts";
import { interchangeArgs } from "../../interchange/process_args.ts";
import { LocalProvider } from "../../providers/local_provider.ts";
import { SlurmProvider } from "../../providers/slurm_provider.ts";

function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("probeAddresses keeps the address that answers and skips refused ones", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  const accepted = l.accept();
  try {
    const conn = await probeAddresses(
      [`127.0.0.1:${closedPort()}`, `127.0.0.1:${port}`],
      undefined,
      5,
    );
    assertEquals((conn.remoteAddr as Deno.NetAddr).port, port);
    conn.close();
    (await accepted).close();
  } finally {
    l.close();
  }
});

Deno.test("probeAddresses fails naming every address, its error and the option to set", async () => {
  const a = `127.0.0.1:${closedPort()}`;
  const b = `127.0.0.2:${closedPort()}`;
  const err = await assertRejects(() => probeAddresses([a, b], undefined, 1));
  for (const part of [a, b, "refused", "within 1 s", "HighThroughputExecutor({ address"]) {
    assert(err.message.includes(part), `${part} missing in: ${err.message}`);
  }
});

Deno.test("pools of a cluster provider get every address of this host, loopback last; local ones loopback only", () => {
  const all = interchangeAddresses(undefined, new SlurmProvider({}));
  assertEquals(all, hostAddresses());
  assertEquals(all.at(-1), "127.0.0.1");
  const nonLoopback = Deno.networkInterfaces().filter((i) =>
    i.family === "IPv4" && !i.address.startsWith("127.")
  );
  for (const i of nonLoopback) assert(all.includes(i.address), i.address);
  assertEquals(interchangeAddresses(undefined, new LocalProvider({})), ["127.0.0.1"]);
  assertEquals(interchangeAddresses("10.9.8.7", new SlurmProvider({})), ["10.9.8.7"]);
  const o = resolveHtexOptions({});
  const bind = (addrs: string[]) => {
    const a = interchangeArgs(o, addrs, "/d", "/d/s");
    return a[a.indexOf("--address") + 1];
  };
  assertEquals(bind(["127.0.0.1"]), "127.0.0.1");
  assertEquals(bind(all.length > 1 ? all : ["10.9.8.7"]), "0.0.0.0");
});
