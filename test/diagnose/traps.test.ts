// Rule fixes found with the trap-* scenarios: what a senior SRE would not accept at 3 a.m.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import { errorLines } from '../../src/diagnose/logLines';
import type { Container, Pod } from '../../src/kube/types';
import {
  backendWorld, container, crashLooping, dbService, deployment, event, logs, node, pod, replicaSet, snapshot, statefulSet, waitingStatus, worldSnapshot,
} from './fixtures';

const NODE_CRASH = [
  '2025-06-01T11:59:02.902Z info: Resuming 3 unacknowledged checkout jobs',
  'node:internal/process/promises:391',
  "TypeError: Cannot read properties of undefined (reading 'amount')",
  '    at applyBkashCashback (/app/dist/checkout/discounts.js:88:45)',
  '    at Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:283:98)',
  'Node.js v20.18.1',
  'npm error code 1',
  'npm error path /app',
  'npm error command failed',
  'npm error command sh -c node dist/server.js',
  'npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log',
].join('\n');

test("errorLines: npm's trailer and stack frames do not push out the app's own error", () => {
  const ex = errorLines(logs(NODE_CRASH), 5);
  assert.equal([ex.lines, ex.from, ex.headline?.line], [["TypeError: Cannot read properties of undefined (reading 'amount')"], 'previous', "TypeError: Cannot read properties of undefined (reading 'amount')"]);
  assert.equal(errorLines(logs('npm error code 1\nnpm error command failed'), 5).lines, ['npm error code 1', 'npm error command failed'], 'only the trailer: better than nothing');
  assert.equal(errorLines(logs('Error: boom\nnpm ERR! syscall error'), 5).lines, ['Error: boom'], 'npm 6-9');
  assert.equal(errorLines(logs('Error: boom\nerror Command failed with exit code 1.'), 5).lines, ['Error: boom'], 'yarn 1');
});

test('crash summary quotes the exception, not npm', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  const d = diagnosePod(worldSnapshot(w, { logs: { [w.pod.metadata.name]: { backend: logs(NODE_CRASH) } } }), w.pod.metadata.name);
  assert.is(d.cause, 'crash');
  assert.match(d.summary, /Log headline \(error\): "TypeError: Cannot read properties of undefined \(reading 'amount'\)"/);
  assert.not.ok(d.evidence.some((e) => /npm error/.test(e.detail)));
});

test('a healthy sidecar listed first is not the focus; the crashing app container is', () => {
  const shipper = container('log-shipper', { image: 'fluent/fluent-bit:3.1.9' });
  const w = backendWorld({ containers: [shipper, container()] });
  const p = pod({ owner: w.rs, statuses: [crashLooping('backend', { exitCode: 1 }), { name: 'log-shipper', ready: true, restartCount: 0, state: { running: { startedAt: '2025-06-01T10:00:00Z' } } }] });
  const d = diagnosePod(snapshot({ pods: [p], deployments: [w.dep], replicaSets: [w.previous, w.rs] }), p.metadata.name);
  assert.is(d.container, 'backend');
  assert.is(d.cause, 'crash');
});

test('a crash-looping container whose readiness probe also fails is a crash, not "runs but not ready"', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  const s = worldSnapshot(w, { events: [event(w.pod, { reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', container: 'backend', count: 30 })] });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'crash', d.summary);
  assert.not.match(d.summary, /runs but its readiness probe fails/);
});

test('a running container that is not ready is still the readiness finding', () => {
  const w = backendWorld({ statuses: [{ name: 'backend', ready: false, restartCount: 0, state: { running: { startedAt: '2025-06-01T11:00:00Z' } } }] });
  const s = worldSnapshot(w, { events: [event(w.pod, { reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', container: 'backend', count: 30 })] });
  assert.is(diagnosePod(s, w.pod.metadata.name).cause, 'probe');
});

test('a new init container in the rollout is named once, with the other images that changed', () => {
  const migrate = { name: 'migrate', image: 'dhakacart/backend:v1.5.0', command: ['npm', 'run', 'migrate'], env: [{ name: 'DB_HOST', value: 'postgres-service' }] } as unknown as Container;
  const dep = deployment('dhakacart-backend', { revision: 8, containers: [container('backend', { image: 'dhakacart/backend:v1.5.0' })] });
  dep.spec.template.spec.initContainers = [migrate];
  const prev = replicaSet(dep, 7, { createdAgo: 86400, containers: [container('backend', { image: 'dhakacart/backend:v1.4.2' })] });
  delete prev.spec.template.spec.initContainers;
  const rs = replicaSet(dep, 8, { createdAgo: 540 });
  const p = pod({ owner: rs, initContainers: [migrate], initStatuses: [crashLooping('migrate', { exitCode: 1, endedAgo: 180 })], statuses: [waitingStatus('backend', 'PodInitializing')] });
  const d = diagnosePod(snapshot({ pods: [p], deployments: [dep], replicaSets: [prev, rs] }), p.metadata.name);
  assert.is(d.container, 'migrate');
  assert.is(d.cause, 'crash');
  const ev = d.evidence.find((e) => e.source === 'deployment')!;
  assert.match(ev.detail, /rolled out new init container migrate \(image dhakacart\/backend:v1\.5\.0\), image dhakacart\/backend:v1\.5\.0 for backend \(revision 7 ran dhakacart\/backend:v1\.4\.2\)$/);
  assert.not.match(ev.detail, /command\[0\]/);
  assert.is(d.fix?.command, 'kubectl dhakacart rollback deployment/dhakacart-backend -n dhakacart');
});

const UNSCHEDULABLE = '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';

test('unschedulable right after a rollout: the pod\'s request is shown and the fix is a rollback', () => {
  const big = container('backend', { resources: { limits: { memory: '16Gi' }, requests: { memory: '16Gi' } } });
  const w = backendWorld({ containers: [big], rolledOutAgo: 320, pod: { phase: 'Pending', node: null, statuses: [], conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: UNSCHEDULABLE }] } });
  const s = worldSnapshot(w, { events: [event(w.pod, { reason: 'FailedScheduling', message: UNSCHEDULABLE, newStyle: true, count: 3, lastAgo: 20 })] });
  // The new-style event's eventTime is its first sighting: put it at the rollout.
  s.events[0]!.eventTime = new Date(Date.parse(s.capturedAt) - 320_000).toISOString();
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'unschedulable');
  assert.match(d.summary, /The pod requests memory 16Gi\.$/);
  assert.ok(d.evidence.some((e) => e.source === 'spec' && e.detail === "the pod requests memory 16Gi (sum of its containers' requests)"));
  assert.ok(d.evidence.some((e) => e.source === 'deployment' && /^scheduling failures began 0s after revision 7/.test(e.detail)));
  assert.is(d.fix?.command, 'kubectl dhakacart rollback deployment/dhakacart-backend -n dhakacart');
});

test('unschedulable with no recent rollout and a request above every node: lower the request (SIZE), with the largest allocatable named', () => {
  const big = container('backend', { resources: { limits: { memory: '16Gi' }, requests: { memory: '16Gi' } } });
  const w = backendWorld({ containers: [big], rolledOutAgo: 3 * 86400, pod: { phase: 'Pending', node: null, statuses: [], conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: UNSCHEDULABLE }] } });
  const s = worldSnapshot(w);
  const nodes = [node('worker-1'), node('worker-2')];
  nodes[1]!.status!.allocatable = { memory: '12Gi' };
  s.scheduling = { nodes, placed: [], events: [] };
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'unschedulable');
  assert.match(d.summary, /larger than any eligible node's allocatable/);
  assert.is(d.fix?.command, "# no node can hold the pod's request even empty: lower it (memory below 12Gi, the largest node's allocatable, less what its system pods use) or add a bigger node");
  assert.equal(d.fix?.kubectl, ['kubectl set resources deployment/dhakacart-backend -n dhakacart -c backend --requests=memory=SIZE']);
  // A node that only a taint keeps out does not count: its allocatable is no bound.
  nodes[1]!.spec = { taints: [{ key: 'gpu', effect: 'NoSchedule' }] };
  assert.match(diagnosePod(s, w.pod.metadata.name).fix?.command ?? '', /memory below 8Gi/);
});

test('evicted for memory: the request is raised to cover the usage the kubelet reported, the limit kept', () => {
  const message = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 87Mi. Container backend was using 600Mi, request is 256Mi, has larger consumption of memory. ';
  const w = backendWorld({ containers: [container('backend', { resources: { limits: { memory: '1Gi' }, requests: { memory: '256Mi' } } })], pod: { phase: 'Failed', reason: 'Evicted', message, statuses: [] } });
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.is(d.cause, 'evicted');
  assert.is(d.fix?.command, 'kubectl dhakacart fix oom deployment/dhakacart-backend -n dhakacart --memory 1Gi --memory-request 768Mi');
  assert.match(d.fix!.kubectl[0]!, /"limits":\{"memory":"1Gi"\},"requests":\{"memory":"768Mi"\}/);
});

test('evicted using more than its limit allows: the limit goes up to the new request', () => {
  const message = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 40Mi. Container backend was using 500Mi, which exceeds its request of 128Mi. ';
  const w = backendWorld({ pod: { phase: 'Failed', reason: 'Evicted', message, statuses: [] } });
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.is(d.fix?.command, 'kubectl dhakacart fix oom deployment/dhakacart-backend -n dhakacart --memory 640Mi --memory-request 640Mi');
});

const PG_FULL = [
  '2025-06-01 11:59:40.409 UTC [29] LOG:  redo starts at 3/1A2B3C40',
  '2025-06-01 11:59:47.914 UTC [29] PANIC:  could not write to file "pg_wal/xlogtemp.29": No space left on device',
  '2025-06-01 11:59:47.919 UTC [1] LOG:  startup process (PID 29) was terminated by signal 6: Aborted',
].join('\n');

function postgresWithClaim(): { p: Pod; sts: ReturnType<typeof statefulSet> } {
  const pg = { ...container('postgres', { image: 'postgres:16.2' }), volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }] } as Container;
  const sts = statefulSet('postgres', [pg]);
  (sts.spec as { volumeClaimTemplates?: unknown }).volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '20Gi' } } } }];
  const p = pod({ name: 'postgres-0', owner: sts, statuses: [crashLooping('postgres', { exitCode: 1 })], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-postgres-0' } }] as unknown as Pod['spec']['volumes'] });
  return { p, sts };
}

test('a StatefulSet pod that cannot write to its full PVC: crash, the claim named, PVC commands, infra escalation', () => {
  const { p, sts } = postgresWithClaim();
  const s = snapshot({
    pods: [p], statefulSets: [sts], logs: { 'postgres-0': { postgres: logs(PG_FULL) } },
    events: [event(p, { reason: 'Unhealthy', message: 'Readiness probe failed: /var/run/postgresql:5432 - rejecting connections', container: 'postgres', count: 7 })],
  });
  const d = diagnosePod(s, 'postgres-0');
  assert.is(d.cause, 'crash', d.summary);
  assert.is(d.confidence, 'confirmed');
  assert.match(d.summary, /cannot write to disk: PersistentVolumeClaim data-postgres-0 is likely full/);
  assert.ok(d.evidence.some((e) => e.detail === 'postgres writes to PersistentVolumeClaim data-postgres-0 (volume data at /var/lib/postgresql/data, created with 20Gi)'));
  assert.match(d.fix!.command, /^# kubectl dhakacart does not resize volumes/);
  assert.equal(d.fix!.kubectl, ['kubectl get pvc data-postgres-0 -n dhakacart', `kubectl patch pvc data-postgres-0 -n dhakacart -p '{"spec":{"resources":{"requests":{"storage":"40Gi"}}}}'`]);
  assert.not.ok(d.fix!.kubectl.some((k) => /deployment|rollout undo/.test(k)));
  assert.match(d.escalate ?? '', /Infrastructure Team: .*volume data-postgres-0 of postgres-0 is full/);
});

test('disk full without a PVC: said, but no volume command invented', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  const d = diagnosePod(worldSnapshot(w, { logs: { [w.pod.metadata.name]: { backend: logs("Error: ENOSPC: no space left on device, write '/tmp/export.csv'") } } }), w.pod.metadata.name);
  assert.is(d.cause, 'crash');
  assert.match(d.summary, /cannot write to disk/);
  assert.is(d.fix, null);
});

test('a Secret that lost its key after a rollout: the rollback would read the same key, so fix the Secret', () => {
  const withSecretEnv = container('backend', { env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } }] });
  const w = backendWorld({ containers: [withSecretEnv], rolledOutAgo: 1700, statuses: [waitingStatus('backend', 'CreateContainerConfigError', "couldn't find key password in Secret dhakacart/db-credentials")] });
  const s = worldSnapshot(w, {
    events: [event(w.pod, { reason: 'Failed', message: "Error: couldn't find key password in Secret dhakacart/db-credentials", container: 'backend', count: 64, firstAgo: 800 })],
    references: [{ kind: 'Secret', name: 'db-credentials', exists: true, keys: ['username', 'db-password'] }],
  });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'config');
  assert.ok(d.evidence.some((e) => e.source === 'deployment'), 'the rollout is still mentioned as context');
  assert.match(d.fix!.command, /^# add key password to Secret db-credentials/);
});

test('a key the new revision started to read: rollback', () => {
  const reads = container('backend', { env: [{ name: 'JWT_SECRET', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'jwt' } } }] });
  const w = backendWorld({ containers: [reads], rolledOutAgo: 600, statuses: [waitingStatus('backend', 'CreateContainerConfigError', "couldn't find key jwt in Secret dhakacart/db-credentials")] });
  w.previous.spec.template.spec.containers = [container()];
  const s = worldSnapshot(w, { events: [event(w.pod, { reason: 'Failed', message: "Error: couldn't find key jwt in Secret dhakacart/db-credentials", container: 'backend', count: 9, firstAgo: 500 })] });
  assert.is(diagnosePod(s, w.pod.metadata.name).fix?.command, 'kubectl dhakacart rollback deployment/dhakacart-backend -n dhakacart');
});

test('why without POD: the database pods are named from the endpoints, not claimed missing', () => {
  const w = backendWorld({ containers: [container('backend', { env: [{ name: 'DB_HOST', value: 'postgres-service' }] })], statuses: [crashLooping('backend', { exitCode: 1 })] });
  const db = dbService({ ready: 0, backends: [] });
  db.endpoints!.subsets = [{ notReadyAddresses: [{ ip: '10.244.2.3', targetRef: { name: 'postgres-0' } }], ports: [{ port: 5432 }] }];
  const s = worldSnapshot(w, { services: [db], logs: { [w.pod.metadata.name]: { backend: logs('error: PostgreSQL connection failed: connect ECONNREFUSED 10.96.0.20:5432') } } });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'db');
  assert.ok(d.evidence.some((e) => e.detail === 'fact: pods behind postgres-service: 0/1 Ready per endpoints postgres-service (postgres-0) (broken)'), JSON.stringify(d.evidence));
  assert.not.match(JSON.stringify(d), /no pods match/);
});

test.run();
