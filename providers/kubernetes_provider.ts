/**
 * {@linkcode KubernetesProvider}: blocks are pods, managed through the Kubernetes REST API with
 * `fetch` (no client library, no `kubectl`).
 *
 * @module
 */
import type {
  ExecutionProvider,
  JobState,
  JobStatus,
  ProviderLogger,
} from "./execution_provider.ts";
import { TERMINAL_JOB_STATES } from "./execution_provider.ts";
import { type ResolvedProviderOptions, resolveProviderOptions } from "./batch_script.ts";
import type { ClusterProviderOptions } from "./cluster_provider.ts";
import { walltimeSeconds } from "./_walltime.ts";
import { SubmitException } from "./errors.ts";
import { optionKeys } from "../dfk/option_keys.ts";
import { PROVIDER_OPTION_KEYS } from "./execution_provider.ts";

/** Options of {@linkcode KubernetesProvider}. */
export interface KubernetesProviderOptions
  extends Omit<ClusterProviderOptions, "schedulerOptions" | "missingGrace" | "commandDir"> {
  /** Container image that has tsflow (or Deno) in it. */
  image: string;
  /** API server base URL. @default in-cluster `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT` */
  apiServer?: string;
  /** Namespace. @default "default" */
  namespace?: string;
  /** Bearer token; else read from `tokenFile`. */
  token?: string;
  /** File holding the bearer token. @default "/var/run/secrets/kubernetes.io/serviceaccount/token" */
  tokenFile?: string;
  /** Pod name prefix. @default "tsflow" */
  podNamePrefix?: string;
  /** CPU request and limit, e.g. `"1"` or `"500m"`. */
  cpu?: string;
  /** Memory request and limit, e.g. `"2Gi"`. */
  memory?: string;
  /** Service account of the pods. */
  serviceAccountName?: string;
  /** Extra pod labels. */
  labels?: Record<string, string>;
  /** Image pull policy. @default "IfNotPresent" */
  imagePullPolicy?: string;
}

/** The parts of a `core/v1` Pod the provider reads. */
export interface KubernetesPod {
  /** Name and labels. */
  metadata: { name: string; labels?: Record<string, string> };
  /** Phase, reason, start time, container exit codes. */
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    startTime?: string;
    containerStatuses?: { state?: { terminated?: { exitCode?: number; reason?: string } } }[];
  };
}

/**
 * Maps a pod's phase (Pending, Running, Succeeded, Failed, Unknown) to a job state; a pod
 * stopped by `activeDeadlineSeconds` (reason `DeadlineExceeded`) is TIMEOUT.
 *
 * @param pod The pod.
 * @returns Its status.
 *
 * @example
 * ```ts
 * import { podStatus } from "./kubernetes_provider.ts";
 * import assert from "node:assert/strict";
 * assert(podStatus({ metadata: { name: "p" }, status: { phase: "Running" } }).state === "RUNNING");
 * ```
 */
export function podStatus(pod: KubernetesPod): JobStatus {
  const phase = pod.status?.phase ?? "Unknown";
  const table: Record<string, JobState> = {
    Pending: "PENDING",
    Running: "RUNNING",
    Succeeded: "COMPLETED",
    Failed: "FAILED",
    Unknown: "UNKNOWN",
  };
  let state = table[phase] ?? "UNKNOWN";
  if (state === "FAILED" && pod.status?.reason === "DeadlineExceeded") state = "TIMEOUT";
  const exitCode = pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode;
  const st: JobStatus = { state, exitCode, message: pod.status?.message ?? phase };
  if (pod.status?.startTime) st.startTime = new Date(pod.status.startTime).getTime();
  return st;
}

/**
 * Runs each block as one pod (`restartPolicy: Never`) whose container runs `workerInit` and the
 * launched worker command under bash; walltime becomes `activeDeadlineSeconds`. Status of every
 * block comes from one pod list call filtered by the label `tsflow-provider=<instance id>`.
 * Each request is bounded by `cmdTimeout`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KubernetesProvider } from "./kubernetes_provider.ts";
 * // Submitting blocks needs the scheduler; making one and its YAML keys does not.
 * const p = new KubernetesProvider({ image: "ghcr.io/me/tsflow:0.1", namespace: "science", maxBlocks: 4 });
 * assert.equal(p.label, "kubernetes");
 * assert.ok(KubernetesProvider.configKeys.includes("image"));
 * ```
 */
export class KubernetesProvider implements ExecutionProvider {
  /** Option keys a YAML configuration may set (see `cli/config_yaml.ts`). */
  static readonly configKeys: readonly string[] = optionKeys<KubernetesProviderOptions>()(
    ...PROVIDER_OPTION_KEYS,
    "commandRetries",
    "image",
    "apiServer",
    "namespace",
    "token",
    "tokenFile",
    "podNamePrefix",
    "cpu",
    "memory",
    "serviceAccountName",
    "labels",
    "imagePullPolicy",
  );
  /** Name. */
  readonly label = "kubernetes";
  /**
   * Shared options with defaults applied. Internal, not public API.
   * @ignore
   */
  readonly options: ResolvedProviderOptions;
  /** Unused by pods (kept for the interface). */
  scriptDir?: string;
  /** Logger; set by the executor. */
  logger?: ProviderLogger;
  #o: KubernetesProviderOptions;
  #instance = crypto.randomUUID().slice(0, 8);
  #pods = new Map<string, { status: JobStatus; cancelled: boolean }>();

  /**
   * Creates it.
   * @param opts Options (`image` required).
   */
  constructor(opts: KubernetesProviderOptions) {
    this.options = resolveProviderOptions(opts);
    this.#o = opts;
  }

  #base(): string {
    if (this.#o.apiServer) return this.#o.apiServer.replace(/\/$/, "");
    const host = Deno.env.get("KUBERNETES_SERVICE_HOST");
    return `https://${host ?? "kubernetes.default.svc"}:${
      Deno.env.get("KUBERNETES_SERVICE_PORT") ?? "443"
    }`;
  }

  #ns(): string {
    return encodeURIComponent(this.#o.namespace ?? "default");
  }

  async #request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown; text: string }> {
    const headers: Record<string, string> = { accept: "application/json" };
    let token = this.#o.token;
    if (!token) {
      const file = this.#o.tokenFile ?? "/var/run/secrets/kubernetes.io/serviceaccount/token";
      token = await Deno.readTextFile(file).then((t) => t.trim()).catch(() => undefined);
    }
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${this.#base()}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.cmdTimeout * 1000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch { /* not JSON: kept as text */ }
    this.logger?.debug(`${method} ${path} -> ${res.status}`);
    return { status: res.status, json, text };
  }

  /**
   * The pod manifest for a block.
   * @param name Pod name.
   * @param script The shell script the container runs.
   * @param jobName Job name (a label).
   * @returns A `core/v1` Pod.
   */
  manifest(name: string, script: string, jobName: string): Record<string, unknown> {
    const o = this.#o;
    const resources = o.cpu || o.memory
      ? {
        requests: { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) },
        limits: { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) },
      }
      : undefined;
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        labels: {
          app: "tsflow",
          "tsflow-provider": this.#instance,
          "tsflow-job": jobName,
          ...o.labels,
        },
      },
      spec: {
        restartPolicy: "Never",
        activeDeadlineSeconds: walltimeSeconds(this.options.walltime),
        ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
        containers: [{
          name: "tsflow-worker",
          image: o.image,
          imagePullPolicy: o.imagePullPolicy ?? "IfNotPresent",
          command: ["/bin/bash", "-c", script],
          env: [{ name: "JOBNAME", value: jobName }],
          ...(resources ? { resources } : {}),
        }],
      },
    };
  }

  /**
   * Creates a pod for the block.
   * @param command Worker command.
   * @param tasksPerNode Copies (given to the launcher).
   * @param jobName Job name.
   * @returns The pod name (the job id).
   */
  async submit(command: string, tasksPerNode: number, jobName: string): Promise<string> {
    const label = jobName.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^-+|-+$/g, "").slice(
      0,
      40,
    );
    const name = `${this.#o.podNamePrefix ?? "tsflow"}-${label}-${crypto.randomUUID().slice(0, 8)}`
      .replace(/-+/g, "-").slice(0, 63);
    const launched = this.options.launcher
      ? this.options.launcher.launch(command, tasksPerNode, this.options.nodesPerBlock)
      : command;
    const script = [
      `export TSFLOW_BLOCK_END_TIME=$(( $(date +%s) + ${walltimeSeconds(this.options.walltime)} ))`,
      this.options.workerInit,
      launched,
    ].filter((s) => s.trim()).join("\n");
    const path = `/api/v1/namespaces/${this.#ns()}/pods`;
    let r;
    try {
      r = await this.#request("POST", path, this.manifest(name, script, label));
    } catch (e) {
      throw new SubmitException(jobName, `POST ${path}`, -1, "", String(e), String(e));
    }
    if (r.status !== 201 && r.status !== 200) {
      const msg = (r.json as { message?: string } | undefined)?.message ?? r.text;
      throw new SubmitException(
        jobName,
        `POST ${path}`,
        r.status,
        "",
        msg,
        `HTTP ${r.status}: ${msg}`,
      );
    }
    this.#pods.set(name, { status: { state: "PENDING" }, cancelled: false });
    this.logger?.info(`Created pod ${name} for ${jobName}`);
    return name;
  }

  /**
   * Statuses of pods from one list call. Pods gone from the list are MISSING (CANCELLED if we
   * deleted them). On an API error the last known statuses are returned and the error logged.
   * @param jobIds Pod names.
   * @returns Statuses, in order.
   */
  async status(jobIds: string[]): Promise<JobStatus[]> {
    const live = jobIds.filter((id) =>
      !TERMINAL_JOB_STATES.has(this.#pods.get(id)?.status.state ?? "UNKNOWN")
    );
    if (live.length > 0) {
      const sel = encodeURIComponent(`tsflow-provider=${this.#instance}`);
      try {
        const r = await this.#request(
          "GET",
          `/api/v1/namespaces/${this.#ns()}/pods?labelSelector=${sel}`,
        );
        if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.text.slice(0, 500)}`);
        const items = (r.json as { items?: KubernetesPod[] }).items ?? [];
        const found = new Map(items.map((p) => [p.metadata.name, podStatus(p)]));
        for (const id of live) {
          const rec = this.#pods.get(id) ??
            { status: { state: "UNKNOWN" as JobState }, cancelled: false };
          const st = found.get(id);
          if (st) {
            if (st.state === "RUNNING" && st.startTime) {
              st.endTime = st.startTime + walltimeSeconds(this.options.walltime) * 1000;
            }
            rec.status = st;
          } else {rec.status = {
              state: rec.cancelled ? "CANCELLED" : "MISSING",
              message: "pod not found",
            };}
          this.#pods.set(id, rec);
        }
      } catch (e) {
        this.logger?.error(
          `Pod status query failed; keeping last known states: ${(e as Error).message}`,
        );
      }
    }
    return jobIds.map((id) => ({ ...(this.#pods.get(id)?.status ?? { state: "UNKNOWN" }) }));
  }

  /**
   * Deletes pods.
   * @param jobIds Pod names.
   * @returns Per pod, whether it existed and was deleted.
   */
  async cancel(jobIds: string[]): Promise<boolean[]> {
    return await Promise.all(jobIds.map(async (id) => {
      try {
        const r = await this.#request(
          "DELETE",
          `/api/v1/namespaces/${this.#ns()}/pods/${encodeURIComponent(id)}`,
        );
        const rec = this.#pods.get(id);
        if (r.status === 200 || r.status === 202) {
          if (rec) rec.status = { ...rec.status, state: "CANCELLED", message: "deleted by tsflow" };
          if (rec) rec.cancelled = true;
          return true;
        }
        if (r.status !== 404) {
          this.logger?.error(`Deleting pod ${id} failed: HTTP ${r.status} ${r.text.slice(0, 500)}`);
        }
        return false;
      } catch (e) {
        this.logger?.error(`Deleting pod ${id} failed: ${(e as Error).message}`);
        return false;
      }
    }));
  }
}
