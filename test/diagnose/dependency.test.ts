// The dependency path as data (dependencyPath.ts): each link ok/broken/unknown with its
// repair, the first broken one named; unread evidence is unknown, never broken; and the
// restart verdict `fix db` acts on. Then the node fit of a Pending pod (nodeFit.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseEndpoint } from '../../src/kube/podSpecRefs';
import { evaluatePath, restartVerdict, type PathInput } from '../../src/diagnose/dependencyPath';
import { nodeFits, podRequests } from '../../src/diagnose/nodeFit';
import { countBeforeScaleUp } from '../../src/diagnose/causes/unschedulable';
import { unreadOf } from '../../src/cluster/snapshot';
import type { Gap } from '../../src/cluster/snapshot';
import { container, dbService, NOW, NS, node, pod, secretRef, statefulSet } from './fixtures';

const app = container('backend', { env: [
  { name: 'DB_HOST', value: 'postgres-service' },
  { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
  { name: 'STRIPE_KEY', valueFrom: { secretKeyRef: { name: 'stripe', key: 'key' } } },
] });
const pg = () => pod({ name: 'postgres-0', owner: statefulSet() });

function input(o: Partial<PathInput> = {}, gaps: Gap[] = []): PathInput {
  return {
    namespace: NS, app: 'deployment/dhakacart-backend', container: app, dep: dbService({ ready: 1 }),
    deployments: [], statefulSets: [statefulSet()], pods: [pg()], references: [secretRef('db-credentials', ['password'])],
    unread: (piece, key) => unreadOf(gaps, piece, key), now: Date.parse(NOW), authFailed: false, ...o,
  };
}

test('a sound path: every link ok, none broken; only the Secrets read for this dependency count', () => {
  const p = evaluatePath(input());
  assert.equal(p.links.map((l) => [l.kind, l.state]), [['service', 'ok'], ['endpoints', 'ok'], ['workload', 'ok'], ['credentials', 'ok']]);
  assert.is(p.broken, null);
  assert.is(p.workload, 'statefulset/postgres');
  assert.not.ok(p.links.some((l) => l.name.includes('stripe')), 'STRIPE_KEY is not the database\'s');
});

test('a StatefulSet scaled to 0: the repair is the scale back, to the last-applied count when known', () => {
  const sts = statefulSet();
  sts.spec.replicas = 0;
  sts.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ spec: { replicas: 3 } }) };
  const p = evaluatePath(input({ dep: dbService({ ready: 0 }), statefulSets: [sts] }));
  assert.is(p.broken?.kind, 'endpoints', 'the first broken link');
  assert.is(p.broken?.fix?.command, 'kubectl scale statefulset/postgres --replicas=3 -n dhakacart');
  delete sts.metadata.annotations;
  assert.is(evaluatePath(input({ dep: dbService({ ready: 0 }), statefulSets: [sts] })).broken?.fix?.command, 'kubectl scale statefulset/postgres --replicas=1 -n dhakacart');
});

test('a missing Service with a similarly named one: the env change; without one, no repair is invented', () => {
  const dep = { ...dbService({ exists: false }), host: 'postgres-svc', name: 'postgres-svc', similar: [{ name: 'postgres-service', createdAt: new Date(Date.parse(NOW) - 240_000).toISOString() }] };
  const p = evaluatePath(input({ dep }));
  assert.is(p.broken?.fix?.command, 'kubectl set env deployment/dhakacart-backend -n dhakacart DB_HOST=postgres-service');
  assert.match(p.broken!.detail, /service postgres-service exists \(created 4m ago\)/);
  assert.is(evaluatePath(input({ dep: { ...dep, similar: [] } })).broken?.fix, null);
  // A URL may carry a password: it is not rewritten on the command line.
  const url = evaluatePath(input({ dep: { ...dep, envVar: 'DATABASE_URL' } }));
  assert.match(url.broken!.fix!.command, /^# point DATABASE_URL at service postgres-service/);
});

test('unread Service, endpoints or Secret: unknown links, never broken', () => {
  const gaps: Gap[] = [
    { what: 'service postgres-service', reason: 'forbidden', piece: 'service', key: 'postgres-service' },
    { what: 'endpoints postgres-service', reason: 'forbidden', piece: 'endpoints', key: 'postgres-service' },
    { what: 'Secret db-credentials', reason: 'forbidden', piece: 'reference', key: 'Secret/db-credentials' },
  ];
  const p = evaluatePath(input({ dep: dbService({ exists: false }), references: [secretRef('db-credentials', null, false)] }, gaps));
  assert.equal(p.links.map((l) => l.state), ['unknown', 'unknown', 'unknown']);
  assert.is(p.broken, null);
});

test('credentials refused: the Secret that changed, when, and the database\'s own line; no restart', () => {
  const dep = { ...dbService({ ready: 1 }), dependencyLog: { pod: 'postgres-0', container: 'postgres', lines: ['FATAL:  password authentication failed for user "app"'] } };
  const references = [{ ...secretRef('db-credentials', ['password']), changedAt: new Date(Date.parse(NOW) - 300_000).toISOString() }];
  const p = evaluatePath(input({ dep, references, authFailed: true }));
  assert.is(p.broken?.kind, 'credentials');
  assert.match(p.broken!.detail, /the Secret last changed 5m ago .*postgres-0 log: FATAL:  password authentication failed for user "app"/);
  assert.match(p.broken!.fix!.command, /^# a restart cannot help: Secret db-credentials changed 5m ago/);
  assert.is(restartVerdict(p, [{ name: 'b-1', failing: true, connectionErrors: ['ECONNREFUSED'] }]).helps, false);
});

test('restart verdict: only a sound path and an app holding connection errors', () => {
  const sound = evaluatePath(input());
  assert.is(restartVerdict(sound, [{ name: 'b-1', failing: true, connectionErrors: ['connect ECONNREFUSED 10.96.0.20:5432'] }]).helps, true);
  assert.is(restartVerdict(sound, [{ name: 'b-1', failing: true, connectionErrors: [] }]).helps, false, 'failing for another reason');
  assert.is(restartVerdict(sound, [{ name: 'b-1', failing: false, connectionErrors: ['old'] }]).helps, false, 'healthy app');
});

test('dependency hosts from env: URLs keep host and port only; external names and IPs are not Services', () => {
  assert.equal(parseEndpoint('postgres://app:s3cret@postgres-service:5432/shop'), { host: 'postgres-service', port: 5432 });
  assert.equal(parseEndpoint('jdbc:postgresql://pg.data.svc.cluster.local:5433/x'), { host: 'pg.data.svc.cluster.local', port: 5433 });
  assert.equal(parseEndpoint('redis-service:6379'), { host: 'redis-service', port: 6379 });
  assert.is(parseEndpoint('https://api.stripe.com/v1'), null);
  assert.is(parseEndpoint('10.0.0.5'), null);
  assert.is(parseEndpoint('localhost:5432'), null);
});

test('node fit: requests with the init containers\' max, allocatable minus what is bound there, taints, selector', () => {
  const p = pod({ name: 'web-1' });
  p.spec.containers = [container('a', { resources: { requests: { memory: '1Gi', 'nvidia.com/gpu': '1' } } }), container('b', { resources: { requests: { memory: '1Gi' } } })];
  p.spec.initContainers = [container('init', { resources: { requests: { memory: '3Gi' } } })];
  assert.equal([...podRequests(p)], [['memory', 3 * 2 ** 30], ['nvidia.com/gpu', 1]]);
  const gpu = { ...node('gpu-1'), status: { ...node('gpu-1').status, allocatable: { memory: '8Gi', 'nvidia.com/gpu': '1' } } };
  const busy = pod({ name: 'other' });
  busy.spec.nodeName = 'gpu-1';
  busy.spec.containers = [container('x', { resources: { requests: { memory: '6Gi' } } })];
  const tainted = { ...gpu, metadata: { name: 'gpu-2' }, spec: { taints: [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }] } };
  const fits = nodeFits(p, [gpu, node('plain'), tainted], [busy]);
  assert.equal(fits.map((f) => [f.node, f.fits]), [['gpu-1', false], ['plain', false], ['gpu-2', false]]);
  assert.match(fits[0]!.reasons.join(), /memory: 2Gi free of 8Gi allocatable, 3Gi requested/);
  assert.match(fits[1]!.reasons.join(), /nvidia.com\/gpu: 0 free/);
  assert.match(fits[2]!.reasons.join(), /taint dedicated=ml:NoSchedule not tolerated/);
  p.spec.tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }];
  assert.ok(nodeFits(p, [tainted], [busy])[0]!.fits, 'tolerated, and nothing bound there');
});

test('the count before a scale-up: "from M to N", else the scale-up before it', () => {
  const ev = (message: string, at: string) => ({ metadata: { name: at }, involvedObject: { kind: 'Deployment', name: 'web' }, reason: 'ScalingReplicaSet', message, lastTimestamp: at }) as never;
  assert.equal(countBeforeScaleUp([ev('Scaled up replica set web-1 from 2 to 6', '2025-01-01T00:02:00Z')], 'web'), { from: 2, to: 6, at: '2025-01-01T00:02:00Z' });
  assert.equal(countBeforeScaleUp([ev('Scaled up replica set web-1 to 6', '2025-01-01T00:02:00Z'), ev('Scaled up replica set web-1 to 3', '2025-01-01T00:01:00Z')], 'web')?.from, 3);
  assert.is(countBeforeScaleUp([ev('Scaled up replica set web-1 to 6', '2025-01-01T00:02:00Z')], 'web'), null);
});

test.run();
