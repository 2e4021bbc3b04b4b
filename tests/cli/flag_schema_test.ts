import assert from "node:assert/strict";
import { emitFlags, type FlagSchema, parseFlags } from "../../cli/flag_schema.ts";
import { helpText } from "../../cli/help.ts";
import { INTERCHANGE_FLAGS } from "../../cli/interchange_flags.ts";
import { RUN_FLAGS } from "../../cli/run_flags.ts";
import { VISUALIZE_FLAGS } from "../../cli/visualize_flags.ts";
import { WORKER_FLAGS } from "../../cli/worker_flags.ts";
import { resolveHtexOptions } from "../../interchange/htex_options.ts";
import { interchangeArgs, workerArgs, workerOptions } from "../../interchange/process_args.ts";

/** A value for every flag of a schema, none of them its default. */
function everyFlagSet(schema: FlagSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let n = 7;
  for (const [key, spec] of Object.entries(schema)) {
    n++;
    if (spec.type === "boolean") out[key] = true;
    else if (spec.type === "number") out[key] = n + 0.5;
    else if (spec.type === "list") out[key] = [`a${n}`, `b ${n}`];
    else out[key] = `v${n} with space`;
  }
  return out;
}

const SCHEMAS = {
  worker: WORKER_FLAGS,
  interchange: INTERCHANGE_FLAGS,
  run: RUN_FLAGS,
  visualize: VISUALIZE_FLAGS,
} as const;

Deno.test("every mode's emitted flags parse back to the same options", () => {
  for (const [mode, schema] of Object.entries(SCHEMAS)) {
    const values = everyFlagSet(schema);
    const back = parseFlags(schema, emitFlags(schema, values)).values;
    assert.deepEqual(back, values, mode);
    // Absent flags parse to their defaults, and emitting the defaults parses back to them too.
    const defaults = parseFlags(schema, []).values as Record<string, unknown>;
    assert.deepEqual(parseFlags(schema, emitFlags(schema, defaults)).values, defaults, mode);
  }
});

Deno.test("the executor's pool and interchange arguments parse back to its options", () => {
  const o = resolveHtexOptions({
    addressProbeTimeout: 3,
    maxWorkersPerNode: 5,
    coresPerWorker: 2,
    memPerWorker: 1.5,
    availableAccelerators: ["0", "1"],
    cpuAffinity: "alternating",
    prefetchCapacity: 4,
    heartbeatPeriod: 7,
    heartbeatThreshold: 70,
    drainPeriod: 600,
    workerDebug: true,
    maxFrameBytes: 1 << 20,
    resourceMonitoringInterval: 2,
    reportRunning: false,
    registrationTimeout: 4,
    managerSelector: "most-idle-first",
    workerPortRange: [54000, 54100],
  });
  const w = parseFlags(
    WORKER_FLAGS,
    workerArgs(o, ["10.0.0.5", "127.0.0.1"], 9000, "/run/s", "3", "/logs", "/run/ca"),
  ).values;
  assert.deepEqual(
    {
      addresses: w.addresses,
      port: w.port,
      blockId: w.blockId,
      secretFile: w.secretFile,
      logDir: w.logDir,
      caFile: w.caFile,
    },
    {
      addresses: ["10.0.0.5", "127.0.0.1"],
      port: "9000",
      blockId: "3",
      secretFile: "/run/s",
      logDir: "/logs",
      caFile: "/run/ca",
    },
  );
  let shared = 0;
  for (const k of Object.keys(WORKER_FLAGS) as (keyof typeof WORKER_FLAGS)[]) {
    if (!(k in o)) continue;
    shared++;
    assert.deepEqual(w[k], (o as unknown as Record<string, unknown>)[k], k);
  }
  assert(shared >= 13, `only ${shared} executor options reach the pool`);
  // launchCmd's {options}: the same flags without where the interchange is or the block.
  const opts = parseFlags(WORKER_FLAGS, workerOptions(o, "/run/s", "/logs")).values;
  assert.deepEqual({ ...opts, addresses: w.addresses, port: w.port, blockId: w.blockId }, {
    ...w,
    caFile: undefined,
  });

  const i = parseFlags(
    INTERCHANGE_FLAGS,
    interchangeArgs(o, ["10.0.0.5"], "/run/htex", "/run/htex/s", {
      certFile: "/c.pem",
      keyFile: "/k.pem",
    }),
  ).values;
  assert.deepEqual(i, {
    address: "0.0.0.0",
    port: undefined,
    portRange: "54000-54100",
    heartbeatPeriod: 7,
    heartbeatThreshold: 70,
    maxFrameBytes: 1 << 20,
    registrationTimeout: 4,
    selector: "most-idle-first",
    logFile: "/run/htex/interchange.log",
    debug: true,
    secretFile: "/run/htex/s",
    tlsCert: "/c.pem",
    tlsKey: "/k.pem",
    executorSocket: undefined,
  });
});

Deno.test("the executor's defaults are the pool's and the interchange's defaults", () => {
  const o = resolveHtexOptions({}) as unknown as Record<string, unknown>;
  const w = parseFlags(WORKER_FLAGS, []).values as Record<string, unknown>;
  for (const k of Object.keys(WORKER_FLAGS)) {
    // Boolean flags are off unless given; these two are on by the executor's default.
    if (k in o && k !== "reportRunning" && k !== "stampStarts") assert.deepEqual(o[k], w[k], k);
  }
  const i = parseFlags(INTERCHANGE_FLAGS, []).values as Record<string, unknown>;
  for (
    const k of ["heartbeatPeriod", "heartbeatThreshold", "maxFrameBytes", "registrationTimeout"]
  ) {
    assert.deepEqual(o[k], i[k], k);
  }
  assert.equal(o.managerSelector, i.selector);
});

Deno.test("each mode's --help lists every flag of its schema, and only those", () => {
  for (const [mode, schema] of Object.entries(SCHEMAS)) {
    const page = helpText(mode as keyof typeof SCHEMAS);
    const listed = [...page.matchAll(/^ {2}(?:-\w, )?--([a-z-]+)/gm)].map((m) => m[1]);
    const expected = Object.values(schema).filter((s) => !s.internal).map((s) => s.flag);
    assert.deepEqual(listed, [...expected, "help"], mode);
    for (const spec of Object.values(schema)) {
      if (spec.default !== undefined && !spec.internal) {
        assert(page.includes(`(default ${spec.default})`), `${mode} --${spec.flag} default`);
      }
    }
  }
});

Deno.test("an unknown flag is an error naming it", () => {
  assert.throws(() => parseFlags(WORKER_FLAGS, ["--heartbeat-perod", "3"]), /heartbeat-perod/);
});
