/**
 * The `Launcher` interface. The kernel owns it (provider options carry a launcher,
 * `dfk/launcher.ts`); launchers import it from here.
 *
 * @module
 */
export type * from "../dfk/launcher.ts";
