import assert from "node:assert/strict";
import {
  DEEP_DEPENDENCY_RESOLVER,
  LocalProvider,
  SrunLauncher,
  ThreadPoolExecutor,
} from "../../mod.ts";
import { parseConfigYaml } from "../../cli/config_yaml.ts";
import { configType, configTypeNames, registerConfigType } from "../../cli/config_types.ts";
import * as tsflow from "../../mod.ts";
import { ConfigError } from "../../dfk/errors.ts";

async function configError(yaml: string): Promise<string> {
  try {
    await parseConfigYaml(yaml, "site.yaml");
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
    return (e as Error).message;
  }
  assert.fail("expected a ConfigError");
}

Deno.test("YAML plugins become instances of their classes, nested ones too", async () => {
  const config = await parseConfigYaml(`
retries: 2
checkpointMode: task_exit
executors:
  - type: ThreadPoolExecutor
    label: tp
    maxThreads: 3
dependencyResolver: deep
`);
  assert.equal(config.retries, 2);
  assert.equal(config.checkpointMode, "task_exit");
  assert.ok(config.executors![0] instanceof ThreadPoolExecutor);
  assert.equal(config.executors![0].label, "tp");
  assert.equal(config.dependencyResolver, DEEP_DEPENDENCY_RESOLVER);
});

Deno.test("a provider with a launcher is built from nested type: mappings", async () => {
  registerConfigType("ProviderHolder", (o) => ({ label: "holder", submit() {}, ...o }));
  const config = await parseConfigYaml(`
executors:
  - type: ProviderHolder
    provider: {type: LocalProvider, initBlocks: 2, launcher: {type: SrunLauncher, overrides: "-c 2"}}
`);
  const provider = (config.executors![0] as unknown as { provider: LocalProvider }).provider;
  assert.ok(provider instanceof LocalProvider);
  assert.equal(provider.options.initBlocks, 2);
  assert.ok(provider.options.launcher instanceof SrunLauncher);
});

Deno.test("an unknown top-level key is a ConfigError with a suggestion", async () => {
  const msg = await configError("retrys: 2\n");
  assert.match(msg, /^site\.yaml: unknown key "retrys" \(did you mean "retries"\?\)$/);
});

Deno.test("an unknown type is a ConfigError naming the place and the closest type", async () => {
  const msg = await configError("executors:\n  - type: ThreadPoolExecuter\n");
  assert.equal(
    msg,
    `site.yaml: executors[0]: unknown type "ThreadPoolExecuter" (did you mean "ThreadPoolExecutor"?)`,
  );
});

Deno.test("an unknown option of a known type is a ConfigError with a suggestion", async () => {
  registerConfigType("Holder2", (o) => ({ label: "h2", submit() {}, ...o }));
  const msg = await configError(
    "executors:\n  - type: Holder2\n    provider: {type: LocalProvider, init_blocks: 1}\n",
  );
  assert.equal(
    msg,
    `site.yaml: executors[0].provider: unknown option "init_blocks" for LocalProvider (did you mean "initBlocks"?)`,
  );
});

Deno.test("invalid YAML, a non-mapping, and bad values are ConfigErrors naming the file", async () => {
  assert.match(await configError("retries: [1\n"), /^site\.yaml: invalid YAML: /);
  assert.match(await configError("- 1\n- 2\n"), /top level must be a mapping/);
  assert.match(await configError("retries: -1\n"), /^site\.yaml: retries must be a whole number/);
  assert.match(
    await configError("executors: {type: ThreadPoolExecutor}\n"),
    /executors must be a list/,
  );
  assert.match(await configError("dependencyResolver: deeep\n"), /did you mean "deep"/);
  assert.match(await configError("retryHandler: cost1\n"), /retryHandler is a function/);
});

Deno.test("an empty YAML file is the default config", async () => {
  assert.deepEqual(await parseConfigYaml(""), {});
});

Deno.test("a factory error becomes a ConfigError naming the place", async () => {
  registerConfigType("Exploding", () => {
    throw new Error("no cluster here");
  });
  const msg = await configError("monitoring: {type: Exploding}\n");
  assert.equal(msg, "site.yaml: monitoring: cannot make Exploding: no cluster here");
});

Deno.test("with nothing close, the error lists the valid names instead", async () => {
  const msg = await configError("zzzzzz: 1\n");
  assert.match(msg, /^site\.yaml: unknown key "zzzzzz" \(valid: executors, retries, /);
});

Deno.test("every plugin class of mod.ts is a YAML type; other exports are not", async () => {
  await parseConfigYaml("retries: 0\n"); // registers the built-in types
  const names = configTypeNames();
  for (
    const n of [
      "ThreadPoolExecutor",
      "HighThroughputExecutor",
      "LocalProvider",
      "SlurmProvider",
      "GridEngineProvider",
      "PBSProProvider",
      "TorqueProvider",
      "LSFProvider",
      "CondorProvider",
      "KubernetesProvider",
      "SrunLauncher",
      "MpiExecLauncher",
      "WrappedLauncher",
      "MonitoringHub",
      "HTTPInTaskStaging",
      "NoOpFileStaging",
      "DeepDependencyResolver",
    ]
  ) assert.ok(names.includes(n), n);
  for (const n of ["File", "AppFuture", "ConfigError", "DataFlowKernel"]) {
    assert.ok(!names.includes(n), n);
  }
});

Deno.test("a WrappedLauncher takes its prepend string from YAML", async () => {
  registerConfigType("Holder3", (o) => ({ label: "h3", submit() {}, ...o }));
  const config = await parseConfigYaml(
    "executors:\n  - type: Holder3\n    launcher: {type: WrappedLauncher, prepend: 'time'}\n",
  );
  type Launching = { launcher: { launch(c: string, t: number, n: number): string } };
  const launcher = (config.executors![0] as unknown as Launching).launcher;
  assert.match(launcher.launch("worker-cmd", 1, 1), /^time worker-cmd/);
});

Deno.test("each executor, provider, launcher and MonitoringHub declares its YAML option keys", async () => {
  await parseConfigYaml("retries: 0\n"); // registers the built-in types
  const exported = tsflow as unknown as Record<string, unknown>;
  const declared = Object.keys(exported).filter((n) =>
    /(Executor|Provider|Launcher|Hub)$/.test(n) && typeof exported[n] === "function" &&
    Object.hasOwn(exported[n] as object, "configKeys")
  );
  // Every concrete class of these kinds (the abstract bases excepted) declares its own keys.
  for (
    const n of Object.keys(exported).filter((n) =>
      /(Executor|Provider|Launcher|Hub)$/.test(n) && typeof exported[n] === "function"
    )
  ) {
    if (n === "ClusterProvider" || n === "ScriptLauncher") continue;
    assert.ok(declared.includes(n), `${n} declares no static configKeys`);
  }
  // The loader's table is the classes' own declarations.
  for (const n of declared) {
    const keys = (exported[n] as { configKeys: readonly string[] }).configKeys;
    assert.deepEqual(configType(n)?.keys, keys, n);
  }
  assert.ok(configType("SlurmProvider")?.keys?.includes("partition"));
  assert.ok(configType("SlurmProvider")?.keys?.includes("missingGrace"));
  assert.ok(configType("MpiExecLauncher")?.keys?.includes("bindCmd"));
  assert.equal(configType("ClusterProvider")?.keys, undefined);
});
