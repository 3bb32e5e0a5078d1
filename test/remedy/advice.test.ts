// Advice that learns, as pure functions: probe analysis, the rollback's aim, evicted pods,
// managed workloads, and a fix that was tried and failed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ago, backendWorld, container, crashLooping, deployment, event, logs, pod, replicaSet, status, worldSnapshot, NS } from '../diagnose/fixtures';
import { diagnosePod } from '../../src/diagnose/index';
import { ownCommand } from '../../src/diagnose/fix';
import { LISTENING } from '../../src/diagnose/logPatterns';
import { probeFailureOf } from '../../src/diagnose/probeTiming';
import { planEvicted } from '../../src/remedy/evicted';
const CLOCK = { now: Date.parse('2030-01-01T00:00:00Z'), windowMs: 3_600_000 };
import { managedWarning, managerOf, valuesOf } from '../../src/remedy/managed';
import { planProbe } from '../../src/remedy/probe';
import { healthyTarget, planRollback, revisionOutcomes } from '../../src/remedy/rollback';
import type { Container, Deployment, KubeEvent, Pod } from '../../src/kube/types';

// ---- probe analysis -----------------------------------------------------------------------

/** Real lines → the port they say the process listens on (sources in logPatterns.ts LISTENING). */
const LISTEN_CORPUS: [string, number | null][] = [
  ['2025-03-14T10:28:51.640Z info: HTTP server listening on port 5000', 5000],
  ['Listening on :8080', 8080],
  ['2025/03/14 10:00:00 listening on 0.0.0.0:9090', 9090],
  ['2025-03-14 10:00:00.123:INFO:oejs.AbstractConnector:main: Started ServerConnector@6d0b5baf{HTTP/1.1, (http/1.1)}{0.0.0.0:8080}', 8080],
  ['INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)', 8000],
  ['[2025-03-14 10:00:00 +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)', 8000],
  ['2025-03-14 10:00:00.000  INFO 1 --- [main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat started on port(s): 8080 (http) with context path \'\'', 8080],
  ['        listen       80;', 80],
  ['1:M 01 Mar 2025 03:13:21.006 * Running mode=standalone, port=6379.', 6379],
  ['2025-03-01 03:13:02.115 UTC [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432', 5432],
  ['2025-03-14T10:29:02.118Z info: GET /health 200 2ms', null],
  ['Error: listen EADDRINUSE: address already in use :::5000', null],
];

test('listening lines of node, Go, Jetty, Spring, uvicorn, gunicorn, nginx, Redis and PostgreSQL give their port', () => {
  for (const [line, port] of LISTEN_CORPUS) {
    const hit = LISTENING.map((l) => l.re.exec(line)?.[1]).find(Boolean);
    assert.is(hit === undefined ? null : Number(hit), port, line);
  }
});

test('the kubelet\'s probe failure texts: refused, an HTTP status, a timeout', () => {
  assert.equal(probeFailureOf('Liveness probe failed: Get "http://10.1.2.3:8080/health": dial tcp 10.1.2.3:8080: connect: connection refused'), { kind: 'refused' });
  assert.equal(probeFailureOf('Liveness probe failed: HTTP probe failed with statuscode: 404'), { kind: 'status', code: 404 });
  assert.equal(probeFailureOf('Liveness probe failed: Get "http://10.1.2.3:5000/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)'), { kind: 'timeout' });
});

const probed = (liveness: Container['livenessProbe'], o: Partial<Container> = {}) =>
  container('backend', { ports: [{ name: 'http', containerPort: 5000 }], livenessProbe: liveness, readinessProbe: { httpGet: { path: '/health', port: 5000 } }, ...o });

function probeWorld(c: Container, message: string, log: string | null) {
  const w = backendWorld({ containers: [c], statuses: [crashLooping('backend', { exitCode: 143, ranFor: 40 }, 9)] });
  const events = [
    event(w.pod, { reason: 'Unhealthy', message, container: 'backend', count: 27 }),
    event(w.pod, { reason: 'Killing', message: 'Container backend failed liveness probe, will be restarted', container: 'backend', count: 9 }),
  ];
  return diagnosePod(worldSnapshot(w, { events, logs: log ? { [w.pod.metadata.name]: { backend: logs(log) } } : {} }), w.pod.metadata.name);
}

test('a liveness probe on a port nothing listens on gets "point it at 5000", from the log or the declared port', () => {
  const refused = 'Liveness probe failed: Get "http://10.1.2.3:8080/health": dial tcp 10.1.2.3:8080: connect: connection refused';
  const fromLog = probeWorld(probed({ httpGet: { path: '/health', port: 8080 } }), refused, 'info: HTTP server listening on port 5000\n');
  assert.is(fromLog.cause, 'probe');
  assert.match(fromLog.summary, /checks port 8080 but the app listens on 5000/);
  assert.match(fromLog.fix!.command, /fix probe .* --port 5000$/);
  assert.not.match(fromLog.fix!.command, /initial-delay/);
  const declared = probeWorld(probed({ httpGet: { path: '/health', port: 8080 } }), refused, null);
  assert.match(declared.summary, /declares only port 5000/);
  // A named port resolves through the container's ports: "http" is 5000, and 5000 answers nothing here either.
  const named = probeWorld(probed({ tcpSocket: { port: 'metrics' } }, { ports: [{ name: 'http', containerPort: 5000 }, { name: 'metrics', containerPort: 9102 }] }), refused, 'listening on port 5000\n');
  assert.match(named.fix!.command, /--port 5000/);
});

test('a 404 gets the path fix (the readiness probe\'s path when it passes there); a timeout still gets a relaxed probe', () => {
  const nf = probeWorld(probed({ httpGet: { path: '/healthz', port: 5000 } }), 'Liveness probe failed: HTTP probe failed with statuscode: 404', null);
  assert.match(nf.fix!.command, /fix probe .* --path \/health$/);
  const unknownPath = probeWorld(probed({ httpGet: { path: '/healthz', port: 5000 } }, { readinessProbe: undefined }), 'Liveness probe failed: HTTP probe failed with statuscode: 404', null);
  assert.match(unknownPath.fix!.command, /--path PATH/);
  const slow = probeWorld(probed({ httpGet: { path: '/health', port: 5000 } }), 'Liveness probe failed: Get "http://10.1.2.3:5000/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)', null);
  assert.match(slow.fix!.command, /fix probe/);
  assert.not.match(slow.fix!.command, /--port|--path/);
});

test('fix probe --port/--path patches only where the probe looks, and the probes that look at the same wrong place', () => {
  const dep = deployment('dhakacart-backend', { containers: [probed({ httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 30 }, { readinessProbe: { httpGet: { path: '/health', port: 8080 } }, startupProbe: { httpGet: { path: '/health', port: 5000 } } })] });
  const p = planProbe(dep, { port: 5000 });
  assert.equal(p.changes.map((c) => [c.path.replace(/^spec\.template\.spec\.containers\[backend\]\./, ''), c.from, c.to]), [['livenessProbe.httpGet.port', 8080, 5000], ['readinessProbe.httpGet.port', 8080, 5000]]);
  assert.equal(p.patch!.body, { spec: { template: { spec: { containers: [{ name: 'backend', livenessProbe: { httpGet: { port: 5000 } }, readinessProbe: { httpGet: { port: 5000 } } }] } } } });
  assert.is(p.expect.template!.spec.containers[0]!.livenessProbe!.initialDelaySeconds, 30, 'nothing relaxed');
  assert.equal(planProbe(dep, { port: 'http' }).changes[0]!.to, 'http');
  assert.is(planProbe(deployment('d', { containers: [probed({ httpGet: { path: '/health', port: 5000 } })] }), { port: 5000 }).noop !== null, true);
  assert.throws(() => planProbe(deployment('d', { containers: [probed({ exec: { command: ['true'] } })] }), { port: 5000 }), /exec/);
  assert.throws(() => planProbe(deployment('d', { containers: [probed({ tcpSocket: { port: 5000 } })] }), { path: '/x' }), /only an httpGet probe has a path/);
  assert.throws(() => planProbe(dep, { port: 'grpc' }), /no port named "grpc"/);
});

// ---- the rollback's aim -------------------------------------------------------------------

const NOW_MS = Date.parse(ago(0));
function history() {
  const dep = deployment('dhakacart-backend', { revision: 5, containers: [container('backend', { image: 'dhakacart/backend:v1.4.2' })] });
  const r3 = replicaSet(dep, 3, { createdAgo: 86400 * 10, containers: [container('backend', { image: 'dhakacart/backend:v1.4.0' })] });
  const r4 = replicaSet(dep, 4, { createdAgo: 3000, containers: [container('backend', { image: 'dhakacart/backend:v1.4.1' })] });
  const r5 = replicaSet(dep, 5, { createdAgo: 2400 });
  const failing = pod({ name: `${r5.metadata.name}-x2x9k`, owner: r5, statuses: [crashLooping('backend', { exitCode: 1 })] });
  const crashedBefore: KubeEvent = event(pod({ name: `${r4.metadata.name}-j5ldr`, owner: r4 }), { reason: 'BackOff', message: 'Back-off restarting failed container backend in pod x', container: 'backend', count: 7 });
  return { dep, rss: [r3, r4, r5], pods: [failing], events: [crashedBefore], r3, r4, r5 };
}

test('each revision\'s outcome: failing now, failed (events), healthy (served for days), unknown (replaced within minutes)', () => {
  const h = history();
  const o = revisionOutcomes(h.dep, h.rss, { pods: h.pods, events: h.events, now: NOW_MS });
  assert.equal(o.map((x) => [x.revision, x.outcome]), [[5, 'failing'], [4, 'failing'], [3, 'healthy']]);
  const noEvents = revisionOutcomes(h.dep, h.rss, { pods: h.pods, events: [], now: NOW_MS });
  assert.equal(noEvents.map((x) => x.outcome), ['failing', 'unknown', 'healthy'], 'ten minutes as the current revision tells nothing');
  const running = pod({ name: `${h.r4.metadata.name}-ok`, owner: h.r4 });
  h.r4.status = { replicas: 1, availableReplicas: 1 };
  assert.is(revisionOutcomes(h.dep, h.rss, { pods: [...h.pods, running], events: [], now: NOW_MS })[1]!.outcome, 'healthy', 'pods available now');
});

test('rollback without --to-revision goes to the newest revision that ran healthy, and says why; --to-revision N is kubectl\'s', () => {
  const h = history();
  const record = { pods: h.pods, events: h.events, now: NOW_MS };
  const aim = healthyTarget(h.dep, h.rss, record);
  assert.is(aim.target, h.r3);
  assert.match(aim.reason, /revision 3 is the newest that ran healthy.*revision 4 failed too/);
  const p = planRollback(h.dep, h.rss, 0, record);
  assert.equal(p.changes[0], { path: 'spec.template', from: 'revision 5', to: 'revision 3' });
  assert.match(p.warnings.join(), /going to revision 3/);
  assert.equal(planRollback(h.dep, h.rss, 4, record).changes[0], { path: 'spec.template', from: 'revision 5', to: 'revision 4' });
  assert.equal(planRollback(h.dep, h.rss, 0).changes[0], { path: 'spec.template', from: 'revision 5', to: 'revision 4' }, 'no record: kubectl\'s previous');
  // Nothing known healthy: kubectl's previous, and it says so.
  const young = { ...h, rss: [h.r4, h.r5] };
  const fallback = healthyTarget(young.dep, young.rss, record);
  assert.is(fallback.target, h.r4);
  assert.is(fallback.knownHealthy, false);
  assert.match(fallback.reason, /no earlier revision is known to have run healthy; going to the previous revision 4/);
});

test('why\'s rollback advice aims at the healthy revision with --to-revision', () => {
  const h = history();
  const snap = worldSnapshot({ dep: h.dep, rs: h.r5, previous: h.r4, pod: h.pods[0]! }, {
    replicaSets: h.rss, events: [...h.events, event(h.pods[0]!, { reason: 'BackOff', message: 'Back-off restarting failed container backend in pod x', container: 'backend', firstAgo: 2300 })],
    logs: { [h.pods[0]!.metadata.name]: { backend: logs("Error: Cannot find module '@dhakacart/pricing'\n") } },
  });
  const d = diagnosePod(snap, h.pods[0]!.metadata.name);
  assert.match(d.fix!.command, /^kubectl dhakacart rollback deployment\/dhakacart-backend -n dhakacart --to-revision 3  # revision 3 is the newest/);
  assert.ok(d.fix!.kubectl.includes('kubectl rollout undo deployment/dhakacart-backend -n dhakacart --to-revision=3'));
});

// ---- a fix that was tried -------------------------------------------------------------------

test('the plugin\'s own change-cause is read as the change it made, whatever flags ran it', () => {
  assert.equal(ownCommand('kubectl dhakacart fix probe deployment/x -n dhakacart --port=5000 --yes'), { sub: 'fix probe', flags: 'port=5000' });
  assert.equal(ownCommand('kubectl dhakacart fix probe --yes --settle 1s'), { sub: 'fix probe', flags: '' });
  assert.equal(ownCommand('kubectl dhakacart rollback --to-revision 3'), { sub: 'rollback', flags: 'to-revision=3' });
  assert.is(ownCommand('CI: deploy dhakacart/backend:v1.4.2 (pipeline #1187)'), null);
});

test('fix probe applied and the pod still fails the same way: not proposed again, the next step is', () => {
  const dep = deployment('dhakacart-backend', { revision: 8, containers: [probed({ httpGet: { path: '/health', port: 5000 }, initialDelaySeconds: 60, timeoutSeconds: 10 })] });
  const r6 = replicaSet(dep, 6, { createdAgo: 86400 * 5, containers: [probed({ httpGet: { path: '/health', port: 5000 } }, { image: 'dhakacart/backend:v1.4.1' })] });
  const r7 = replicaSet(dep, 7, { createdAgo: 1800, containers: [probed({ httpGet: { path: '/health', port: 5000 } })] });
  const r8 = replicaSet(dep, 8, { createdAgo: 900, annotations: { 'kubernetes.io/change-cause': 'kubectl dhakacart fix probe --yes' } });
  const p = pod({ name: `${r8.metadata.name}-a1b2c`, owner: r8, statuses: [crashLooping('backend', { exitCode: 137, ranFor: 90 }, 5)] });
  const timeout = 'Liveness probe failed: Get "http://10.1.2.3:5000/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
  const events = [event(p, { reason: 'Unhealthy', message: timeout, container: 'backend' }), event(p, { reason: 'Killing', message: 'Container backend failed liveness probe, will be restarted', container: 'backend' })];
  const snap = (rss: typeof r6[]) => worldSnapshot({ dep, rs: r8, previous: r7, pod: p }, { replicaSets: rss, events });
  const d = diagnosePod(snap([r6, r7, r8]), p.metadata.name);
  assert.is(d.cause, 'probe');
  assert.match(d.fix!.command, /^kubectl dhakacart rollback .* --to-revision 6  # 'kubectl dhakacart fix probe --yes' made revision 8 and the pod still fails the same way \(probe\); not proposing it again/);
  // Without any revision known healthy, it says so instead of repeating the fix.
  const alone = diagnosePod(snap([r7, r8]), p.metadata.name);
  assert.match(alone.fix!.command, /^# 'kubectl dhakacart fix probe --yes' made revision 8 .*escalate/);
  // A different probe fix (the port) after a relax is not the same fix.
  const refusedSnap = worldSnapshot({ dep, rs: r8, previous: r7, pod: p }, { replicaSets: [r6, r7, r8], events: [event(p, { reason: 'Unhealthy', message: 'Liveness probe failed: Get "http://10.1.2.3:5000/health": dial tcp 10.1.2.3:5000: connect: connection refused', container: 'backend' }), events[1]!], logs: { [p.metadata.name]: { backend: logs('listening on port 8080\n') } } });
  assert.match(diagnosePod(refusedSnap, p.metadata.name).fix!.command, /fix probe .* --port 8080$/);
});

// ---- evicted pods -------------------------------------------------------------------------

test('fix evicted deletes the Failed/Evicted pods (by uid) only once as many replacements run as the Deployment wants', () => {
  const w = backendWorld();
  const msg = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 87Mi. Container backend was using 600Mi, request is 256Mi, has larger consumption of memory. ';
  const evicted = pod({ name: 'dhakacart-backend-h7-evict', owner: w.rs, phase: 'Failed', reason: 'Evicted', message: msg, statuses: [status('backend', { ready: false })] });
  const run = (n: number): Pod[] => Array.from({ length: n }, (_, i) => pod({ name: `dhakacart-backend-h7-run${i}`, owner: w.rs }));
  const other = pod({ name: 'dhakacart-frontend-x-evict', owner: replicaSet(deployment('dhakacart-frontend'), 1), phase: 'Failed', reason: 'Evicted', message: msg });
  const short = planEvicted(w.dep, [evicted, ...run(2), other], [w.rs, w.previous], CLOCK);
  assert.equal(short.delete, []);
  assert.match(short.plan.noop ?? '', /only 2 of 3 replacements run/);
  const done = planEvicted(w.dep, [evicted, ...run(3), other], [w.rs, w.previous], CLOCK);
  assert.equal(done.delete, [{ name: 'dhakacart-backend-h7-evict', uid: 'uid-pod-dhakacart-backend-h7-evict' }]);
  assert.match(done.plan.warnings[0]!, /evicted by the kubelet: The node was low on resource: memory/);
  assert.is(planEvicted(w.dep, run(3), [w.rs], CLOCK).plan.noop, 'deployment dhakacart-backend has no evicted pods');
});

// ---- managed workloads ----------------------------------------------------------------------

test('Helm, Argo CD and Flux are recognised by their labels and annotations, and the change becomes values', () => {
  assert.equal(managerOf({ labels: { 'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': 'dhakacart-backend-1.4.2' }, annotations: { 'meta.helm.sh/release-name': 'dhakacart' } }), { tool: 'Helm', name: 'dhakacart', chart: 'dhakacart-backend-1.4.2' });
  assert.is(managerOf({ labels: { 'argocd.argoproj.io/instance': 'shop' } })?.tool, 'Argo CD');
  assert.equal(managerOf({ labels: { 'app.kubernetes.io/instance': 'shop' }, annotations: { 'argocd.argoproj.io/tracking-id': 'shop-prod:apps/Deployment:dhakacart/dhakacart-backend' } }), { tool: 'Argo CD', name: 'shop-prod', chart: null });
  assert.is(managerOf({ labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps' } })?.tool, 'Flux');
  assert.is(managerOf({ labels: { 'helm.toolkit.fluxcd.io/name': 'backend' }, annotations: { 'meta.helm.sh/release-name': 'backend' } })?.tool, 'Flux', 'Flux\'s helm-controller reverts, not a person running helm');
  assert.is(managerOf({ labels: { app: 'dhakacart-backend' } }), null);
  const base = 'spec.template.spec.containers[backend]';
  assert.equal(valuesOf([{ path: `${base}.resources.limits.memory`, from: '512Mi', to: '1Gi' }, { path: `${base}.image`, from: 'a:v2', to: 'a:v1' }, { path: 'spec.replicas', from: 3, to: 0 }, { path: 'metadata.annotations[x]', from: null, to: '1' }]),
    ['resources.limits.memory=1Gi', 'image.tag=v1', 'replicaCount=0']);
  const helm: Deployment['metadata'] = { name: 'd', labels: { 'app.kubernetes.io/managed-by': 'Helm' }, annotations: { 'meta.helm.sh/release-name': 'dhakacart' } };
  assert.match(managedWarning(helm, NS, [{ path: `${base}.resources.limits.memory`, from: '512Mi', to: '1Gi' }], 'fix oom')!, /the next helm upgrade will undo a direct change.*helm upgrade dhakacart CHART -n dhakacart --reuse-values --set resources\.limits\.memory=1Gi/);
  assert.match(managedWarning(helm, NS, [], 'rollback')!, /helm rollback dhakacart/);
  assert.is(managedWarning({ labels: { app: 'd' } }, NS, [], 'fix oom'), null);
});

test.run();
