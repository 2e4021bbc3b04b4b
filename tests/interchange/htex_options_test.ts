import { assert, assertEquals } from "../_assert.ts";
import { ConfigError } from "../../dfk/errors.ts";
import { adoptMonitoring, resolveHtexOptions } from "../../interchange/htex_options.ts";
import { workerArgs, workerOptions } from "../../interchange/process_args.ts";

Deno.test("resolveHtexOptions fills Parsl's defaults", () => {
  const o = resolveHtexOptions({ availableAccelerators: 2 });
  assertEquals(
    [o.label, o.address, o.addressProbeTimeout, o.heartbeatPeriod, o.heartbeatThreshold],
    ["htex", undefined, 10, 30, 120],
  );
  assertEquals(o.availableAccelerators, ["0", "1"]);
});

Deno.test("resolveHtexOptions refuses bad values with a ConfigError that says which", () => {
  for (
    const bad of [{ heartbeatPeriod: 0 }, { heartbeatThreshold: 1, heartbeatPeriod: 5 }, {
      managerSelector: "nope",
    }]
  ) {
    let err: unknown;
    try {
      resolveHtexOptions(bad as never);
    } catch (e) {
      err = e;
    }
    assert(err instanceof ConfigError, JSON.stringify(bad));
  }
});

Deno.test("workerArgs passes the secret by file and the options by flag", () => {
  const o = resolveHtexOptions({
    cpuAffinity: "block",
    availableAccelerators: ["a"],
    workerDebug: true,
  });
  const a = workerArgs(o, ["h", "10.0.0.5"], 9, "/run/secret", "3", "/logs", "/run/ca.pem");
  const flag = (f: string) => a[a.indexOf(f) + 1];
  assertEquals(
    [flag("--addresses"), flag("--port"), flag("--secret-file"), flag("--block-id")],
    ["h,10.0.0.5", "9", "/run/secret", "3"],
  );
  assertEquals([flag("--cpu-affinity"), flag("--available-accelerators"), flag("--ca-file")], [
    "block",
    "a",
    "/run/ca.pem",
  ]);
  assert(a.includes("--debug"));
});

Deno.test("storageAccess takes staging providers and refuses anything else by name", () => {
  const mine = { canStageIn: () => false, canStageOut: () => false };
  assertEquals(resolveHtexOptions({ storageAccess: [mine] }).storageAccess, [mine]);
  assertEquals(resolveHtexOptions({}).storageAccess, undefined);
  for (const [bad, says] of [[{}, "is not a list"], [[mine, "http"], "[1] is not"]] as const) {
    let err: unknown;
    try {
      resolveHtexOptions({ storageAccess: bad as never });
    } catch (e) {
      err = e;
    }
    assert(err instanceof ConfigError, JSON.stringify(bad));
    assert(err.message.includes(says) && err.message.includes("storageAccess"), err.message);
  }
  // Not a pool flag: the providers stay with the driver.
  assert(
    !workerArgs(resolveHtexOptions({ storageAccess: [mine] }), ["h"], 9, "/s", "0", "/l")
      .some((a) => a.includes("storage")),
  );
});

Deno.test("pools put a short task's start on its result only when monitoring may record it", () => {
  const flags = (host: { monitoringEnabled?: boolean }, reportRunning?: boolean) => {
    const o = resolveHtexOptions({ reportRunning });
    adoptMonitoring(o, { reportRunning }, host);
    return workerOptions(o, "/s", "/logs");
  };
  // Monitoring on, or an executor used without a kernel: the start goes on the result.
  assert(flags({ monitoringEnabled: true }).includes("--stamp-starts"));
  assert(flags({}).includes("--stamp-starts"));
  // Monitoring off: tasks still running are reported (the kernel counts them), short ones'
  // results go on as the worker's bytes.
  const off = flags({ monitoringEnabled: false });
  assert(off.includes("--report-running") && !off.includes("--stamp-starts"));
  assert(!flags({ monitoringEnabled: true }, false).includes("--stamp-starts"));
});
