// The workflow row's `user` is found as Parsl's getpass.getuser() finds it: $LOGNAME, $USER,
// $LNAME, $USERNAME (the first set), then the password database.
import { assertEquals } from "../_assert.ts";
import { userInfo } from "node:os";

const MODULE = new URL("../../dfk/_account_name.ts", import.meta.url).href;

async function nameWith(env: Record<string, string>): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", `import { accountName } from "${MODULE}"; console.log(await accountName());`],
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...env },
    stdin: "null",
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("accountName takes the environment first, in getpass.getuser()'s order, then the password database", async () => {
  const home: Record<string, string> = {};
  for (const k of ["HOME", "DENO_DIR"]) {
    const v = Deno.env.get(k);
    if (v) home[k] = v;
  }
  assertEquals(await nameWith({ ...home, USER: "u", LOGNAME: "l" }), "l");
  assertEquals(await nameWith({ ...home, USER: "u", LNAME: "n" }), "u");
  assertEquals(await nameWith({ ...home, LNAME: "n", USERNAME: "w" }), "n");
  assertEquals(await nameWith({ ...home, USERNAME: "w" }), "w");
  assertEquals(await nameWith(home), userInfo().username);
});
