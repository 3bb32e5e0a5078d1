import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import { container, crashLooping, pod, snapshot, statefulSet } from './fixtures';

test('a StatefulSet pod: owner statefulset/NAME, kubectl fixes name it, no plugin command pretends', () => {
  const sts = statefulSet('postgres', [container('postgres', { image: 'postgres:16', resources: { limits: { memory: '2Gi' } } })]);
  const p = pod({ name: 'postgres-0', owner: sts, statuses: [crashLooping('postgres', { exitCode: 137, reason: 'OOMKilled' })] });
  const d = diagnosePod(snapshot({ pods: [p], statefulSets: [sts] }), 'postgres-0');
  assert.is(d.owner, 'statefulset/postgres');
  assert.is(d.cause, 'oom');
  assert.match(d.fix!.command, /^# kubectl dhakacart fix oom changes Deployments only; for statefulset\/postgres run the kubectl commands/);
  assert.match(d.fix!.kubectl[0]!, /^kubectl patch statefulset postgres -n dhakacart --type strategic -p '.*"memory":"4Gi"/);
});

test('a StatefulSet not in the snapshot: still named, no fix invented', () => {
  const sts = statefulSet('postgres');
  const p = pod({ name: 'postgres-0', owner: sts, statuses: [crashLooping('postgres', { exitCode: 137, reason: 'OOMKilled' })] });
  const d = diagnosePod(snapshot({ pods: [p] }), 'postgres-0');
  assert.is(d.owner, 'statefulset/postgres');
  assert.is(d.fix, null);
});

test.run();
