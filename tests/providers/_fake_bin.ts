// Stand-in scheduler commands for schedulers that cannot be installed here (PBS Pro, Torque,
// LSF, HTCondor): each prints a recorded fixture output, exits with its code, and logs its argv
// and stdin so tests can check the command lines and scripts the provider produced.
import type { Recorded } from "./_fixtures.ts";

/** A directory of fake commands, put first on PATH while `fn` runs. */
export async function withFakeBin(
  commands: Record<string, Recorded>,
  fn: (dir: string, calls: () => Promise<string[]>) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tsflow-fakebin-" });
  const oldPath = Deno.env.get("PATH")!;
  try {
    for (const [name, rec] of Object.entries(commands)) {
      await Deno.writeTextFile(`${dir}/${name}.out`, rec.output);
      await Deno.writeTextFile(
        `${dir}/${name}`,
        `#!/bin/sh\necho "${name} $*" >> ${dir}/calls\n` +
          `[ -t 0 ] || cat > ${dir}/${name}.stdin\ncat ${dir}/${name}.out\nexit ${rec.exitCode}\n`,
        { mode: 0o755 },
      );
    }
    Deno.env.set("PATH", `${dir}:${oldPath}`);
    await fn(
      dir,
      async () => (await Deno.readTextFile(`${dir}/calls`).catch(() => "")).trim().split("\n"),
    );
  } finally {
    Deno.env.set("PATH", oldPath);
    await Deno.remove(dir, { recursive: true });
  }
}
