// Stand-in scheduler commands for schedulers that cannot be installed here (PBS Pro, Torque,
// LSF, HTCondor): each prints a recorded fixture output, exits with its code, and logs its argv
// and stdin so tests can check the command lines and scripts the provider produced. Providers
// reach them through their `commandDir` option; PATH is left alone, so tests running in
// parallel still find the real Slurm and Grid Engine commands.
import type { Recorded } from "./_fixtures.ts";

/** A directory of fake commands for `fn` (pass it as the provider's `commandDir`). */
export async function withFakeBin(
  commands: Record<string, Recorded>,
  fn: (dir: string, calls: () => Promise<string[]>) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tsflow-fakebin-" });
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
    await fn(
      dir,
      async () => (await Deno.readTextFile(`${dir}/calls`).catch(() => "")).trim().split("\n"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
