// The simulator speaks the Kubernetes API well enough for the real @kubernetes/client-node.
import https from 'node:https';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as k8s from '@kubernetes/client-node';
import { startSim, type Sim, type SimOptions } from './index';

const NS = 'dhakacart';
const POD = 'dhakacart-backend-7d9f8c6b5d-x2x9k';

async function withSim<T>(opts: SimOptions, fn: (sim: Sim, kc: k8s.KubeConfig) => Promise<T>): Promise<T> {
  const sim = await startSim(opts);
  try {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(sim.kubeconfig);
    return await fn(sim, kc);
  } finally {
    await sim.close();
  }
}

async function apiError(p: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof k8s.ApiException) {
      const text = typeof e.body === 'string' ? e.body : '';
      let body: any = text;
      try { body = JSON.parse(text); } catch { /* plain text */ }
      return { code: e.code, body };
    }
    throw e;
  }
  throw new Error('expected an ApiException');
}

/** A raw GET through the kubeconfig's CA and token. */
async function rawGet(kc: k8s.KubeConfig, path: string, timeoutMs = 3000): Promise<{ status: number; type?: string; headers: import('node:http').IncomingHttpHeaders; body: string }> {
  const url = new URL(kc.getCurrentCluster()!.server + path);
  const opts: https.RequestOptions = { method: 'GET', headers: { Accept: '*/*' } };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const req = https.request(url, opts, (res) => {
      let b = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (b += c));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], headers: res.headers, body: b }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function failure(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e) { return (e as Error).message; }
  throw new Error('expected a failure');
}

const smp = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
const mergeP = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const jsonP = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);

test('reads, pagination with limit/_continue, label and field selectors', () => withSim({ scenario: 'crashloop-oom' }, async (sim, kc) => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const all = await core.listNamespacedPod({ namespace: NS });
  assert.is(all.items.length, 7);
  const names: string[] = [];
  let cont: string | undefined;
  let pages = 0;
  do {
    const page = await core.listNamespacedPod({ namespace: NS, limit: 3, _continue: cont });
    pages++;
    names.push(...page.items.map((p) => p.metadata!.name!));
    if (pages === 1) assert.is(page.metadata?.remainingItemCount, 4);
    cont = page.metadata?._continue || undefined;
  } while (cont);
  assert.is(pages, 3);
  assert.equal(names, all.items.map((p) => p.metadata!.name!));

  const backend = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=dhakacart-backend,tier in (backend)' });
  assert.is(backend.items.length, 3);
  const notBackend = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app!=dhakacart-backend,!nope' });
  assert.is(notBackend.items.length, 4);
  const onNode = await core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=dhakacart-worker-1' });
  assert.equal(onNode.items.map((p) => p.metadata!.name).sort(), [POD, 'redis-6d4b8c7f9-t5zzw']);
  const pod = await core.readNamespacedPod({ name: POD, namespace: NS });
  const cs = pod.status!.containerStatuses![0]!;
  assert.is(cs.state!.waiting!.reason, 'CrashLoopBackOff');
  assert.is(cs.lastState!.terminated!.reason, 'OOMKilled');
  assert.is(cs.lastState!.terminated!.exitCode, 137);
  assert.ok(pod.metadata!.creationTimestamp instanceof Date);
  assert.ok(Date.now() - pod.metadata!.creationTimestamp!.getTime() < 3 * 3600_000, 'timestamps are shifted to now');
  const ev = await core.listNamespacedEvent({ namespace: NS, fieldSelector: `involvedObject.name=${POD},involvedObject.uid=${pod.metadata!.uid},reason=BackOff` });
  assert.is(ev.items.length, 1);
  assert.is(ev.items[0]!.count, 31);
  const bad = await apiError(core.listNamespacedPod({ namespace: NS, fieldSelector: 'spec.bogus=1' }));
  assert.is(bad.code, 400);
  assert.is(bad.body.message, 'field label not supported: spec.bogus');
  // A namespace that does not exist: empty list, but GET of the namespace is 404.
  assert.is((await core.listNamespacedPod({ namespace: 'nope' })).items.length, 0);
  const nsErr = await apiError(core.readNamespace({ name: 'nope' }));
  assert.is(nsErr.code, 404);
  assert.equal(nsErr.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'namespaces "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'namespaces' }, code: 404 });
  const depErr = await apiError(kc.makeApiClient(k8s.AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: NS }));
  assert.is(depErr.body.message, 'deployments.apps "web" not found');
  // events.k8s.io/v1 is a view of the same events.
  const newEv = await kc.makeApiClient(k8s.EventsV1Api).listNamespacedEvent({ namespace: NS, fieldSelector: `regarding.name=${POD}` });
  assert.ok(newEv.items.some((e) => e.reason === 'BackOff' && e.deprecatedCount === 31 && e.regarding?.uid === pod.metadata!.uid));
  assert.ok(sim.requests.length >= 10);
}));

test('strategic merge, merge and JSON patch; 409 on stale resourceVersion; dry run stores nothing', () => withSim({ scenario: 'baseline' }, async (sim, kc) => {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  // Add a sidecar, then patch the backend container by name: the sidecar survives.
  await apps.patchNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS, body: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.36' }] } } } } }, smp);
  const before = await apps.readNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS });
  const out = await apps.patchNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS,
    body: { spec: { template: { spec: { containers: [{ name: 'backend', resources: { limits: { memory: '1Gi' } }, livenessProbe: null }] } } } } }, smp);
  const cs = out.spec!.template.spec!.containers;
  assert.equal(cs.map((c) => c.name), ['backend', 'sidecar']);
  assert.equal(cs[0]!.resources!.limits, { cpu: '500m', memory: '1Gi' });
  assert.is(cs[0]!.livenessProbe, undefined);
  assert.ok(cs[0]!.env!.some((e) => e.name === 'DB_PASSWORD'), 'env kept');
  assert.is(out.metadata!.generation, before.metadata!.generation! + 1);
  assert.ok(Number(out.metadata!.resourceVersion) > Number(before.metadata!.resourceVersion));

  const merged = await apps.patchNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS, body: { metadata: { annotations: { 'kubernetes.io/change-cause': 'test' } } } }, mergeP);
  assert.is(merged.metadata!.annotations!['kubernetes.io/change-cause'], 'test');
  assert.is(merged.metadata!.annotations!['deployment.kubernetes.io/revision'], '9'); // kept by the merge patch; two template changes made revisions 8 and 9
  const jp = await apps.patchNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS,
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'dhakacart/backend:v1.4.1' }, { op: 'test', path: '/spec/replicas', value: 3 }] }, jsonP);
  assert.is(jp.spec!.template.spec!.containers[0]!.image, 'dhakacart/backend:v1.4.1');
  const jpErr = await apiError(apps.patchNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS, body: { spec: {} } }, jsonP));
  assert.is(jpErr.code, 400);
  assert.match(jpErr.body.message, 'cannot unmarshal object');

  // Optimistic concurrency.
  const stale = await apiError(apps.replaceNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS, body: before }));
  assert.is(stale.code, 409);
  assert.is(stale.body.reason, 'Conflict');
  assert.is(stale.body.message, 'Operation cannot be fulfilled on deployments.apps "dhakacart-backend": the object has been modified; please apply your changes to the latest version and try again');
  const staleP = await apiError(apps.patchNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS, body: { metadata: { resourceVersion: before.metadata!.resourceVersion }, spec: { replicas: 2 } } }, mergeP));
  assert.is(staleP.code, 409);

  // Dry run: validated and answered, not stored.
  const rv = sim.store.resourceVersion;
  const dry = await apps.patchNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS, dryRun: 'All', body: { spec: { replicas: 9 } } }, mergeP);
  assert.is(dry.spec!.replicas, 9);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespacedConfigMap({ namespace: NS, dryRun: 'All', body: { metadata: { name: 'dry' }, data: { a: 'b' } } });
  assert.is(sim.store.resourceVersion, rv);
  assert.is((await apps.readNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS })).spec!.replicas, 3);
  assert.is((await apiError(core.readNamespacedConfigMap({ name: 'dry', namespace: NS }))).code, 404);
  const invalidQ = await apiError(apps.patchNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS, dryRun: 'All',
    body: { spec: { template: { spec: { containers: [{ name: 'backend', resources: { limits: { memory: '1Gb' } } }] } } } } }, smp));
  assert.is(invalidQ.code, 400);
  const invalidR = await apiError(apps.patchNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS,
    body: { spec: { template: { spec: { containers: [{ name: 'backend', resources: { requests: { memory: '2Gi' } } }] } } } } }, smp));
  assert.is(invalidR.code, 422);
  assert.match(invalidR.body.message, 'must be less than or equal to memory limit of 1Gi');
  const ct = await rawPatch(kc, '/apis/apps/v1/namespaces/dhakacart/deployments/dhakacart-backend', 'application/yaml', '{}');
  assert.is(ct.status, 415);
}));

async function rawPatch(kc: k8s.KubeConfig, path: string, contentType: string, body: string): Promise<{ status: number; body: string }> {
  const url = new URL(kc.getCurrentCluster()!.server + path);
  const opts: https.RequestOptions = { method: 'PATCH', headers: { 'Content-Type': contentType } };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const req = https.request(url, opts, (res) => { let b = ''; res.on('data', (c) => (b += c)); res.on('end', () => resolve({ status: res.statusCode!, body: b })); });
    req.on('error', reject);
    req.end(body);
  });
}

test('scale subresource, watch MODIFIED after a patch, 410 for a too old resourceVersion', () => withSim({ scenario: 'baseline' }, async (sim, kc) => {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const sc = await apps.readNamespacedDeploymentScale({ name: 'dhakacart-backend', namespace: NS });
  assert.is(sc.spec!.replicas, 3);
  assert.is(sc.status!.selector, 'app=dhakacart-backend');
  const scaled = await apps.patchNamespacedDeploymentScale({ name: 'dhakacart-backend', namespace: NS, body: { spec: { replicas: 2 } } }, mergeP);
  assert.is(scaled.spec!.replicas, 2);
  assert.is((await apps.readNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS })).spec!.replicas, 2);
  const put = await apps.replaceNamespacedDeploymentScale({ name: 'dhakacart-backend', namespace: NS, body: { metadata: { name: 'dhakacart-backend', namespace: NS }, spec: { replicas: 3 } } });
  assert.is(put.spec!.replicas, 3);

  const list = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=dhakacart-backend' });
  const seen: { type: string; name: string; label?: string }[] = [];
  let done!: () => void;
  const got = new Promise<void>((r) => (done = r));
  const ctl = await new k8s.Watch(kc).watch(`/api/v1/namespaces/${NS}/pods`, { labelSelector: 'app=dhakacart-backend', resourceVersion: list.metadata!.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 10 },
    (type, obj) => { seen.push({ type, name: obj.metadata?.name, label: obj.metadata?.labels?.checked }); if (type === 'MODIFIED') done(); }, () => undefined);
  await core.patchNamespacedPod({ name: POD, namespace: NS, body: { metadata: { labels: { checked: 'yes' } } } }, smp);
  await Promise.race([got, new Promise((_, rej) => setTimeout(() => rej(new Error('no MODIFIED event')), 3000))]);
  ctl.abort();
  assert.equal(seen.filter((s) => s.type !== 'BOOKMARK'), [{ type: 'MODIFIED', name: POD, label: 'yes' }]);

  // A watch from a compacted resourceVersion: ERROR 410 Expired, then the stream closes.
  sim.store.compact();
  const events: { type: string; obj: any }[] = [];
  await new Promise<void>((resolve) => {
    void new k8s.Watch(kc).watch(`/api/v1/namespaces/${NS}/pods`, { resourceVersion: list.metadata!.resourceVersion }, (type, obj) => events.push({ type, obj }), () => resolve());
  });
  assert.is(events[0]?.type, 'ERROR');
  assert.is(events[0]?.obj.code, 410);
  assert.is(events[0]?.obj.reason, 'Expired');
  // A continue token from before the compaction is expired too.
  const page = await core.listNamespacedPod({ namespace: NS, limit: 2 });
  sim.store.compact();
  await apps.patchNamespacedDeploymentScale({ name: 'dhakacart-backend', namespace: NS, body: { spec: { replicas: 4 } } }, mergeP);
  sim.store.compact();
  assert.is((await apiError(core.listNamespacedPod({ namespace: NS, limit: 2, _continue: page.metadata!._continue }))).code, 410);
}));

test('logs: previous, tail, kubelet errors, default container rules', () => withSim({ scenario: 'crashloop-oom' }, async (sim, kc) => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const prev = await core.readNamespacedPodLog({ name: POD, namespace: NS, container: 'backend', previous: true });
  assert.match(prev, 'heap used 471 MB');
  const tail = await core.readNamespacedPodLog({ name: POD, namespace: NS, tailLines: 2 });
  assert.is(tail.trim().split('\n').length, 2);
  assert.match(tail, 'GC pressure');
  const ts = await core.readNamespacedPodLog({ name: POD, namespace: NS, previous: true, tailLines: 1, timestamps: true });
  assert.match(ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
  const limited = await core.readNamespacedPodLog({ name: POD, namespace: NS, previous: true, limitBytes: 10 });
  assert.is(limited.length, 10);
  const healthy = 'dhakacart-backend-7d9f8c6b5d-k8m2p';
  const noPrev = await apiError(core.readNamespacedPodLog({ name: healthy, namespace: NS, previous: true }));
  assert.is(noPrev.code, 400);
  assert.is(noPrev.body.message, `previous terminated container "backend" in pod "${healthy}" not found`);
  const bad = await apiError(core.readNamespacedPodLog({ name: healthy, namespace: NS, container: 'nope' }));
  assert.is(bad.body.message, `container nope is not valid for pod ${healthy}`);
  // Several containers and no container parameter.
  sim.store.update('pods', (() => { const p = sim.store.get('pods', NS, healthy)!; p.spec.containers.push({ name: 'sidecar', image: 'busybox' }); return p; })());
  const multi = await apiError(core.readNamespacedPodLog({ name: healthy, namespace: NS }));
  assert.is(multi.body.message, `a container name must be specified for pod ${healthy}, choose one of: [backend sidecar]`);
}));

test('metrics present and absent, pod proxy, access reviews and denials', async () => {
  await withSim({ scenario: 'crashloop-oom' }, async (_sim, kc) => {
    const pm = await new k8s.Metrics(kc).getPodMetrics(NS);
    const names = pm.items.map((i) => i.metadata.name);
    assert.not.ok(names.includes(POD), 'a crash-looping container has no metrics');
    assert.ok(pm.items.find((i) => i.metadata.name === 'dhakacart-backend-7d9f8c6b5d-k8m2p')!.containers[0]!.usage.memory.endsWith('Ki'));
    const health = await rawGet(kc, `/api/v1/namespaces/${NS}/pods/dhakacart-backend-7d9f8c6b5d-k8m2p:5000/proxy/health`);
    assert.is(health.status, 200);
    assert.is(JSON.parse(health.body).status, 'ok');
    const down = await rawGet(kc, `/api/v1/namespaces/${NS}/pods/${POD}:5000/proxy/health`);
    assert.is(down.status, 503);
    assert.is(JSON.parse(down.body).message, 'error trying to reach service: dial tcp 10.244.1.12:5000: connect: connection refused');
  });
  await withSim({ scenario: 'crashloop-probe', settings: { deny: [{ verb: 'patch', resource: 'deployments', group: 'apps' }] } }, async (_sim, kc) => {
    const r = await rawGet(kc, `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods`);
    assert.is(r.status, 404);
    assert.is(r.body, '404 page not found\n');
    assert.is((await rawGet(kc, '/apis/metrics.k8s.io')).status, 404);
    const authz = kc.makeApiClient(k8s.AuthorizationV1Api);
    const review = (verb: string, resource: string, subresource?: string) => authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { namespace: NS, verb, group: 'apps', resource, subresource } } } });
    assert.is((await review('patch', 'deployments')).status!.allowed, false);
    assert.is((await review('get', 'deployments')).status!.allowed, true);
    assert.is((await review('patch', 'deployments', 'scale')).status!.allowed, true);
    const denied = await apiError(kc.makeApiClient(k8s.AppsV1Api).patchNamespacedDeployment({ name: 'dhakacart-backend', namespace: NS, body: { spec: { replicas: 1 } } }, mergeP));
    assert.is(denied.code, 403);
    assert.is(denied.body.message, 'deployments.apps "dhakacart-backend" is forbidden: User "sim-user" cannot patch resource "deployments" in API group "apps" in the namespace "dhakacart"');
  });
});

test('401 without a valid token; faults and latency hooks; request log', () => withSim({ scenario: 'baseline', faults: [{ method: 'GET', pathRegex: '/api/v1/namespaces/dhakacart/pods$', status: 503, times: 1 }] }, async (sim, kc) => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const injected = await apiError(core.listNamespacedPod({ namespace: NS }));
  assert.is(injected.code, 503);
  assert.is(injected.body.reason, 'ServiceUnavailable');
  assert.is((await core.listNamespacedPod({ namespace: NS })).items.length, 7, 'times: 1 → only the first request fails');

  const other = new k8s.KubeConfig();
  other.loadFromOptions({ clusters: [{ name: 'c', server: sim.url, caData: Buffer.from(sim.caCert).toString('base64') }], users: [{ name: 'u', token: 'wrong' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  const unauth = await apiError(other.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: NS }));
  assert.is(unauth.code, 401);
  const raw = await rawGet(other, '/api/v1/namespaces/dhakacart/pods');
  assert.equal(JSON.parse(raw.body), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });

  sim.faults.push({ pathRegex: '/api/v1/nodes$', status: 'hang', times: 1 }, { pathRegex: '/api/v1/namespaces$', status: 'reset', times: 1 });
  assert.match(await failure(rawGet(kc, '/api/v1/nodes', 300)), 'timeout');
  assert.match(await failure(rawGet(kc, '/api/v1/namespaces', 1000)), /socket hang up|ECONNRESET/);
  sim.setLatency(150);
  const t0 = Date.now();
  await core.readNamespace({ name: NS });
  assert.ok(Date.now() - t0 >= 140);
  sim.setLatency(0);
  const podLists = sim.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/namespaces/dhakacart/pods');
  assert.equal(podLists.map((r) => r.status), [503, 200, 401, 401]);
}));

test('fault kinds: Retry-After, every Nth, reply lost after the write, concurrent writer, html, malformed, partial, transform, drop', () => withSim({ scenario: 'baseline' }, async (sim, kc) => {
  const PODS = '/api/v1/namespaces/dhakacart/pods';
  sim.faults.push({ method: 'GET', pathRegex: `${PODS}$`, status: 429, retryAfter: 2, times: 1 });
  const limited = await rawGet(kc, PODS);
  assert.is(limited.status, 429);
  assert.is(limited.headers['retry-after'], '2');
  assert.is(JSON.parse(limited.body).details.retryAfterSeconds, 2);

  sim.faults.length = 0;
  sim.faults.push({ method: 'GET', pathRegex: `${PODS}$`, status: 503, every: 3 });
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await rawGet(kc, PODS)).status);
  assert.equal(statuses, [200, 200, 503, 200, 200, 503]);

  sim.faults.length = 0;
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const scaleP = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  sim.faults.push({ method: 'PATCH', pathRegex: '/deployments/dhakacart-frontend$', status: 'reset', applied: true, times: 1 });
  await failure(apps.patchNamespacedDeployment({ name: 'dhakacart-frontend', namespace: NS, body: { spec: { replicas: 4 } } }, scaleP));
  assert.is(sim.store.get('deployments.apps', NS, 'dhakacart-frontend')!.spec.replicas, 4, 'applied: the write landed though the reply was lost');

  const before = sim.store.get('deployments.apps', NS, 'dhakacart-frontend')!.metadata.resourceVersion;
  sim.faults.push({ method: 'GET', pathRegex: '/deployments/dhakacart-frontend$', times: 1, mutate: (store) => {
    const d = store.get('deployments.apps', NS, 'dhakacart-frontend')!;
    store.update('deployments.apps', { ...d, spec: { ...d.spec, replicas: 5 } });
  } });
  const seen = await apps.readNamespacedDeployment({ name: 'dhakacart-frontend', namespace: NS });
  assert.is(seen.spec!.replicas, 5, 'mutate runs before the request is served');
  assert.is.not(seen.metadata!.resourceVersion, before);

  sim.faults.push({ method: 'GET', pathRegex: '/api/v1/nodes$', status: 'html', times: 1 }, { method: 'GET', pathRegex: '/api/v1/namespaces$', status: 'malformed', times: 1 });
  const html = await rawGet(kc, '/api/v1/nodes');
  assert.is(html.status, 200);
  assert.is(html.type, 'text/html; charset=utf-8');
  const cut = (await rawGet(kc, '/api/v1/namespaces')).body;
  assert.throws(() => JSON.parse(cut) as unknown);

  sim.faults.push({ method: 'GET', pathRegex: `${PODS}$`, status: 'partial', times: 1 });
  assert.match(await failure(rawGet(kc, PODS)), /aborted|ECONNRESET|socket hang up|terminated/i);

  sim.faults.push({ method: 'GET', pathRegex: `${PODS}$`, times: 1, transform: (list) => ({ ...list, metadata: { ...list.metadata, continue: 'again' } }) });
  assert.is(JSON.parse((await rawGet(kc, PODS)).body).metadata.continue, 'again');

  sim.faults.push({ method: 'GET', pathRegex: `${PODS}$`, status: 'drop', afterMs: 50, times: 1 });
  assert.match(await failure(rawGet(kc, `${PODS}?watch=true`, 3000)), /aborted|ECONNRESET|socket hang up|terminated/i);
}));

test.run();
