import assert from "node:assert/strict";
import { resolve } from "node:path";
import { absolutePath } from "../../dfk/_abs_path.ts";
import { File } from "../../mod.ts";

Deno.test("absolutePath resolves as node:path's resolve does", () => {
  const cwd = Deno.cwd();
  for (
    const p of [
      "a.txt",
      "./a.txt",
      "../a.txt",
      "../../../../../../../../x",
      "a//b/./c/../d/",
      "/abs/x/../y",
      "/",
      ".",
      "..",
      "dir/",
      "with space/ü.txt",
      "a/...",
    ]
  ) assert.equal(absolutePath(p), resolve(p), p);
  assert.equal(absolutePath("x/../y", "/base/dir"), "/base/dir/y");
  assert.equal(cwd, Deno.cwd());
});

Deno.test("a File of a relative path is the file:// URL of its absolute path", () => {
  const f = new File("sub/../data.csv");
  assert.equal(f.url, `file://${Deno.cwd()}/data.csv`);
  assert.equal(f.filepath, `${Deno.cwd()}/data.csv`);
});
