/**
 * Shared pieces of launcher scripts: writing the worker command to a helper file (so a launcher
 * such as `srun` or `mpiexec` can start it on every rank) and the `debug` echo lines.
 *
 * @module
 */
import { optionKeys } from "../dfk/option_keys.ts";

/** Options every launcher takes. */
export interface LauncherOptions {
  /** Echo progress lines into the block's stdout. @default true */
  debug?: boolean;
}

/** The keys of {@linkcode LauncherOptions}. */
export const LAUNCHER_OPTION_KEYS = optionKeys<LauncherOptions>()("debug");

/**
 * Shell lines that write `command` to `$TSFLOW_SCRIPT_DIR/cmd_$JOBNAME.sh` (the directory the
 * batch script exports; the current one otherwise). The here-document is quoted so the command is
 * stored verbatim and expanded when each rank runs it.
 *
 * @param command The worker command.
 * @param marker Here-document end marker.
 * @returns Lines that leave the path in `$CMD_FILE`.
 *
 * @example
 * ```ts
 * import { writeCmdFile } from "./_cmd_file.ts";
 * import assert from "node:assert/strict";
 * assert(writeCmdFile("echo $HOST", "X").includes("<< 'X'"));
 * ```
 */
export function writeCmdFile(command: string, marker: string): string {
  return [
    `CMD_FILE="\${TSFLOW_SCRIPT_DIR:-.}/cmd_\${JOBNAME:-block}.sh"`,
    `cat << '${marker}' > "$CMD_FILE"`,
    command,
    marker,
    `chmod u+x "$CMD_FILE"`,
  ].join("\n");
}

/**
 * Lines that export `CORES`, the node's online CPUs, as Parsl's launchers do with `getconf
 * _NPROCESSORS_ONLN`: counted from the list that glibc's getconf reads, in the shell itself, since
 * every process a block script starts delays its workers (4–6 ms each here, measured from
 * bash); getconf where that list cannot be read.
 *
 * @example
 * ```ts
 * import { EXPORT_CORES } from "./_cmd_file.ts";
 * import assert from "node:assert/strict";
 * const run = (script: string) =>
 *   new TextDecoder().decode(new Deno.Command("bash", { args: ["-c", script] }).outputSync().stdout);
 * assert.equal(run(`${EXPORT_CORES}\necho $CORES`), run("getconf _NPROCESSORS_ONLN"));
 * ```
 */
export const EXPORT_CORES: string = [
  "CORES=0",
  "if IFS=, read -r -a TSFLOW_ONLINE 2>/dev/null </sys/devices/system/cpu/online; then",
  '  for TSFLOW_R in "${TSFLOW_ONLINE[@]}"; do',
  "    CORES=$((CORES + ${TSFLOW_R#*-} - ${TSFLOW_R%-*} + 1))",
  "  done",
  "fi",
  "unset TSFLOW_ONLINE TSFLOW_R",
  '[ "$CORES" -gt 0 ] || CORES=$(getconf _NPROCESSORS_ONLN)',
  "export CORES",
].join("\n");

/**
 * An `echo` line printed only when debugging.
 *
 * @param debug Whether debug lines are on.
 * @param text What to echo (may use shell variables).
 * @returns The line, or an empty string.
 *
 * @example
 * ```ts
 * import { debugLine } from "./_cmd_file.ts";
 * import assert from "node:assert/strict";
 * assert(debugLine(false, "x") === "");
 * ```
 */
export function debugLine(debug: boolean, text: string): string {
  return debug ? `echo "${text}"` : "";
}

/**
 * Lines that end a launcher script with the exit status of the runner line just before them
 * (after the optional debug echo), so a failed launch fails the job and the scheduler records it.
 *
 * @param debug Whether debug lines are on.
 * @param text What to echo before exiting.
 * @returns The lines.
 *
 * @example
 * ```ts
 * import { exitWithStatus } from "./_cmd_file.ts";
 * import assert from "node:assert/strict";
 * assert(exitWithStatus(false, "Done").endsWith('exit "$TSFLOW_LAUNCH_STATUS"'));
 * ```
 */
export function exitWithStatus(debug: boolean, text: string): string {
  return script([
    "TSFLOW_LAUNCH_STATUS=$?",
    debugLine(debug, `${text} (exit status $TSFLOW_LAUNCH_STATUS)`),
    'exit "$TSFLOW_LAUNCH_STATUS"',
  ]).trimEnd();
}

/**
 * Joins script lines, dropping empty ones produced by switched-off options.
 *
 * @param lines Lines.
 * @returns The script.
 *
 * @example
 * ```ts
 * import { script } from "./_cmd_file.ts";
 * import assert from "node:assert/strict";
 * assert(script(["a", "", "b"]) === "a\nb\n");
 * ```
 */
export function script(lines: string[]): string {
  return lines.filter((l) => l !== "").join("\n") + "\n";
}

/**
 * A block script that starts `n` copies of the worker command through one parallel runner
 * (aprun, jsrun), in the background, waits for it and exits with its status.
 *
 * @param command Worker command.
 * @param marker Here-document end marker.
 * @param runner The runner's command line, without the `/bin/bash "$CMD_FILE"` it launches.
 * @param n Copies in all.
 * @param debug Whether to echo progress.
 * @returns The script fragment.
 *
 * @example
 * ```ts
 * import { runnerScript } from "./_cmd_file.ts";
 * import assert from "node:assert/strict";
 * assert(runnerScript("w", "X_EOF", "aprun -n 2 -N 1", 2, false).includes("aprun -n 2 -N 1 /bin/bash"));
 * ```
 */
export function runnerScript(
  command: string,
  marker: string,
  runner: string,
  n: number,
  debug: boolean,
): string {
  return script([
    `WORKERCOUNT=${n}`,
    writeCmdFile(command, marker),
    `${runner} /bin/bash "$CMD_FILE" &`,
    "wait $!",
    exitWithStatus(debug, "Done"),
  ]);
}
