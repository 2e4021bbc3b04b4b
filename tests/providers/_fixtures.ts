// Reads command outputs out of tests/fixtures/schedulers/*.txt, which record
// "$ command" lines, the verbatim output, then "[exit N]".

const DIR = new URL("../fixtures/schedulers/", import.meta.url);

/** One recorded command. */
export interface Recorded {
  command: string;
  output: string;
  exitCode: number;
}

/** Every command recorded in a fixture file. */
export function recorded(file: string): Recorded[] {
  const text = Deno.readTextFileSync(new URL(file, DIR));
  const out: Recorded[] = [];
  const re = /^\$ (.*)\n([\s\S]*?)^\[exit (\d+)\]$/gm;
  for (const m of text.matchAll(re)) {
    out.push({ command: m[1].replace(/\s+#.*$/, "").trim(), output: m[2], exitCode: Number(m[3]) });
  }
  return out;
}

/** The output of the `nth` recorded command starting with `prefix`. */
export function outputOf(file: string, prefix: string, nth = 0): Recorded {
  const hits = recorded(file).filter((r) => r.command.startsWith(prefix));
  if (!hits[nth]) throw new Error(`${file}: no command #${nth} starting with "${prefix}"`);
  return hits[nth];
}
