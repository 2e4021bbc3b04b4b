/**
 * {@linkcode SingleNodeLauncher}: starts several copies of the command on the node the script
 * runs on.
 *
 * @module
 */
import type { Launcher } from "./launcher.ts";
import { debugLine, EXPORT_CORES, type LauncherOptions, script } from "./_cmd_file.ts";
import { optionKeys } from "../dfk/option_keys.ts";
import { LAUNCHER_OPTION_KEYS } from "./_cmd_file.ts";

/** Options of {@linkcode SingleNodeLauncher}. */
export interface SingleNodeLauncherOptions extends LauncherOptions {
  /** Exit non-zero when any copy fails (else only when all fail). @default false */
  failOnAny?: boolean;
}

/**
 * Runs `tasksPerNode × nodesPerBlock` copies of the command in the background on this node and
 * waits for them (Parsl's `SingleNodeLauncher`). Exports `CORES`. The script's exit code is
 * non-zero when all copies failed, or any with `failOnAny`.
 *
 * @example
 * ```ts
 * import { SingleNodeLauncher } from "./single_node_launcher.ts";
 * import assert from "node:assert/strict";
 * const s = new SingleNodeLauncher().launch("tsflow worker", 2, 1);
 * assert(s.includes("WORKERCOUNT=2"));
 * ```
 */
export class SingleNodeLauncher implements Launcher {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = optionKeys<SingleNodeLauncherOptions>()(
    ...LAUNCHER_OPTION_KEYS,
    "failOnAny",
  );
  /** Name. */
  readonly name = "single_node";
  #debug: boolean;
  #failOnAny: boolean;
  /**
   * Creates it.
   * @param opts Options.
   */
  constructor(opts: SingleNodeLauncherOptions = {}) {
    this.#debug = opts.debug ?? true;
    this.#failOnAny = opts.failOnAny ?? false;
  }
  /**
   * Builds the block's command.
   * @param command Worker command.
   * @param tasksPerNode Copies per node.
   * @param nodesPerBlock Nodes (copies are multiplied by it, all run here).
   * @returns The script fragment.
   */
  launch(command: string, tasksPerNode: number, nodesPerBlock: number): string {
    return script([
      EXPORT_CORES,
      debugLine(this.#debug, "Found cores : $CORES"),
      `WORKERCOUNT=${tasksPerNode * nodesPerBlock}`,
      `FAILONANY=${this.#failOnAny ? 1 : 0}`,
      "PIDS=''",
      "CMD() {",
      command,
      "}",
      "for ((COUNT = 1; COUNT <= WORKERCOUNT; COUNT++)); do",
      debugLine(this.#debug, "Launching worker: $COUNT"),
      "  CMD $COUNT &",
      '  PIDS="$PIDS $!"',
      "done",
      "ALLFAILED=1",
      "ANYFAILED=0",
      "for PID in $PIDS; do",
      "  if wait $PID; then ALLFAILED=0; else ANYFAILED=1; fi",
      "done",
      debugLine(this.#debug, "All workers done"),
      'if [ "$FAILONANY" = 1 ]; then exit $ANYFAILED; else exit $ALLFAILED; fi',
    ]);
  }
}
