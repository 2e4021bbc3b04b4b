// KubernetesProvider against a small fake API server that implements the three pod endpoints it
// uses, with the published core/v1 shapes (Pod, PodList, Status).
import { deepStrictEqual as assertEquals, ok as assert, rejects } from "node:assert/strict";
import { KubernetesProvider } from "../../providers/kubernetes_provider.ts";
import { SubmitException } from "../../providers/errors.ts";
import { SimpleLauncher } from "../../launchers/simple_launcher.ts";

interface FakePod {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string>; uid: string };
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
}

function statusObject(code: number, reason: string, message: string) {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    code,
  };
}

function fakeApi(token: string, opts: { quota?: boolean; slowList?: boolean } = {}) {
  const pods = new Map<string, FakePod>();
  const requests: string[] = [];
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.get("authorization") !== `Bearer ${token}`) {
      return json(statusObject(401, "Unauthorized", "Unauthorized"), 401);
    }
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) {
      return json(
        statusObject(404, "NotFound", "the server could not find the requested resource"),
        404,
      );
    }
    const [, ns, name] = m;
    if (req.method === "POST" && !name) {
      const pod = await req.json();
      if (opts.quota) {
        return json(
          statusObject(
            403,
            "Forbidden",
            `pods "${pod.metadata.name}" is forbidden: exceeded quota`,
          ),
          403,
        );
      }
      if (pods.has(pod.metadata.name)) {
        return json(statusObject(409, "AlreadyExists", "already exists"), 409);
      }
      const created: FakePod = {
        ...pod,
        metadata: { ...pod.metadata, namespace: ns, uid: crypto.randomUUID() },
        status: { phase: "Pending" },
      };
      pods.set(pod.metadata.name, created);
      return json(created, 201);
    }
    if (req.method === "GET" && !name) {
      if (opts.slowList) await new Promise((r) => setTimeout(r, 3000));
      const [k, v] = (url.searchParams.get("labelSelector") ?? "=").split("=");
      const items = [...pods.values()].filter((p) => !k || p.metadata.labels[k] === v);
      return json({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "1" }, items });
    }
    if (req.method === "DELETE" && name) {
      const pod = pods.get(name);
      if (!pod) return json(statusObject(404, "NotFound", `pods "${name}" not found`), 404);
      pods.delete(name);
      return json(pod, 200);
    }
    return json(statusObject(405, "MethodNotAllowed", "method not allowed"), 405);
  });
  return { pods, requests, server, url: `http://127.0.0.1:${server.addr.port}` };
}

Deno.test("KubernetesProvider creates a pod with the worker command, reads phases and deletes it", async () => {
  const api = fakeApi("s3cret");
  try {
    const p = new KubernetesProvider({
      image: "example/tsflow:1",
      apiServer: api.url,
      token: "s3cret",
      namespace: "science",
      cpu: "2",
      memory: "1Gi",
      walltime: "00:20:00",
      workerInit: "source /env",
      launcher: new SimpleLauncher(),
    });
    const id = await p.submit("tsflow worker --interchange h:1", 1, "tsflow.block.0");
    assert(/^tsflow-tsflow-block-0-[0-9a-f]{8}$/.test(id), id);
    const pod = api.pods.get(id)!;
    assertEquals(pod.metadata.namespace, "science");
    const spec = pod.spec as {
      restartPolicy: string;
      activeDeadlineSeconds: number;
      containers: { image: string; command: string[]; resources: { limits: unknown } }[];
    };
    assertEquals(spec.restartPolicy, "Never");
    assertEquals(spec.activeDeadlineSeconds, 1200);
    assertEquals(spec.containers[0].image, "example/tsflow:1");
    assertEquals(spec.containers[0].resources.limits, { cpu: "2", memory: "1Gi" });
    const script: string = spec.containers[0].command[2];
    assert(script.includes("source /env\ntsflow worker --interchange h:1"), script);

    assertEquals((await p.status([id]))[0].state, "PENDING");
    pod.status = { phase: "Running", startTime: "2026-11-28T12:00:00Z" };
    const [running] = await p.status([id]);
    assertEquals(running.state, "RUNNING");
    assertEquals(running.endTime, Date.parse("2026-11-28T12:20:00Z"));
    assertEquals(await p.cancel([id]), [true]);
    assertEquals((await p.status([id]))[0].state, "CANCELLED");
    assertEquals(await p.cancel([id]), [false]);
    assert(
      api.requests.some((r) =>
        r.startsWith("GET /api/v1/namespaces/science/pods?labelSelector=tsflow-provider")
      ),
    );
  } finally {
    await api.server.shutdown();
  }
});

Deno.test("KubernetesProvider reports finished pods: Succeeded, Failed with exit code, DeadlineExceeded", async () => {
  const api = fakeApi("t");
  try {
    const p = new KubernetesProvider({ image: "i", apiServer: api.url, token: "t" });
    const [a, b, c] = [
      await p.submit("a", 1, "a"),
      await p.submit("b", 1, "b"),
      await p.submit("c", 1, "c"),
    ];
    api.pods.get(a)!.status = { phase: "Succeeded" };
    api.pods.get(b)!.status = {
      phase: "Failed",
      containerStatuses: [{ state: { terminated: { exitCode: 3, reason: "Error" } } }],
    };
    api.pods.get(c)!.status = {
      phase: "Failed",
      reason: "DeadlineExceeded",
      message: "Pod was active too long",
    };
    const sts = await p.status([a, b, c, "nope"]);
    assertEquals(sts.map((s) => s.state), ["COMPLETED", "FAILED", "TIMEOUT", "MISSING"]);
    assertEquals(sts[1].exitCode, 3);
    api.pods.delete(a);
    assertEquals(
      (await p.status([a]))[0].state,
      "COMPLETED",
      "finished pods are not queried again",
    );
  } finally {
    await api.server.shutdown();
  }
});

Deno.test("KubernetesProvider raises SubmitException with the API's message on a refused pod", async () => {
  const api = fakeApi("t", { quota: true });
  try {
    const p = new KubernetesProvider({ image: "i", apiServer: api.url, token: "t" });
    await rejects(
      p.submit("x", 1, "b0"),
      (e: unknown) =>
        e instanceof SubmitException && e.exitCode === 403 && /exceeded quota/.test(e.message),
    );
    const bad = new KubernetesProvider({ image: "i", apiServer: api.url, token: "wrong" });
    await rejects(
      bad.submit("x", 1, "b0"),
      (e: unknown) => e instanceof SubmitException && e.exitCode === 401,
    );
  } finally {
    await api.server.shutdown();
  }
});

Deno.test("a slow API server never stalls KubernetesProvider.status: bounded by cmdTimeout, error logged", async () => {
  const api = fakeApi("t", { slowList: true });
  try {
    const errors: string[] = [];
    const p = new KubernetesProvider({
      image: "i",
      apiServer: api.url,
      token: "t",
      cmdTimeout: 0.3,
    });
    p.logger = { debug() {}, info() {}, warn() {}, error: (m: string) => errors.push(m) };
    const id = await p.submit("x", 1, "b0");
    assertEquals((await p.status([id]))[0].state, "PENDING");
    assert(errors.some((e) => e.startsWith("Pod status query failed")), errors.join("\n"));
  } finally {
    await api.server.shutdown();
  }
});
