// Reading an app's parameter names (for ignoreForCache by name) from its source text.
import { assertEquals } from "../_assert.ts";
import { parameterNames } from "../../dfk/parameter_names.ts";

Deno.test("parameter names skip strings and comments, and refuse what they cannot read", () => {
  assertEquals(parameterNames((sep = ",", x = 1, y = 2) => sep + x + y), ["sep", "x", "y"]);
  assertEquals(
    parameterNames(function (/* a, b */ x: number, y: number) {
      return x + y;
    }),
    ["x", "y"],
  );
  assertEquals(parameterNames((label = "a)b", x = 0) => label + x), ["label", "x"]);
  assertEquals(parameterNames((p = /,/, x = 0) => String(p) + x), undefined);
});
