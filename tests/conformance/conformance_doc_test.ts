// docs/parsl-conformance.md stays true: every row's status is one of the legend's words, an `open`
// row says why, a `pass` row names a tsflow test, every test file a row names exists (and holds the
// test named after `›`), and the counts in the header are the table's.
import { fileURLToPath } from "node:url";
import { assert, assertEquals } from "../_assert.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DOC = `${ROOT}docs/parsl-conformance.md`;
const STATUSES = ["pass", "n/a", "differs", "open"] as const;
type Status = (typeof STATUSES)[number];

interface Row {
  line: number;
  parsl: string;
  tsflow: string;
  status: Status | undefined;
  reason: string;
}

/** The table rows of the document (header and separator rows left out). */
function rows(text: string): Row[] {
  const out: Row[] = [];
  text.split("\n").forEach((l, i) => {
    if (!l.startsWith("| ") || l.startsWith("| Parsl test ") || l.startsWith("| ---")) return;
    const cells = l.trim().replace(/^\|\s*/, "").replace(/\s*\|$/, "").split(" | ");
    assertEquals(cells.length, 3, `line ${i + 1} has ${cells.length} cells, not 3: ${l}`);
    const [parsl, tsflow, last] = cells.map((c) => c.trim());
    const status = STATUSES.find((s) => new RegExp(`^${s.replace("/", "\\/")}\\b`).test(last));
    const reason = status ? last.slice(status.length).replace(/^[\s:;,(-]+/, "").trim() : last;
    out.push({ line: i + 1, parsl, tsflow, status, reason });
  });
  return out;
}

/** The counts the table gives, by status. */
function tally(all: Row[]): Record<Status, number> {
  const n = { pass: 0, "n/a": 0, differs: 0, open: 0 };
  for (const r of all) if (r.status) n[r.status]++;
  return n;
}

/** The header's counts line: "Counts: pass 1, n/a 2, differs 3, open 4; …". */
function headerCounts(text: string): Record<Status, number> | undefined {
  const m = text.match(
    /^Counts: \*\*pass\*\* (\d+), \*\*n\/a\*\* (\d+), \*\*differs\*\* (\d+), \*\*open\*\* (\d+)/m,
  );
  if (!m) return undefined;
  return { pass: +m[1], "n/a": +m[2], differs: +m[3], open: +m[4] };
}

Deno.test("docs/parsl-conformance.md: every row has a known status, and an open row a reason", () => {
  const all = rows(Deno.readTextFileSync(DOC));
  assert(all.length > 200, `only ${all.length} rows parsed`);
  const unknown = all.filter((r) => !r.status).map((r) => `line ${r.line}: ${r.reason}`);
  assertEquals(unknown, [], `statuses must start with ${STATUSES.join(", ")}`);
  const bare = all.filter((r) => r.status === "open" && r.reason.length < 10);
  assertEquals(bare.map((r) => `line ${r.line}: ${r.parsl}`), [], "open rows need a reason");
  const untested = all.filter((r) => r.status === "pass" && !/`[\w./-]+\.ts`/.test(r.tsflow));
  assertEquals(untested.map((r) => `line ${r.line}: ${r.parsl}`), [], "pass rows name a test");
});

Deno.test("docs/parsl-conformance.md: every tsflow test a row names exists", () => {
  const missing: string[] = [];
  for (const r of rows(Deno.readTextFileSync(DOC))) {
    for (const m of r.tsflow.matchAll(/`([\w./-]+\.ts)`(?: › ([^,;(]+))?/g)) {
      let text: string;
      try {
        text = Deno.readTextFileSync(`${ROOT}${m[1]}`);
      } catch {
        missing.push(`line ${r.line}: ${m[1]}`);
        continue;
      }
      // The test named after `›` (its first word, e.g. test_elaborate_noop_file) is in the file.
      const name = m[2]?.trim().split(" ")[0].replace(/:$/, "");
      if (name && !text.includes(name)) missing.push(`line ${r.line}: ${m[1]} › ${name}`);
    }
  }
  assertEquals(missing, []);
});

Deno.test("docs/parsl-conformance.md: the header's counts are the table's", () => {
  const text = Deno.readTextFileSync(DOC);
  const n = tally(rows(text));
  assertEquals(headerCounts(text), n, "update the Counts line under the status legend");
  const inScope = n.pass + n.differs + n.open;
  const pct = (x: number) => (Math.floor((1000 * x) / inScope) / 10).toFixed(1);
  assert(
    text.includes(`in scope (pass + differs + open): ${inScope}, passing ${pct(n.pass)} %`),
    `the Counts line should say "in scope (pass + differs + open): ${inScope}, passing ${
      pct(n.pass)
    } %"`,
  );
});

Deno.test("the row parser reads statuses and reasons", () => {
  const all = rows(
    "| a | `x.ts` | pass |\n| b | — | open: needs a provider |\n| c | — | n/a: Python |\n" +
      "| d | — | partly: something |\n",
  );
  assertEquals(all.map((r) => [r.status, r.reason]), [
    ["pass", ""],
    ["open", "needs a provider"],
    ["n/a", "Python"],
    [undefined, "partly: something"],
  ]);
  assertEquals(tally(all), { pass: 1, "n/a": 1, differs: 0, open: 1 });
});
