// Parsl's test_monitoring/test_stdouterr.py::test_stdstream_to_monitoring: every form of a
// stdout/stderr spec is recorded in the task table's task_stdout / task_stderr as Parsl records
// it (a path as given, a [path, mode] pair's path, AUTO_LOGNAME's absolute path, a File's URL,
// "" when unset), for a function app (Parsl's `stdapp`) and a bash app, on an HTEX with a
// staging provider for an `arbitrary:` scheme, as Parsl's test configures. Parsl loads a kernel
// per form; here one kernel runs every form and each task is checked by id (one task row and one
// try row each).
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import {
  AUTO_LOGNAME,
  File,
  HighThroughputExecutor,
  HTTPInTaskStaging,
  load,
  LocalProvider,
  MonitoringHub,
  NoOpFileStaging,
  type StagingProvider,
  type StdStream,
} from "../../mod.ts";
import { stdapp, stdbash } from "./fixtures/apps.ts";

/**
 * Parsl's ArbitraryStaging: takes `arbitrary:` outputs and moves nothing (a bash app's stream is
 * written under `dir`, where the provider says the file is on the worker).
 */
function arbitraryStaging(dir: string): StagingProvider {
  return {
    canStageIn: () => false,
    canStageOut: (f) => f.scheme === "arbitrary",
    inTask: (f) => {
      f.localPath = join(dir, f.filename);
      return undefined;
    },
  };
}

Deno.test("test_stdouterr: test_stdstream_to_monitoring records every std stream form as Parsl", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "tsflow-parsl-std-" }));
  const dbPath = `${dir}/monitoring.db`;
  // [form, spec, what task_<stream> holds]. A bash app writes a relative path in the working
  // directory (this repository), so the plain relative form runs on the function app alone.
  // Parsl's os.PathLike forms have no TypeScript counterpart.
  const forms = (stream: string): [string, StdStream | undefined, string | RegExp][] => [
    ["a plain path", "hello.txt", "hello.txt"],
    ["an absolute path", `${dir}/${stream}-abs.txt`, `${dir}/${stream}-abs.txt`],
    ["unset", undefined, ""],
    ["[path, mode]", [`${dir}/${stream}-tuple.txt`, "w"], `${dir}/${stream}-tuple.txt`],
    [
      "AUTO_LOGNAME",
      AUTO_LOGNAME,
      new RegExp(`^${dir}/runinfo/\\d+/task_logs/0000/task_\\d{4}_APP\\.${stream}$`),
    ],
    ["an arbitrary: File", new File("arbitrary:abc123"), "arbitrary:abc123"],
    ["a file:// File", new File(`file://${dir}/${stream}-pl5`), `file://${dir}/${stream}-pl5`],
  ];
  type Case = {
    app: string;
    stream: "stdout" | "stderr";
    form: string;
    want: string | RegExp;
    id: number;
  };
  const cases: Case[] = [];
  let runId = "";
  try {
    {
      await using dfk = await load({
        runDir: `${dir}/runinfo`,
        executors: [
          new HighThroughputExecutor({
            label: "htex_Local",
            address: "127.0.0.1",
            maxWorkersPerNode: 2,
            provider: new LocalProvider({ initBlocks: 1, minBlocks: 1, maxBlocks: 1 }),
            storageAccess: [new NoOpFileStaging(), new HTTPInTaskStaging(), arbitraryStaging(dir)],
          }),
        ],
        strategy: "simple",
        strategyPeriod: 0.1,
        monitoring: new MonitoringHub({ dbPath }),
      });
      runId = dfk.runId;
      const futures: PromiseLike<unknown>[] = [];
      for (const [name, app] of [["stdapp", stdapp], ["stdbash", stdbash]] as const) {
        for (const stream of ["stdout", "stderr"] as const) {
          for (const [form, spec, want] of forms(stream)) {
            if (name === "stdbash" && form === "a plain path") continue; // would write in the cwd
            const f = app.with({ [stream]: spec })();
            futures.push(f);
            const w = want instanceof RegExp ? new RegExp(want.source.replace("APP", name)) : want;
            cases.push({ app: name, stream, form, want: w, id: f.taskId });
          }
        }
      }
      const settled = await Promise.allSettled(futures);
      const failed = settled.flatMap((s, i) =>
        s.status === "rejected" ? [[cases[i], String(s.reason)]] : []
      );
      assertEquals(failed, []);
    }
    // The bash app's streams went where the specs said.
    for (const [stream, line] of [["stdout", "out\n"], ["stderr", "err\n"]]) {
      for (const f of ["abs.txt", "tuple.txt", "pl5"]) {
        assertEquals(Deno.readTextFileSync(`${dir}/${stream}-${f}`), line, `${stream}-${f}`);
      }
    }
    // Both streams of two tasks named the same arbitrary: File; either may have written last.
    assert(["out\n", "err\n"].includes(Deno.readTextFileSync(`${dir}/abc123`)));
    const db = new DatabaseSync(dbPath, { readOnly: true });
    try {
      const count = (sql: string) => Object.values(db.prepare(sql).get(runId)!)[0];
      assertEquals(count("SELECT COUNT(*) FROM workflow WHERE run_id = ?"), 1);
      assertEquals(count("SELECT COUNT(*) FROM task WHERE run_id = ?"), cases.length);
      assertEquals(count('SELECT COUNT(*) FROM "try" WHERE run_id = ?'), cases.length);
      for (const c of cases) {
        const row = db.prepare(
          `SELECT task_${c.stream} AS s FROM task WHERE run_id = ? AND task_id = ?`,
        )
          .get(runId, c.id)!;
        const got = row.s as string;
        const what = `${c.app} ${c.stream} ${c.form}: ${got}`;
        if (c.want instanceof RegExp) assert(c.want.test(got), what);
        else assertEquals(got, c.want, what);
        // The other stream was not given: "".
        const other = c.stream === "stdout" ? "stderr" : "stdout";
        const o = db.prepare(`SELECT task_${other} AS s FROM task WHERE run_id = ? AND task_id = ?`)
          .get(runId, c.id)!;
        assertEquals(o.s, "", `${what} (${other})`);
      }
    } finally {
      db.close();
    }
    assert(cases.length === 26);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
