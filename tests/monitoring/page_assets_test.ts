// The visualize page is TypeScript in monitoring/page/, served from the bundle embedded in
// monitoring/_page_assets.ts: the committed bundle must be what its sources build to now.
import { assert } from "../_assert.ts";
import { PAGE_ASSET_FILE, pageAssetModule } from "../../scripts/embed_assets.ts";
import { PAGE_JS } from "../../monitoring/_page_assets.ts";
import { STATE_COLORS } from "../../monitoring/page/state_colors.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("the embedded page script is the bundle of monitoring/page/ as it is now", async () => {
  const fresh = await pageAssetModule();
  const committed = await Deno.readTextFile(new URL(PAGE_ASSET_FILE, ROOT));
  assert(
    fresh === committed,
    `${PAGE_ASSET_FILE} is stale: run \`deno run -A scripts/embed_assets.ts page\` and commit it`,
  );
});

Deno.test("the embedded page script is plain JavaScript with the kernel's state colours", () => {
  // Type annotations are gone (a browser would reject them) and nothing is left to import.
  assert(!/\bimport\b[^(]/.test(PAGE_JS), "the bundle still imports a module");
  assert(!PAGE_JS.includes(": Promise<void>"), "the bundle still holds TypeScript");
  new Function(PAGE_JS); // parses as a classic script, or throws SyntaxError
  for (const [state, colour] of Object.entries(STATE_COLORS)) {
    assert(PAGE_JS.includes(colour), `no colour ${colour} for ${state} in the bundle`);
  }
});
