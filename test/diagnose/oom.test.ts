import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import { backendWorld, container, crashLooping, event, nodeEvent, worldSnapshot } from './fixtures';

test('OOMKilled in lastState is oom, confirmed, with the limit and a fix to max(1Gi, 2x)', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 137, reason: 'OOMKilled' }, 5)] });
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.is(d.cause, 'oom');
  assert.is(d.confidence, 'confirmed');
  assert.is(d.container, 'backend');
  assert.match(d.summary, /OOMKilled \(exit 137\) at its 512Mi memory limit; restarted 5 times/);
  assert.ok(d.evidence.some((e) => e.source === 'status' && /OOMKilled/.test(e.detail) && e.at !== null));
  assert.is(d.fix?.command, 'kubectl dhakacart fix oom deployment/dhakacart-backend -n dhakacart --memory 1Gi');
  assert.match(d.fix!.kubectl[0]!, /^kubectl patch deployment dhakacart-backend -n dhakacart --type strategic -p '\{"spec".*"memory":"1Gi"/);
});

test('a 1Gi limit doubles to 2Gi', () => {
  const c = container('backend', { resources: { limits: { memory: '1Gi' } } });
  const w = backendWorld({ containers: [c], statuses: [crashLooping('backend', { exitCode: 137, reason: 'OOMKilled' })] });
  assert.match(diagnosePod(worldSnapshot(w), w.pod.metadata.name).fix!.command, /--memory 2Gi$/);
});

test('137 after a liveness kill is probe, not oom, and the evidence says why', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 137, reason: 'Error' })] });
  const s = worldSnapshot(w, {
    events: [
      event(w.pod, { reason: 'Unhealthy', message: 'Liveness probe failed: HTTP probe failed with statuscode: 500', container: 'backend', count: 9, firstAgo: 600 }),
      event(w.pod, { reason: 'Killing', type: 'Normal', message: 'Container backend failed liveness probe, will be restarted', container: 'backend', count: 3, firstAgo: 600, lastAgo: 40 }),
    ],
  });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'probe');
  assert.is(d.confidence, 'confirmed');
  assert.ok(d.evidence.some((e) => /not an OOM kill/.test(e.detail)));
});

test('137 alone is not oom: crash, likely, the signal decoded', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 137, reason: 'Error' })] });
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.is(d.cause, 'crash');
  assert.is(d.confidence, 'likely');
  assert.match(d.summary, /SIGKILL/);
  assert.match(d.summary, /neither OOMKilled nor a probe kill is recorded/);
});

test('137 with a node SystemOOM is oom, likely, and escalates to the Infrastructure Team', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 137, reason: 'Error' })] });
  const s = worldSnapshot(w, { nodeEvents: [nodeEvent('worker-1', 'SystemOOM', 'System OOM encountered, victim process: node, pid: 4242')] });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'oom');
  assert.is(d.confidence, 'likely');
  assert.ok(d.evidence.some((e) => e.source === 'node' && /SystemOOM/.test(e.detail)));
  assert.match(d.escalate ?? '', /^Escalate to Infrastructure Team: /);
});

test('memory use at the limit (metrics) with 137 is oom, likely', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 137, reason: 'Error' })] });
  const s = worldSnapshot(w, { metrics: [{ metadata: { name: w.pod.metadata.name }, timestamp: '2025-06-01T11:59:00Z', containers: [{ name: 'backend', usage: { memory: '520000Ki', cpu: '100m' } }] }] });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'oom');
  assert.ok(d.evidence.some((e) => /99% of its 512Mi limit/.test(e.detail)));
});

test.run();
