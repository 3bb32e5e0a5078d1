import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import { backendWorld, container, crashLooping, dbService, event, logs, status, worldSnapshot } from './fixtures';

const liveness = { httpGet: { path: '/health', port: 5000 }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 };

test('Killing events (type Normal) confirm a liveness restart; evidence reads like describe', () => {
  const w = backendWorld({ containers: [container('backend', { livenessProbe: liveness })], statuses: [crashLooping('backend', { exitCode: 143 })] });
  const s = worldSnapshot(w, {
    events: [event(w.pod, { reason: 'Killing', type: 'Normal', message: 'Container backend failed liveness probe, will be restarted', container: 'backend', count: 3, firstAgo: 600, lastAgo: 30 })],
  });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'probe');
  assert.is(d.confidence, 'confirmed');
  assert.equal(d.evidence[0], { source: 'event', detail: 'Killing (x3 over 10m): Container backend failed liveness probe, will be restarted', at: '2025-06-01T11:59:30.000Z' });
  assert.is(d.fix?.command, 'kubectl dhakacart fix probe deployment/dhakacart-backend -n dhakacart');
  assert.match(d.fix!.kubectl[0]!, /"livenessProbe":\{"initialDelaySeconds":60,"timeoutSeconds":10\}/);
});

test('a probe too tight for the logged start-up time is likely, with the numbers and a delay that fits', () => {
  const w = backendWorld({ containers: [container('backend', { livenessProbe: liveness })], statuses: [crashLooping('backend', { exitCode: 137, ranFor: 41 })] });
  const s = worldSnapshot(w, { logs: { [w.pod.metadata.name]: { backend: logs('loading catalogue\nServer started in 75.2s\n', 'loading catalogue') } } });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'probe');
  assert.is(d.confidence, 'likely');
  assert.match(d.summary, /needs ~75s to start but the liveness probe gives up after 40s \(initialDelaySeconds 10 \+ failureThreshold 3 × periodSeconds 10\)/);
  assert.match(d.fix!.command, /--initial-delay 100$/);
});

test('start-up time seen on a healthy sibling pod counts too', () => {
  const w = backendWorld({ containers: [container('backend', { livenessProbe: liveness })], statuses: [crashLooping('backend', { exitCode: 137 })] });
  const sibling = structuredClone(w.pod);
  sibling.metadata.name = 'dhakacart-backend-h7-fghij';
  sibling.status!.containerStatuses = [status('backend', { state: { running: { startedAt: '2025-06-01T10:00:00Z' } } })];
  sibling.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-06-01T10:01:30Z' }];
  const d = diagnosePod(worldSnapshot(w, { pods: [w.pod, sibling] }), w.pod.metadata.name);
  assert.is(d.cause, 'probe');
  assert.ok(d.evidence.some((e) => /became Ready 90s after its container started/.test(e.detail)));
});

test('readiness failing because the database is down: db outranks the probe symptom', () => {
  const w = backendWorld({ containers: [container('backend', { env: [{ name: 'DB_HOST', value: 'postgres-service' }] })], statuses: [status('backend', { ready: false })] });
  const s = worldSnapshot(w, {
    events: [event(w.pod, { reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', container: 'backend', count: 20 })],
    services: [dbService({ ready: 0 })],
  });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'db');
  assert.ok(d.evidence.some((e) => /Readiness probe failed/.test(e.detail)), 'the probe symptom stays as secondary evidence');
});

test('readiness alone is probe with no fix (relaxing liveness would not help)', () => {
  const w = backendWorld({ statuses: [status('backend', { ready: false })] });
  const s = worldSnapshot(w, { events: [event(w.pod, { reason: 'Unhealthy', message: 'Readiness probe failed: Get "http://10.1.2.3:5000/health": context deadline exceeded', container: 'backend' })] });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'probe');
  assert.is(d.fix, null);
});

test.run();
