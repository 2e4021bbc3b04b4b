// The floor under an HTEX cold start: the chain of processes it needs, and nothing else (no
// sockets, no registration, no task). One hop starts the next and each imports the module
// graph its role imports in a real run: the driver (load, HighThroughputExecutor,
// LocalProvider), the pool (worker_pool_main.ts and manager.ts), the worker (worker_process.ts
// and the app's module). Prints one JSON line of epoch-ms marks: for each hop `<hop>_runtime`
// (its JS began: performance.timeOrigin), `<hop>_imported`, and `done` when the last hop has
// its graph. Used by scripts/bench_htex.ts (`--part cold`).
//
//   deno run -A scripts/htex_cold_floor.ts <chain> [bare]   (hops add their index after it)
//
// chain: hops after the driver, `p` a process and `t` a Web Worker of the hop before, e.g.
// `pp` (driver -> pool -> worker: today's chain), `p` (driver -> worker), `pt` (workers as
// threads of the pool), `t` (the driver's own threads). `bare`: no imports (Deno's own starts).
// chain `tree`: HTEX's whole process tree as a cold start runs it, the driver starting the
// interchange and the pool at once and the pool its two workers at once; `done` when the
// interchange and the first worker have their graphs (what a first result needs at least).
const roles = ["driver", "pool", "worker"];

type Marks = Record<string, number>;

/** The hop index, or an error: a bad one would start processes without end. */
function checked(chain: string, at: string): number {
  const n = Number(at);
  if (!/^[pt]{1,2}$/.test(chain) || !Number.isInteger(n) || n < 0 || n > chain.length) {
    throw new Error(`usage: htex_cold_floor.ts <p|t><p|t>? [bare|-] (got ${chain} ${at})`);
  }
  return n;
}

/** Each role's modules. Computed specifiers: Deno would prepare literal ones' graphs at start. */
const IMPORTS: Record<string, string[]> = {
  driver: [
    "../dfk/load.ts",
    "../interchange/high_throughput_executor.ts",
    "../providers/local_provider.ts",
  ],
  pool: ["../worker_pool/worker_pool_main.ts", "../worker_pool/manager.ts"],
  worker: ["../worker_pool/worker_process.ts", "./htex_bench_apps.ts"],
};

/** The interchange's graph, imported in a `tree` only. */
IMPORTS.interchange = ["../interchange/interchange_main.ts"];
const TREE_WORKERS = 2;

async function importRole(role: string): Promise<void> {
  for (const m of IMPORTS[role]) await import(new URL(m, import.meta.url).href);
}

/** Runs hop `at` of `chain` (0: the driver) and returns every mark from it on. */
async function hop(chain: string, at: number, bare: boolean): Promise<Marks> {
  const role = at === 0 ? "driver" : at === chain.length ? "worker" : roles[at];
  const name = `${role}${at}`;
  const marks: Marks = { [`${name}_runtime`]: performance.timeOrigin };
  if (!bare) await importRole(role);
  marks[`${name}_imported`] = Date.now();
  if (at === chain.length) return { ...marks, done: Date.now() };
  const next = [chain, bare ? "bare" : "-", String(at + 1)];
  if (chain[at] === "t") {
    const w = new Worker(new URL(`#${next.join(",")}`, import.meta.url), { type: "module" });
    const got = await new Promise<Marks>((r) => w.onmessage = (e) => r(e.data));
    w.terminate();
    return { ...marks, ...got };
  }
  const o = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", new URL(import.meta.url).pathname, ...next],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  return { ...marks, ...JSON.parse(new TextDecoder().decode(o.stdout)) };
}

/** Runs `role` of the `tree` and returns every mark from it down, named by process. */
async function treeHop(role: string, bare: boolean): Promise<Marks> {
  const worker = /^worker(\d+)$/.exec(role);
  if (!["driver", "interchange", "pool"].includes(role) && !(worker && +worker[1] < TREE_WORKERS)) {
    throw new Error(`htex_cold_floor.ts tree: no role ${role}`);
  }
  const marks: Marks = { [`${role}_runtime`]: performance.timeOrigin };
  if (!bare) await importRole(role.replace(/\d$/, ""));
  marks[`${role}_imported`] = Date.now();
  const kids = role === "driver"
    ? ["interchange", "pool"]
    : role === "pool"
    ? Array.from({ length: TREE_WORKERS }, (_, i) => `worker${i}`)
    : [];
  const outs = await Promise.all(kids.map((k) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--quiet",
        new URL(import.meta.url).pathname,
        "tree",
        bare ? "bare" : "-",
        k,
      ],
      stdout: "piped",
      stderr: "inherit",
    }).output()
  ));
  for (const o of outs) Object.assign(marks, JSON.parse(new TextDecoder().decode(o.stdout)));
  if (role === "driver") {
    const firstWorker = Math.min(
      ...Array.from({ length: TREE_WORKERS }, (_, i) => marks[`worker${i}_imported`]),
    );
    marks.done = Math.max(marks.interchange_imported, firstWorker);
  }
  return marks;
}

const scope = (globalThis as { WorkerGlobalScope?: abstract new () => unknown })
  .WorkerGlobalScope;
if (typeof scope === "function" && globalThis instanceof scope) {
  const [chain, bare, at] = new URL(import.meta.url).hash.slice(1).split(",");
  const marks = await hop(chain, checked(chain, at), bare === "bare");
  (globalThis as unknown as { postMessage(m: unknown): void }).postMessage(marks);
} else if (import.meta.main && Deno.args[0] === "tree") {
  console.log(JSON.stringify(await treeHop(Deno.args[2] ?? "driver", Deno.args[1] === "bare")));
} else if (import.meta.main) {
  const [chain = "pp", bare = "-", at = "0"] = Deno.args;
  console.log(JSON.stringify(await hop(chain, checked(chain, at), bare === "bare")));
}
