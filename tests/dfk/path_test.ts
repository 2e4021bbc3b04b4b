// dfk/_path.ts answers as node:path's POSIX functions do (the driver's start avoids node:path).
import { assertEquals } from "../_assert.ts";
import * as node from "node:path";
import { basename, dirname, join, resolve } from "../../dfk/_path.ts";
import { File } from "../../mod.ts";

const CASES = [
  "",
  ".",
  "..",
  "/",
  "//",
  "///",
  "a",
  "a/",
  "/a",
  "/a/",
  "a/b",
  "a//b",
  "/a/b/",
  "a/./b",
  "a/../b",
  "../a",
  "../../a/b",
  "/..",
  "/../a",
  "a/b/../..",
  "a/b/../../..",
  "./a",
  "a/.",
  "a/..",
  "file:///work/flow.ts",
  "/run/001/",
  "x.db",
  "//a//b//",
];

Deno.test("join, resolve, basename and dirname agree with node:path on POSIX paths", () => {
  for (const a of CASES) {
    assertEquals(basename(a), node.posix.basename(a), `basename(${a})`);
    assertEquals(dirname(a), node.posix.dirname(a), `dirname(${a})`);
    assertEquals(resolve(a), node.posix.resolve(a), `resolve(${a})`);
    assertEquals(join(a), node.posix.join(a), `join(${a})`);
    for (const b of CASES) {
      assertEquals(join(a, b), node.posix.join(a, b), `join(${a}, ${b})`);
      assertEquals(resolve(a, b), node.posix.resolve(a, b), `resolve(${a}, ${b})`);
      assertEquals(join(a, b, "c"), node.posix.join(a, b, "c"), `join(${a}, ${b}, c)`);
    }
  }
  assertEquals(join(), node.posix.join());
  assertEquals(resolve(), node.posix.resolve());
});

Deno.test("resolve of one path, or against a given directory, is node:path's", () => {
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
  ) assertEquals(resolve(p), node.resolve(p), p);
  assertEquals(resolve("/base/dir", "x/../y"), "/base/dir/y");
  assertEquals(cwd, Deno.cwd());
});

Deno.test("a File of a relative path is the file:// URL of its absolute path", () => {
  const f = new File("sub/../data.csv");
  assertEquals(f.url, `file://${Deno.cwd()}/data.csv`);
  assertEquals(f.filepath, `${Deno.cwd()}/data.csv`);
});
