// Pure planners of fix/rollback/emergency: what would change, before anything is sent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { container, deployment, node, replicaSet } from '../diagnose/fixtures';
import { parseQuantity } from '../../src/kube/quantity';
import { deploymentRolloutStatus } from '../../src/kube/rolloutStatus';
import { templatesEqual } from '../../src/kube/template';
import { planResume, planStop } from '../../src/remedy/emergency';
import { planImage, resolveImage } from '../../src/remedy/image';
import { planOom } from '../../src/remedy/oom';
import { withChangeCause } from '../../src/remedy/plan';
import { planProbe } from '../../src/remedy/probe';
import { planRollback } from '../../src/remedy/rollback';
import type { Deployment } from '../../src/kube/types';

const withMemory = (limit?: string, request?: string) =>
  deployment('dhakacart-backend', { containers: [container('backend', { resources: { limits: limit ? { memory: limit } : {}, requests: request ? { memory: request } : {} } })] });
const smpContainer = (p: ReturnType<typeof planOom>) => ((p.patch!.body as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }).spec.template.spec.containers[0]);

test('quantities parse binary, decimal and exponent forms', () => {
  assert.is(parseQuantity('512Mi'), 512 * 2 ** 20);
  assert.is(parseQuantity('1G'), 1e9);
  assert.is(parseQuantity('1.5Gi'), 1.5 * 2 ** 30);
  assert.is(parseQuantity('100m'), 0.1);
  assert.is(parseQuantity('1e3'), 1000);
  assert.is(parseQuantity('12 Mi'), null);
});

test('fix oom default: max(1Gi, 2x limit), request half of it', () => {
  const p = planOom(withMemory('512Mi', '256Mi'), [], {});
  assert.equal(p.changes.map((c) => [c.from, c.to]), [['512Mi', '1Gi'], ['256Mi', '512Mi'], [null, 'backend=1Gi']]);
  assert.equal(smpContainer(p), { name: 'backend', resources: { limits: { memory: '1Gi' }, requests: { memory: '512Mi' } } });
  const big = planOom(withMemory('768Mi', '700Mi'), [], {});
  assert.equal(big.changes.map((c) => c.to), ['1536Mi', '768Mi', 'backend=1536Mi']);
});

test('fix oom never lowers the current values', () => {
  const p = planOom(withMemory('2Gi', '1Gi'), [], { memory: '1Gi' });
  assert.ok(p.warnings.some((w) => /below the current limit/.test(w)));
  assert.equal(p.changes, [], 'limit kept at 2Gi, request at 1Gi');
  assert.ok(p.noop);
  const lowRequest = planOom(withMemory('512Mi', '400Mi'), [], { memoryRequest: '100Mi' });
  assert.is(lowRequest.changes.find((c) => c.path.endsWith('requests.memory')), undefined, 'request stays at 400Mi');
});

test('fix oom warns when the request fits on no node', () => {
  const small = node('worker-1');
  small.status = { allocatable: { memory: '512Mi' } };
  const p = planOom(withMemory('512Mi', '256Mi'), [small], { memory: '4Gi' });
  assert.ok(p.warnings.some((w) => /fits on no node/.test(w)), p.warnings.join('\n'));
});

test('fix probe relaxes to the defaults and never tightens', () => {
  const dep = deployment('dhakacart-backend', { containers: [container('backend', { livenessProbe: { httpGet: { path: '/health', port: 5000 }, initialDelaySeconds: 10, timeoutSeconds: 1, periodSeconds: 10 } })] });
  const p = planProbe(dep, {});
  assert.equal(p.changes.map((c) => [c.path.split('.').pop(), c.from, c.to]), [['initialDelaySeconds', 10, 60], ['timeoutSeconds', 1, 10]]);
  const loose = deployment('dhakacart-backend', { containers: [container('backend', { livenessProbe: { initialDelaySeconds: 120, timeoutSeconds: 30 } })] });
  assert.ok(planProbe(loose, {}).noop);
  const off = planProbe(dep, { disable: true });
  assert.equal(smpContainer(off as ReturnType<typeof planOom>), { name: 'backend', livenessProbe: null });
  assert.ok(off.warnings.some((w) => /DISABLING/.test(w)));
});

function history(): { dep: Deployment; rs: ReturnType<typeof replicaSet>[] } {
  const dep = deployment('dhakacart-backend', { revision: 7, containers: [container('backend', { image: 'dhakacart/backend:v1.4.3' })], annotations: { 'kubernetes.io/change-cause': 'v1.4.3' } });
  const rs = [5, 6, 7].map((r) => replicaSet(dep, r, {
    containers: [container('backend', { image: r === 7 ? 'dhakacart/backend:v1.4.3' : r === 6 ? 'dhakacart/backend:v1.4.2' : 'dhakacart/backend:v1.4.1' })],
    annotations: { 'kubernetes.io/change-cause': `deploy ${r}` },
  }));
  return { dep, rs };
}

test('rollback picks the second-highest revision and sends kubectl rollout undo\'s JSON patch', () => {
  const { dep, rs } = history();
  const p = planRollback(dep, rs, 0);
  const ops = p.patch!.body as { op: string; path: string; value: { metadata?: { labels?: Record<string, string> }; [k: string]: unknown } }[];
  assert.equal(ops.map((o) => [o.op, o.path]), [['replace', '/spec/template'], ['replace', '/metadata/annotations']]);
  assert.is(ops[0]!.value.metadata?.labels?.['pod-template-hash'], undefined, 'hash label removed');
  assert.equal(ops[1]!.value, { 'deployment.kubernetes.io/revision': '7', 'kubernetes.io/change-cause': 'deploy 6' });
  assert.ok(p.changes.some((c) => c.to === 'dhakacart/backend:v1.4.2'));
});

test('rollback --to-revision, unknown revision, no history, already current', () => {
  const { dep, rs } = history();
  assert.ok(planRollback(dep, rs, 5).changes.some((c) => c.to === 'dhakacart/backend:v1.4.1'));
  assert.throws(() => planRollback(dep, rs, 9), /unable to find specified revision 9 in history/);
  assert.throws(() => planRollback(dep, rs.slice(2), 0), /no rollout history found for deployment "dhakacart-backend"/);
  assert.match(planRollback(dep, rs, 7).noop ?? '', /skipped rollback \(current template already matches revision 7\)/);
  assert.throws(() => planRollback({ ...dep, spec: { ...dep.spec, paused: true } }, rs, 0), /cannot rollback a paused deployment/);
});

test('template equality ignores the hash label, empty vs missing and quantity spelling', () => {
  const a = { metadata: { labels: { app: 'x', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'c', env: [], resources: { limits: { memory: '1Gi' } } }] } };
  const b = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', resources: { limits: { memory: '1024Mi' } } }] } };
  assert.ok(templatesEqual(a, b));
  assert.not.ok(templatesEqual(a, { ...b, spec: { containers: [{ name: 'c', image: 'y' }] } }));
});

test('fix image goes to the newest earlier revision with a different image, or --to', () => {
  const { dep, rs } = history();
  assert.equal(planImage(dep, rs, {}, new Set()).changes[0]!.to, 'dhakacart/backend:v1.4.2');
  assert.equal(planImage(dep, rs, { to: 'v1.3.9' }, new Set()).changes[0]!.to, 'dhakacart/backend:v1.3.9');
  assert.is(resolveImage('registry.local:5000/app:v1', 'v2'), 'registry.local:5000/app:v2');
  const withSecret = { ...dep, spec: { ...dep.spec, template: { ...dep.spec.template, spec: { ...dep.spec.template.spec, imagePullSecrets: [{ name: 'regcred' }] } } } };
  assert.ok(planImage(withSecret, rs, {}, new Set()).warnings.some((w) => /regcred do not exist/.test(w)));
});

test('emergency stop remembers replicas; resume restores them', () => {
  const dep = deployment();
  const stop = planStop(dep);
  assert.equal(stop.patch!.body, { metadata: { annotations: { 'dhakacart.io/replicas-before-emergency': '3' } }, spec: { replicas: 0 } });
  const stopped: Deployment = { ...dep, metadata: { ...dep.metadata, annotations: { 'dhakacart.io/replicas-before-emergency': '3' } }, spec: { ...dep.spec, replicas: 0 } };
  assert.ok(planStop(stopped).noop, 'a second stop must not overwrite the remembered count with 0');
  assert.equal((planResume(stopped, undefined).patch!.body as { spec: unknown }).spec, { replicas: 3 });
  assert.equal((planResume(stopped, 5).patch!.body as { spec: unknown }).spec, { replicas: 5 });
  assert.throws(() => planResume(dep, undefined), /was not stopped by 'emergency stop'/);
});

test('rollback after its own rollback is a noop naming it; --to-revision still goes where asked', () => {
  const { dep, rs } = history();
  const ours = { ...dep, metadata: { ...dep.metadata, annotations: { ...dep.metadata.annotations, 'kubernetes.io/change-cause': 'kubectl dhakacart rollback --yes' } } };
  assert.ok(planRollback(ours, rs, 0).patch, 'the current ReplicaSet was not brought back: an ordinary rollback');
  rs[2]!.metadata.annotations!['deployment.kubernetes.io/revision-history'] = '4';
  assert.match(planRollback(ours, rs, 0).noop ?? '', /already rolled back by 'kubectl dhakacart rollback --yes': revision 7 runs the template of revision 4 again/);
  assert.ok(planRollback(dep, rs, 0).patch, 'someone else\'s change-cause: kubectl\'s rule');
  assert.ok(planRollback(ours, rs, 6).patch);
});

test('fix oom never sets a limit below the current request', () => {
  const p = planOom(withMemory(undefined, '2Gi'), [], {});
  assert.equal(p.changes.filter((c) => c.path.includes('resources')).map((c) => [c.path.split('.').slice(-2).join('.'), c.from, c.to]), [['limits.memory', null, '2Gi']]);
  assert.ok(p.warnings.some((w) => /below the current request 2Gi/.test(w)));
});

test('change-cause rides in the same patch', () => {
  const p = withChangeCause({ type: 'strategic', body: { spec: { replicas: 0 } } }, 'kubectl dhakacart emergency stop');
  assert.equal(p.body, { spec: { replicas: 0 }, metadata: { annotations: { 'kubernetes.io/change-cause': 'kubectl dhakacart emergency stop' } } });
  const j = withChangeCause({ type: 'json', body: [] }, 'x');
  assert.equal(j.body, [{ op: 'add', path: '/metadata/annotations/kubernetes.io~1change-cause', value: 'x' }]);
});

test('rollout status messages are kubectl\'s', () => {
  const d = (generation: number, observed: number, st: Record<string, number>, conditions: { type: string; status: string; reason?: string }[] = []): Deployment =>
    ({ metadata: { name: 'web', generation }, spec: { replicas: 3, selector: {}, template: { spec: { containers: [] } } }, status: { observedGeneration: observed, ...st, conditions } });
  assert.equal(deploymentRolloutStatus(d(2, 1, {})), { done: false, message: 'Waiting for deployment spec update to be observed...' });
  assert.equal(deploymentRolloutStatus(d(2, 2, { updatedReplicas: 1, replicas: 3 })).message, 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...');
  assert.equal(deploymentRolloutStatus(d(2, 2, { updatedReplicas: 3, replicas: 4 })).message, 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
  assert.equal(deploymentRolloutStatus(d(2, 2, { updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).message, 'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...');
  assert.equal(deploymentRolloutStatus(d(2, 2, { updatedReplicas: 3, replicas: 3, availableReplicas: 3 })), { done: true, message: 'deployment "web" successfully rolled out' });
  assert.equal(deploymentRolloutStatus(d(2, 2, {}, [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }])), { failed: true, message: 'deployment "web" exceeded its progress deadline' });
});

test.run();
