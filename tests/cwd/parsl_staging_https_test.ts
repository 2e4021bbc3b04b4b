// In tests/cwd/: this test changes the process's working directory (Deno.chdir), which test files
// running in parallel in the same process would see; the test task runs this folder alone.
// Parsl's test_staging/test_staging_https.py::test_staging_https_additional_executor (see
// docs/parsl-conformance.md): next to the configured HTEX, an executor `other` that was given no
// staging providers stages an https input with the default ones, into the working directory. No
// internet here: the "remote" file comes from a real HTTP server on 127.0.0.1. The HTEX, given
// HTTP staging as its `storageAccess`, stages the same input in a separate task.
import { assert, assertEquals } from "../_assert.ts";
import {
  File,
  HighThroughputExecutor,
  HTTPSeparateTaskStaging,
  load,
  LocalProvider,
  NoOpFileStaging,
  ThreadPoolExecutor,
} from "../../mod.ts";
import {
  sortStringsAdditionalExecutor,
  sortStringsHtex,
} from "../conformance/fixtures/parsl_apps.ts";

// Parsl's unsorted.txt: the numbers 1 to 100, one a line, shuffled; its test checks the first 20
// lines of the sorted output (string order).
const UNSORTED = Array.from({ length: 100 }, (_, i) => i + 1)
  .sort((a, b) => ((a * 37) % 101) - ((b * 37) % 101))
  .map((i) => `${i}\n`).join("");
const EXP_SORTED = Array.from({ length: 100 }, (_, i) => `${i + 1}\n`).sort().slice(0, 20);

Deno.test("test_staging_https_additional_executor: an executor with no storageAccess stages https inputs", async () => {
  const home = Deno.cwd();
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "tsflow-parsl-https-" }));
  const gets: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    gets.push(`${req.method} ${path}`);
    return path === "/unsorted.txt"
      ? new Response(UNSORTED)
      : new Response("missing", { status: 404 });
  });
  const url = `http://127.0.0.1:${server.addr.port}/unsorted.txt`;
  const staged = `${dir}/htex-staged`;
  Deno.mkdirSync(staged);
  Deno.chdir(dir);
  try {
    await using _dfk = await load({
      executors: [
        new HighThroughputExecutor({
          label: "htex_local",
          maxWorkersPerNode: 1,
          heartbeatPeriod: 1,
          heartbeatThreshold: 5,
          provider: new LocalProvider({ initBlocks: 1, minBlocks: 0, maxBlocks: 1 }),
          storageAccess: [new NoOpFileStaging(), new HTTPSeparateTaskStaging({ dir: staged })],
        }),
        new ThreadPoolExecutor({ label: "other", maxThreads: 1 }),
      ],
      runDir: "runinfo",
      strategy: "none",
    });
    const unsorted = new File(url);
    const sorted = new File(`${dir}/sorted.txt`);
    const f = sortStringsAdditionalExecutor.with({ inputs: [unsorted], outputs: [sorted] })();
    await f;
    assertEquals(f.task.executor, "other");
    const lines = Deno.readTextFileSync(sorted.filepath).split(/(?<=\n)/);
    assertEquals(lines.slice(0, 20), EXP_SORTED);
    // The default in-task HTTP staging put the download in the working directory (Parsl: the
    // executor's working_dir, set to tmpd_cwd by its test).
    assertEquals(Deno.readTextFileSync(`${dir}/unsorted.txt`), UNSORTED);
    assertEquals(unsorted.localPath, undefined, "staging works on a copy of the caller's File");

    // The HTEX's own storageAccess: a separate staging task downloads into its `dir`.
    const sorted2 = new File(`${dir}/sorted-htex.txt`);
    const g = sortStringsHtex.with({ inputs: [new File(url)], outputs: [sorted2] })();
    await g;
    assertEquals(g.task.executor, "htex_local");
    assertEquals(Deno.readTextFileSync(sorted2.filepath).split(/(?<=\n)/).slice(0, 20), EXP_SORTED);
    assertEquals(Deno.readTextFileSync(`${staged}/unsorted.txt`), UNSORTED);
    assertEquals(gets, ["GET /unsorted.txt", "GET /unsorted.txt"]);
  } finally {
    Deno.chdir(home);
    await server.shutdown();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  assert(Deno.cwd() === home);
});
