/**
 * The account running the driver, as Parsl's `getpass.getuser()` finds it: `$LOGNAME`, `$USER`,
 * `$LNAME` or `$USERNAME`, the first set, else the password database's name for this process's
 * user (cron, systemd and `sudo -i` may set none of them).
 *
 * @module
 */

/**
 * The account name, as Parsl's `getpass.getuser()`; the numeric uid when even the password
 * database has no entry.
 *
 * @returns The name ("" only when nothing at all is known).
 *
 * @example
 * ```ts
 * import { accountName } from "./_account_name.ts";
 * import assert from "node:assert/strict";
 * assert(typeof (await accountName()) === "string");
 * ```
 */
export async function accountName(): Promise<string> {
  for (const k of ["LOGNAME", "USER", "LNAME", "USERNAME"]) {
    try {
      const v = Deno.env.get(k);
      if (v) return v;
    } catch { /* no env permission for it */ }
  }
  try {
    // Only now: importing a `node:` module starts Deno's Node layer (milliseconds at start).
    const { userInfo } = await import("node:os");
    const name = userInfo().username;
    if (name) return name;
  } catch { /* no password entry for this uid (some containers), or no sys permission */ }
  return String(Deno.uid() ?? "");
}
