import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import { backendWorld, crashLooping, deployment, node, pod, replicaSet, worldSnapshot } from './fixtures';

test('two Deployments with failing pods: escalate to the Platform Team', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  const fe = deployment('dhakacart-frontend');
  const feRs = replicaSet(fe, 3);
  const fePod = pod({ name: 'dhakacart-frontend-h3-zzzzz', owner: feRs, statuses: [crashLooping('frontend', { exitCode: 1 })] });
  const s = worldSnapshot(w, { pods: [w.pod, fePod], deployments: [w.dep, fe], replicaSets: [w.previous, w.rs, feRs] });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.escalate, 'Escalate to Platform Team: 2 services have failing pods (deployment/dhakacart-backend, deployment/dhakacart-frontend).');
});

test('one Deployment failing on a healthy node: no escalation', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  assert.is(diagnosePod(worldSnapshot(w), w.pod.metadata.name).escalate, null);
});

test('node NotReady: escalate to the Infrastructure Team, with node evidence', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  const s = worldSnapshot(w, { nodes: [node('worker-1', [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }, { type: 'MemoryPressure', status: 'True' }])] });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.match(d.escalate ?? '', /^Escalate to Infrastructure Team: node worker-1 is NotReady \(NodeStatusUnknown\); node worker-1 has MemoryPressure/);
  assert.ok(d.evidence.some((e) => e.source === 'node' && e.detail === 'node worker-1 is NotReady (NodeStatusUnknown)'));
});

test('a rollback already tried (change-cause) escalates to the senior engineer', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  w.dep.metadata.annotations!['kubernetes.io/change-cause'] = 'kubectl rollout undo deployment/dhakacart-backend -n dhakacart';
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.match(d.escalate ?? '', /^Escalate to Senior Engineer: a rollback was already tried/);
});

test('a rollback already tried (re-used ReplicaSet with revision-history) escalates', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  w.rs.metadata.annotations!['deployment.kubernetes.io/revision-history'] = '5';
  assert.match(diagnosePod(worldSnapshot(w), w.pod.metadata.name).escalate ?? '', /re-used by a rollback/);
});

test.run();
