import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import { backendWorld, event, waitingStatus, worldSnapshot } from './fixtures';

test('evicted: confirmed from status.reason, with the message; memory → fix oom', () => {
  const message = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 87Mi. Container backend was using 600Mi, request is 256Mi, has larger consumption of memory. ';
  const w = backendWorld({ pod: { phase: 'Failed', reason: 'Evicted', message, statuses: [] } });
  const s = worldSnapshot(w, { events: [event(w.pod, { reason: 'Evicted', message })] });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'evicted');
  assert.is(d.confidence, 'confirmed');
  assert.match(d.summary, /evicted from node worker-1 because the node ran low on memory/);
  assert.match(d.fix!.command, /^kubectl dhakacart fix oom deployment\/dhakacart-backend/);
});

test('pending with a new-style FailedScheduling event (null timestamps, no count): unschedulable', () => {
  const msg = '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
  const w = backendWorld({ pod: { phase: 'Pending', node: null, statuses: [], conditions: [] } });
  const s = worldSnapshot(w, { events: [event(w.pod, { reason: 'FailedScheduling', message: msg, newStyle: true, lastAgo: 120 })] });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'unschedulable');
  assert.is(d.confidence, 'confirmed');
  assert.is(d.container, null);
  assert.match(d.summary, /3 Insufficient memory/);
  const ev = d.evidence.find((e) => e.source === 'event')!;
  assert.is(ev.at, '2025-06-01T11:58:00.000Z', 'eventTime stands in for lastTimestamp');
  assert.match(ev.detail, /^FailedScheduling: 0\/3 nodes/);
  assert.is(d.fix, null);
  assert.match(d.escalate ?? '', /Infrastructure Team: .*no node has room/);
});

test('new-style event with a series counts like describe', () => {
  const w = backendWorld({ pod: { phase: 'Pending', node: null, statuses: [], conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: db}.' }] } });
  const s = worldSnapshot(w, { events: [event(w.pod, { reason: 'FailedScheduling', message: 'x', newStyle: true, count: 4 })] });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.match(d.summary, /untolerated taint/);
  assert.ok(d.evidence.some((e) => /^FailedScheduling \(x4/.test(e.detail)));
});

test('a benign ContainerCreating with nothing wrong yet is unknown, saying what was looked at', () => {
  const w = backendWorld({ pod: { phase: 'Pending', statuses: [waitingStatus('backend', 'ContainerCreating')] } });
  const d = diagnosePod(worldSnapshot(w, { gaps: [{ what: 'pod metrics', reason: 'not served', piece: 'metrics' }] }), w.pod.metadata.name);
  assert.is(d.cause, 'unknown');
  assert.is(d.confidence, 'unknown');
  assert.match(d.summary, /Looked at: container states, 0 events/);
  assert.ok(d.evidence.some((e) => e.detail === 'not looked at: pod metrics (not served)'));
});

test.run();
