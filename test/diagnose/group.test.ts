import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod, diagnoseUnhealthy, groupDiagnoses } from '../../src/diagnose/index';
import { backendWorld, crashLooping, pod, status, worldSnapshot } from './fixtures';

test('pods failing the same way group into one; healthy and completed pods are left out', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 137, reason: 'OOMKilled' })] });
  const twin = structuredClone(w.pod);
  twin.metadata.name = 'dhakacart-backend-h7-fghij';
  const healthy = pod({ name: 'dhakacart-backend-h7-ok123', owner: w.rs, statuses: [status('backend')] });
  const other = structuredClone(w.pod);
  other.metadata.name = 'dhakacart-backend-h7-other';
  other.status!.containerStatuses = [crashLooping('backend', { exitCode: 1 })];
  const job = pod({ name: 'migrate-job-x', phase: 'Succeeded', statuses: [{ name: 'backend', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
  const s = worldSnapshot(w, { pods: [w.pod, twin, healthy, other, job] });

  const ds = diagnoseUnhealthy(s);
  assert.equal(ds.map((d) => d.pod), [w.pod.metadata.name, twin.metadata.name, other.metadata.name]);
  const groups = groupDiagnoses(ds);
  assert.is(groups.length, 2);
  assert.equal(groups[0]!.pods, ['dhakacart-backend-h7-abcde', 'dhakacart-backend-h7-fghij']);
  assert.is(groups[0]!.cause, 'oom');
  assert.is(groups[1]!.cause, 'crash');
});

test('a healthy pod is healthy, confirmed, no fix', () => {
  const w = backendWorld();
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.is(d.cause, 'healthy');
  assert.is(d.confidence, 'confirmed');
  assert.is(d.fix, null);
  assert.is(d.escalate, null);
});

test('a pod not in the snapshot is unknown', () => {
  const d = diagnosePod(worldSnapshot(backendWorld()), 'nope');
  assert.is(d.cause, 'unknown');
  assert.match(d.summary, /not in the snapshot/);
});

test.run();
