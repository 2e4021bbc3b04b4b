import { assert, assertEquals, assertRejects } from "../_assert.ts";
import {
  DataFuture,
  DependencyError,
  File,
  HTTPInTaskStaging,
  HTTPSeparateTaskStaging,
  NoOpFileStaging,
  StagingError,
  ThreadPoolExecutor,
} from "../../mod.ts";
import { catIn, hello, writeOut } from "./fixtures/apps.ts";
import { withKernel } from "./_helpers.ts";
import { readArg } from "../conformance/fixtures/parsl_apps.ts";

/** A real HTTP server on 127.0.0.1 that serves GETs from a map and stores PUTs into it. */
function fileServer() {
  const files = new Map<string, string>([["/in.txt", "from the web\n"]]);
  const events: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = new URL(req.url).pathname;
    events.push(`${req.method} ${path}`);
    if (path.startsWith("/broken")) return new Response("no", { status: 500 });
    if (req.method === "PUT") {
      await new Promise((r) => setTimeout(r, 200)); // a slow upload: the app must wait for it
      files.set(path, await req.text());
      return new Response("ok");
    }
    const body = files.get(path);
    return body === undefined ? new Response("missing", { status: 404 }) : new Response(body);
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  return { files, events, base, close: () => server.shutdown() };
}

for (
  const [name, make] of [
    ["in-task", (dir: string) => new HTTPInTaskStaging({ dir })],
    ["separate-task", (dir: string) => new HTTPSeparateTaskStaging({ dir })],
  ] as const
) {
  Deno.test(`HTTP staging (${name}) fetches inputs and uploads outputs before the task's future completes`, async () => {
    const srv = fileServer();
    const dir = await Deno.makeTempDir();
    const stage = make(dir);
    try {
      await withKernel({
        executors: [new ThreadPoolExecutor({ storageAccess: [new NoOpFileStaging(), stage] })],
      }, async () => {
        const out = `${dir}/cat.out`;
        const input = new File(`${srv.base}/in.txt`);
        await catIn.with({ inputs: [input], stdout: [out, "w"] })();
        assertEquals(Deno.readTextFileSync(out), "from the web\n");
        assertEquals(input.localPath, undefined, "staging works on a copy of the caller's File");
        // test_staging_https_args: a File as an ordinary argument is staged in as well.
        assertEquals(await readArg(new File(`${srv.base}/in.txt`)), "from the web\n");
        const f = writeOut.with({ outputs: [new File(`${srv.base}/result.txt`)] })("uploaded");
        await f;
        // The AppFuture completes only after stage-out: the PUT has landed.
        assertEquals(srv.files.get("/result.txt"), "uploaded\n");
        assert(f.outputs[0].done());
        assertEquals((await f.outputs[0]).url, `${srv.base}/result.txt`);
        // A File as a bash app's stdout is written, then staged out; its DataFuture says when.
        const said = hello.with({ stdout: new File(`${srv.base}/hello.out`) })("web");
        assert(said.stdout instanceof DataFuture);
        assertEquals((await said.stdout).url, `${srv.base}/hello.out`);
        assertEquals(srv.files.get("/hello.out"), "hello web\n");
        // An output's DataFuture as the next task's input is staged in once it is produced.
        const chained = `${dir}/chained.out`;
        const produced = writeOut.with({ outputs: [new File(`${srv.base}/chain.txt`)] })("chain");
        await catIn.with({ inputs: [produced.outputs[0]], stdout: [chained, "w"] })();
        assertEquals(Deno.readTextFileSync(chained), "chain\n");
        const bad = writeOut.with({ outputs: [new File(`${srv.base}/broken/x.txt`)] })("lost");
        await assertRejects(() => bad, StagingError, "500");
        await assertRejects(() => bad.outputs[0], StagingError);
        const missing = catIn.with({ inputs: [new File(`${srv.base}/missing.txt`)] });
        if (name === "in-task") await assertRejects(() => missing(), StagingError, "404");
        else {
          // A separate stage-in task failed: the app task is a dependency failure caused by it.
          const e = await assertRejects(() => missing(), DependencyError);
          assert(e.cause instanceof StagingError && e.cause.message.includes("404"));
        }
      });
    } finally {
      await srv.close();
    }
  });
}

Deno.test("a file whose scheme no staging provider handles fails at submit, naming the fix", async () => {
  await withKernel({
    executors: [new ThreadPoolExecutor({ storageAccess: [new NoOpFileStaging()] })],
  }, async () => {
    await assertRejects(
      () => catIn.with({ inputs: [new File("http://127.0.0.1:1/x")] })(),
      StagingError,
      "storageAccess",
    );
  });
});

Deno.test("a memoized task with separate-task stage-out completes (memo_done) and stages out again", async () => {
  const srv = fileServer();
  const dir = await Deno.makeTempDir();
  try {
    await withKernel({
      executors: [
        new ThreadPoolExecutor({
          storageAccess: [new NoOpFileStaging(), new HTTPSeparateTaskStaging({ dir })],
        }),
      ],
    }, async (dfk) => {
      const { writeCached } = await import("./fixtures/memo_apps.ts");
      await writeCached.with({ outputs: [new File(`${srv.base}/m1.txt`)] })("same");
      srv.files.delete("/m1.txt");
      const again = writeCached.with({ outputs: [new File(`${srv.base}/m1.txt`)] })("same");
      await again;
      assertEquals(again.taskState, "memo_done");
      assertEquals(srv.files.get("/m1.txt"), "same\n"); // staged out again from the local copy
      await dfk.waitForCurrentTasks();
    });
  } finally {
    await srv.close();
  }
});
