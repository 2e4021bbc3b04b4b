// Helpers for tests on the real 3-node Slurm cluster (scripts/slurm-cluster-up.sh): nodes are
// network namespaces node1..3 on the bridge 10.201.0.1; its clients need SLURM_CONF.
import { answers, skipNote } from "./_scheduler_util.ts";

/** The cluster's config file (the one-node cluster keeps /etc/slurm/slurm.conf). */
export const CLUSTER_CONF = "/tmp/tsflow-slurm-multi/etc/slurm.conf";
/** Environment for Slurm commands aimed at the cluster. */
export const CLUSTER_ENV = { SLURM_CONF: CLUSTER_CONF };
/** The cluster's node names. */
export const NODES = ["node1", "node2", "node3"];

function clusterMissing(): string | undefined {
  const ok = answers(["env", `SLURM_CONF=${CLUSTER_CONF}`, "sinfo", "-h"]) &&
    answers(["ip", "link", "show", "tsfveth3"]);
  if (ok) return undefined;
  return "the 3-node Slurm cluster is not up: start it with scripts/slurm-cluster-up.sh (as root)";
}

/** True (and the reason printed) when the cluster tests must skip; throws when required. */
export function clusterIgnore(): boolean {
  return skipNote(clusterMissing());
}

/** Runs a command against the cluster and returns its stdout (throws on failure). */
export async function cluster(argv: string[]): Promise<string> {
  const out = await new Deno.Command(argv[0], { args: argv.slice(1), env: CLUSTER_ENV }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${argv.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return text;
}

/**
 * A directory of `sbatch`, `squeue`, `scancel`, `sacct`, `scontrol` that run the real ones with
 * the cluster's SLURM_CONF: a provider's `commandDir`, as a site wraps its scheduler's commands.
 */
export function clusterCommandDir(): string {
  const dir = Deno.makeTempDirSync({ prefix: "tsflow-cluster-bin-" });
  for (const cmd of ["sbatch", "squeue", "scancel", "sacct", "scontrol"]) {
    const real = new TextDecoder().decode(
      new Deno.Command("bash", { args: ["-c", `command -v ${cmd}`] }).outputSync().stdout,
    ).trim();
    Deno.writeTextFileSync(
      `${dir}/${cmd}`,
      `#!/bin/sh\nSLURM_CONF=${CLUSTER_CONF} exec ${real} "$@"\n`,
      { mode: 0o755 },
    );
  }
  return dir;
}

/** Cuts a node off the network (`up: false`) or reconnects it. */
export async function setLink(node: string, up: boolean): Promise<void> {
  const veth = `tsfveth${node.replace("node", "")}`;
  const out = await new Deno.Command("ip", { args: ["link", "set", veth, up ? "up" : "down"] })
    .output();
  if (!out.success) throw new Error(`ip link set ${veth}: ${new TextDecoder().decode(out.stderr)}`);
}

/** Reconnects a node and returns it to service (Slurm 22.05 never pings a DOWN node again). */
export async function restoreNode(node: string): Promise<void> {
  await setLink(node, true);
  await new Deno.Command("scontrol", {
    args: ["update", `NodeName=${node}`, "State=RESUME"],
    env: CLUSTER_ENV,
    stderr: "null",
  }).output();
}

/** The node's Slurm state (`idle`, `allocated`, `down*`, …). */
export async function nodeState(node: string): Promise<string> {
  return (await cluster(["sinfo", "-h", "-N", "-n", node, "-o", "%T"])).trim().split("\n")[0];
}

/** Jobs of the cluster still pending, running or completing, among `ids` (all when empty). */
export async function liveJobs(ids: string[] = []): Promise<string[]> {
  const args = ["squeue", "-h", "-t", "PD,R,CG,S,CF", "-o", "%i"];
  if (ids.length > 0) args.push("-j", ids.join(","));
  const out = await new Deno.Command(args[0], { args: args.slice(1), env: CLUSTER_ENV }).output();
  return new TextDecoder().decode(out.stdout).split("\n").map((l) => l.trim()).filter((l) => l);
}
