/**
 * The account running the driver, as Parsl's `getpass.getuser()` finds it: the password
 * database's name for this process's user, not `$USER` alone (unset under cron, systemd, sudo -i).
 *
 * @module
 */
import { userInfo } from "node:os";

/**
 * The account name: the password database's, else `$LOGNAME` / `$USER`, else the numeric uid.
 *
 * @returns The name ("" only when nothing at all is known).
 *
 * @example
 * ```ts
 * import { accountName } from "./_account_name.ts";
 * import assert from "node:assert/strict";
 * assert(typeof accountName() === "string");
 * ```
 */
export function accountName(): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch { /* no password entry for this uid (some containers), or no sys permission */ }
  const env = (k: string) => {
    try {
      return Deno.env.get(k);
    } catch {
      return undefined;
    }
  };
  return env("LOGNAME") || env("USER") || String(Deno.uid() ?? "");
}
