import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// The kernel (dfk/) holds the engine alone: plugins, the program layer (cli/) and the root
// module are handed to it or sit above it, never imported by it (DESIGN.md §3).
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const DFK = join(ROOT, "dfk");

function* tsFiles(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* tsFiles(p);
    else if (e.name.endsWith(".ts")) yield p;
  }
}

/** Literal specifiers of a module's static imports, re-exports and dynamic imports. */
export function importSpecifiers(source: string): string[] {
  // JSDoc examples show how a user imports tsflow; they are not the module's own imports.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^"'`;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]);
  return out;
}

Deno.test("importSpecifiers finds static, type-only, re-export and dynamic imports", () => {
  const src = [
    `import { a } from "./a.ts";`,
    `import type {\n  B,\n} from "../b.ts";`,
    `export * from "./c.ts";`,
    `import "./d.ts";`,
    `const e = await import("../e.ts");`,
    `/** @example\n * import { f } from "../../mod.ts";\n */`,
    `// import { g } from "./g.ts";`,
  ].join("\n");
  assert.deepEqual(importSpecifiers(src).sort(), [
    "../b.ts",
    "../e.ts",
    "./a.ts",
    "./c.ts",
    "./d.ts",
  ]);
});

Deno.test("no dfk/ file imports anything outside dfk/ (no plugin, no cli/, no root module)", () => {
  const outside: string[] = [];
  let files = 0;
  for (const file of tsFiles(DFK)) {
    files++;
    for (const spec of importSpecifiers(Deno.readTextFileSync(file))) {
      if (spec.startsWith("npm:") || spec.startsWith("node:")) continue;
      const target = spec.startsWith(".") ? resolve(dirname(file), spec) : spec;
      const rel = relative(DFK, target);
      if (!spec.startsWith(".") || rel.startsWith("..")) {
        outside.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
  }
  assert(files > 30, `found only ${files} files under dfk/`);
  assert.deepEqual(outside, [], `the kernel must not import these:\n${outside.join("\n")}`);
});
