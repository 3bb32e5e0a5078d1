// The one definition of "unhealthy" (kube/podState.ts) and the scope around it: workloads
// stopped or degraded, dependencies found from env and ConfigMaps; unit tests, then the
// health-* scenarios through the binary.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { json, run } from './helpers/binary';
import { startSim } from './sim/index';
import { dependencyRefs, resolveDependencies } from '../src/kube/dependencies';
import { parseEndpoint } from '../src/kube/podSpecRefs';

const hostOf = (v: string) => parseEndpoint(v)?.host ?? null;
import { deploymentHealth } from '../src/kube/deployment';
import { summarizePod } from '../src/kube/podState';
import type { Deployment, Pod } from '../src/kube/types';

const NOW = Date.parse('2025-03-14T10:30:00Z');
const HOUR = 3_600_000;
const at = (minAgo: number) => new Date(NOW - minAgo * 60_000).toISOString();

function pod(last: { reason?: string; exitCode: number; finishedMinAgo: number } | null, extra: Partial<Pod['status']> = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'dhakacart', labels: { app: 'dhakacart-backend' } },
    spec: { containers: [{ name: 'backend' }] },
    status: {
      phase: 'Running',
      containerStatuses: [{
        name: 'backend', ready: true, restartCount: last ? 4 : 0, state: { running: { startedAt: at(1) } },
        lastState: last ? { terminated: { reason: last.reason, exitCode: last.exitCode, finishedAt: at(last.finishedMinAgo) } } : {},
      }],
      ...extra,
    },
  } as Pod;
}

test('a Running+Ready container OOMKilled within the window is unhealthy; outside it, healthy', () => {
  const oom = { reason: 'OOMKilled', exitCode: 137 };
  const recent = summarizePod(pod({ ...oom, finishedMinAgo: 10 }), { now: NOW, windowMs: HOUR });
  assert.is(recent.healthy, false);
  assert.is(recent.reason, 'Restarted (OOMKilled)');
  assert.is(summarizePod(pod({ ...oom, finishedMinAgo: 180 }), { now: NOW, windowMs: HOUR }).healthy, true);
  assert.is(summarizePod(pod({ ...oom, finishedMinAgo: 180 }), { now: NOW, windowMs: 4 * HOUR }).healthy, false, '--since 4h reaches it');
  assert.is(summarizePod(pod(null), { now: NOW, windowMs: HOUR }).healthy, true);
});

test('abnormal means a crash: Error, non-zero exit, a signal; a clean exit 0 restart is not', () => {
  const c = { now: NOW, windowMs: HOUR };
  assert.is(summarizePod(pod({ reason: 'Error', exitCode: 1, finishedMinAgo: 5 }), c).reason, 'Restarted (Error)');
  assert.is(summarizePod(pod({ exitCode: 143, finishedMinAgo: 5 }), c).reason, 'Restarted (ExitCode:143)');
  assert.is(summarizePod(pod({ reason: 'Completed', exitCode: 0, finishedMinAgo: 5 }), c).healthy, true);
});

test('Succeeded (a finished Job) is healthy; Failed, Pending and terminating are not', () => {
  const c = { now: NOW, windowMs: HOUR };
  const done = pod(null, { phase: 'Succeeded', containerStatuses: [{ name: 'backend', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
  assert.is(summarizePod(done, c).healthy, true);
  assert.is(summarizePod(pod(null, { phase: 'Failed' }), c).healthy, false);
  assert.is(summarizePod(pod(null, { phase: 'Pending' }), c).healthy, false);
  assert.is(summarizePod({ ...done, metadata: { ...done.metadata, deletionTimestamp: at(0) } }, c).healthy, false);
});

const dep = (replicas: number, status: Deployment['status'], annotations?: Record<string, string>): Deployment => ({
  metadata: { name: 'dhakacart-backend', namespace: 'dhakacart', annotations },
  spec: { replicas, selector: { matchLabels: { app: 'dhakacart-backend' } }, template: { metadata: { labels: { app: 'dhakacart-backend' } }, spec: { containers: [{ name: 'backend' }] } } },
  status,
});

test('a Deployment at 0 by emergency stop is stopped; at 0 by hand it is only said; unavailable replicas are degraded', () => {
  const stopped = deploymentHealth(dep(0, {}, { 'dhakacart.io/replicas-before-emergency': '3' }));
  assert.is(stopped.state, 'stopped');
  assert.is(stopped.healthy, false);
  assert.match(stopped.reason ?? '', /emergency resume deployment\/dhakacart-backend/);
  assert.equal([deploymentHealth(dep(0, {})).state, deploymentHealth(dep(0, {})).healthy], ['scaled to zero', true]);
  const missing = deploymentHealth(dep(3, { replicas: 2, availableReplicas: 2, updatedReplicas: 2, readyReplicas: 2, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "dhakacart-backend-x" is forbidden: exceeded quota: compute' }] }));
  assert.is(missing.state, 'degraded');
  assert.match(missing.reason ?? '', /2\/3 available.*1 pod\(s\) not created.*exceeded quota/);
  assert.is(deploymentHealth(dep(3, { replicas: 3, availableReplicas: 3, updatedReplicas: 3 })).healthy, true);
});

test('dependency hosts from env names, URLs and DSNs; outside hosts and IPs are not services', () => {
  assert.is(hostOf('postgres://app@pg-main:5432/shop'), 'pg-main');
  assert.is(hostOf('redis://cache.dhakacart.svc.cluster.local:6379/0'), 'cache.dhakacart.svc.cluster.local');
  assert.is(hostOf('orders:8080'), 'orders');
  assert.is(hostOf('10.0.0.7'), null);
  assert.is(hostOf('localhost:5432'), null);
  const p: Pod = {
    metadata: { name: 'b', namespace: 'dhakacart' },
    spec: { containers: [{ name: 'c', env: [
      { name: 'DATABASE_URL', value: 'postgres://app:s3cret@pg-main:5432/shop' },
      { name: 'PAYMENTS_ADDR', value: 'payments.payments.svc:9000' },
      { name: 'STRIPE_URL', value: 'https://api.stripe.com/v1' },
      { name: 'ORDERS_HOST', value: 'orders.example' },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'SEARCH', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'SEARCH_HOST' } } },
    ], envFrom: [{ configMapRef: { name: 'cfg' } }] }] },
  };
  const refs = dependencyRefs([p], new Map([['dhakacart/cfg', { SEARCH_HOST: 'opensearch', QUEUE_URL: 'amqp://rabbitmq:5672', THEME: 'dark' }]]));
  const byName = Object.fromEntries(refs.map((r) => [r.name, r]));
  assert.equal(Object.keys(byName).sort(), ['opensearch', 'orders', 'payments', 'pg-main', 'rabbitmq'], 'api.stripe.com is no Service name');
  assert.is(byName['pg-main']!.via, 'env DATABASE_URL');
  assert.not.match(JSON.stringify(refs), /s3cret/, 'a DSN password never leaves');
  assert.is(byName.payments!.namespace, 'payments');
  assert.is(byName.orders!.certain, false, 'NAME.NS may be an outside host: dropped unless such a Service exists');
  assert.is(byName.opensearch!.via, 'ConfigMap cfg key SEARCH_HOST');
  const resolved = resolveDependencies(refs, { namespaces: new Set(['dhakacart']), services: [], deployments: [], statefulSets: [], pods: [] }, { now: NOW, windowMs: HOUR }, () => false);
  const names = resolved.map((r) => `${r.dependency.name}:${r.dependency.healthy}`).sort();
  assert.equal(names, ['opensearch:false', 'payments:null', 'pg-main:false', 'rabbitmq:false'], 'missing Services are failures; other namespaces unknown; orders.example dropped');
});

interface StatusJson {
  healthy: boolean; namespace: string | null;
  deployments: { name: string; state: string; healthy: boolean; reason: string | null }[];
  pods: { name: string; namespace: string; healthy: boolean; reason: string | null }[];
  dependencies: { kind: string; name: string; namespace: string; via: string; healthy: boolean | null; reason: string | null }[];
}
interface Diagnosis { pod: string; cause: string; fix: { command: string } | null; summary: string }

async function withSim<T>(scenario: string, f: (kc: string) => Promise<T>): Promise<T> {
  const sim = await startSim({ scenario });
  try {
    return await f(sim.kubeconfig);
  } finally {
    await sim.close();
  }
}

test('health-oom-recent: status exit 1 on a Running+Ready pod, why says oom', () => withSim('health-oom-recent', async (kc) => {
  const r = await run(['status', '--kubeconfig', kc, '-o', 'json']);
  assert.is(r.code, 1, r.stderr);
  const bad = json<StatusJson>(r).pods.filter((p) => !p.healthy);
  assert.equal(bad.map((p) => [p.name, p.reason]), [['dhakacart-backend-7d9f8c6b5d-x2x9k', 'Restarted (OOMKilled)']]);
  const w = json<{ diagnoses: Diagnosis[] }>(await run(['why', '--kubeconfig', kc, '-o', 'json']));
  assert.equal(w.diagnoses.map((d) => [d.pod, d.cause]), [['dhakacart-backend-7d9f8c6b5d-x2x9k', 'oom']]);
  assert.match(w.diagnoses[0]!.fix?.command ?? '', /^kubectl dhakacart fix oom/);
}));

test('health-oom-old: healthy with the default 1h window, unhealthy with --since 4h (status and why)', () => withSim('health-oom-old', async (kc) => {
  assert.is((await run(['status', '--kubeconfig', kc])).code, 0);
  assert.is((await run(['why', '--kubeconfig', kc])).code, 0);
  const s = await run(['status', '--kubeconfig', kc, '--since', '4h', '-o', 'json']);
  assert.is(s.code, 1);
  const w = json<{ diagnoses: Diagnosis[] }>(await run(['why', '--kubeconfig', kc, '--since', '4h', '-o', 'json']));
  assert.equal(w.diagnoses.map((d) => d.cause), ['oom']);
  assert.is((await run(['status', '--kubeconfig', kc, '--since', 'soon'])).code, 2, 'a bad duration is a usage error');
}));

test('health-job-completed: a Succeeded Job pod is healthy, status exit 0', () => withSim('health-job-completed', async (kc) => {
  const r = await run(['status', '--kubeconfig', kc, '-o', 'json']);
  assert.is(r.code, 0, r.stdout);
  const job = json<StatusJson>(r).pods.find((p) => p.name.startsWith('dhakacart-backend-migrate-'));
  assert.is(job?.healthy, true);
}));

test('health-emergency-stopped: stopped, exit 1, why cause stopped with the resume command', () => withSim('health-emergency-stopped', async (kc) => {
  const r = await run(['status', '--kubeconfig', kc, '-o', 'json']);
  assert.is(r.code, 1);
  const s = json<StatusJson>(r);
  assert.equal(s.deployments.find((d) => d.name === 'dhakacart-backend')?.state, 'stopped');
  const t = await run(['status', '--kubeconfig', kc]);
  assert.match(t.stdout, /Next: kubectl dhakacart emergency resume deployment\/dhakacart-backend -n dhakacart/);
  assert.not.match(t.stdout, /All \d+ pods healthy/);
  const w = json<{ diagnoses: Diagnosis[] }>(await run(['why', '--kubeconfig', kc, '-o', 'json']));
  assert.equal(w.diagnoses.map((d) => [d.pod, d.cause, d.fix?.command]), [['deployment/dhakacart-backend', 'stopped', 'kubectl dhakacart emergency resume deployment/dhakacart-backend -n dhakacart']]);
}));

test('health-postgres-scaled-zero: healthy-looking backend, status exit 1 naming the dependency; why scales it back', () => withSim('health-postgres-scaled-zero', async (kc) => {
  const r = await run(['status', '--kubeconfig', kc, '-o', 'json']);
  assert.is(r.code, 1);
  const s = json<StatusJson>(r);
  assert.ok(s.pods.every((p) => p.healthy), 'every selected pod looks fine');
  const pg = s.dependencies.find((d) => d.name === 'postgres');
  assert.equal([pg?.kind, pg?.healthy, pg?.via], ['StatefulSet', false, 'env DB_HOST → Service postgres-service']);
  assert.ok(s.dependencies.some((d) => d.name === 'redis' && d.healthy === true));
  const t = await run(['status', '--kubeconfig', kc]);
  assert.match(t.stdout, /Dependency statefulset\/postgres is failing/);
  const w = json<{ diagnoses: Diagnosis[]; dependencies: unknown[] }>(await run(['why', '--kubeconfig', kc, '-o', 'json']));
  assert.equal(w.diagnoses.map((d) => [d.pod, d.cause, d.fix?.command]), [['statefulset/postgres', 'stopped', 'kubectl scale statefulset/postgres --replicas=1 -n dhakacart']]);
  assert.ok(w.dependencies.length >= 2);
}));

test('a failing dependency is diagnosed by why without POD: trap-statefulset lists postgres as a failing dependency', () => withSim('trap-statefulset', async (kc) => {
  const s = json<StatusJson>(await run(['status', '--kubeconfig', kc, '-o', 'json']));
  assert.equal(s.dependencies.find((d) => d.name === 'postgres')?.healthy, false);
  const w = json<{ diagnoses: Diagnosis[] }>(await run(['why', '--kubeconfig', kc, '-o', 'json']));
  assert.ok(w.diagnoses.some((d) => d.pod === 'postgres-0'), 'the dependency\'s own pod is diagnosed');
}));

test('status keeps to one list per kind, no request per pod', () => withSim('crashloop-oom', async (kc) => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    await run(['status', '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    const reqs = sim.requests.map((q) => q.path);
    assert.ok(reqs.length <= 7, `${reqs.length} requests: ${reqs.join(' ')}`);
    assert.is(reqs.filter((p) => p.includes('/pods')).length, 1);
  } finally {
    await sim.close();
  }
  void kc;
}));

test('-A: every namespace, a NAMESPACE column and a namespace field', () => withSim('crashloop-oom', async (kc) => {
  const r = await run(['status', '-A', '--kubeconfig', kc, '-o', 'json']);
  assert.is(r.code, 1);
  const s = json<StatusJson>(r);
  assert.is(s.namespace, null);
  assert.ok(s.pods.length > 0 && s.pods.every((p) => p.namespace === 'dhakacart'));
  const t = await run(['status', '--all-namespaces', '--kubeconfig', kc]);
  assert.match(t.stdout, /^NAMESPACE\s+DEPLOYMENT/m);
  assert.match(t.stdout, /^NAMESPACE\s+NAME\s+APP/m);
  const w = json<{ namespace: string | null; diagnoses: Diagnosis[] }>(await run(['why', '-A', '--kubeconfig', kc, '-o', 'json']));
  assert.is(w.namespace, null);
  assert.ok(w.diagnoses.some((d) => d.cause === 'oom'));
}));

test.run();
