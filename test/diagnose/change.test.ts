import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import { backendWorld, container, crashLooping, deployment, event, replicaSet, pod, worldSnapshot, snapshot } from './fixtures';

test('restarts that began shortly after a rollout name the revision and its image', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })], rolledOutAgo: 900 });
  w.rs.metadata.annotations!['kubernetes.io/change-cause'] = 'kubectl set image deployment/dhakacart-backend backend=dhakacart/backend:v1.4.3';
  const s = worldSnapshot(w, { events: [event(w.pod, { reason: 'BackOff', message: 'Back-off restarting failed container backend', container: 'backend', count: 6, firstAgo: 720 })] });
  const d = diagnosePod(s, w.pod.metadata.name);
  const ev = d.evidence.find((e) => e.source === 'deployment');
  assert.equal(ev, {
    source: 'deployment',
    detail: 'restarts began 3m after revision 7 rolled out image dhakacart/backend:v1.4.3 (revision 6 ran dhakacart/backend:v1.4.1); change-cause: kubectl set image deployment/dhakacart-backend backend=dhakacart/backend:v1.4.3',
    at: '2025-06-01T11:45:00.000Z',
  });
  assert.is(d.cause, 'crash');
  assert.is(d.fix?.command, 'kubectl dhakacart rollback deployment/dhakacart-backend -n dhakacart', 'a crash right after a rollout: go back');
});

test('a template change without a new image lists the changed paths, never values', () => {
  const withEnv = container('backend', { env: [{ name: 'DB_PASSWORD', value: 'hunter2' }] });
  const dep = deployment('dhakacart-backend', { containers: [withEnv] });
  const prev = replicaSet(dep, 6, { containers: [container()] });
  const rs = replicaSet(dep, 7, { createdAgo: 600 });
  const p = pod({ owner: rs, statuses: [crashLooping('backend', { exitCode: 1, endedAgo: 400 })] });
  const d = diagnosePod(snapshot({ pods: [p], deployments: [dep], replicaSets: [prev, rs] }), p.metadata.name);
  const ev = d.evidence.find((e) => e.source === 'deployment')!;
  assert.match(ev.detail, /^restarts began 3m20s after revision 7 rolled out a change to spec\.template\.spec\.containers\[backend\]\.env\[DB_PASSWORD\]$/);
  assert.not.ok(JSON.stringify(d).includes('hunter2'));
});

test('failures long after the rollout are not blamed on it', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })], rolledOutAgo: 86400 });
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.not.ok(d.evidence.some((e) => e.source === 'deployment'));
  assert.is(d.fix, null);
});

test.run();
