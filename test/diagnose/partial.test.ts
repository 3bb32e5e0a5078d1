// Confidence capped by what could not be read: rankWithGaps on its own, then through diagnosePod.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import type { Finding } from '../../src/diagnose/finding';
import { rankWithGaps, type Possible } from '../../src/diagnose/rank';
import type { Gap } from '../../src/cluster/snapshot';
import { backendWorld, container, crashLooping, dbService, event, logs, worldSnapshot } from './fixtures';

const f = (cause: Finding['cause'], confidence: Finding['confidence'], rank?: Finding['rank']): Finding =>
  ({ cause, confidence, summary: `${cause} summary.`, evidence: [], ...(rank ? { rank } : {}), remedy: () => null });
const gap = (what: string, piece: Gap['piece'], key?: string): Gap => ({ what, reason: 'forbidden', request: `GET /${what}`, piece, ...(key ? { key } : {}) });
const could = (cause: Finding['cause'], confidence: Finding['confidence'], what: string, rank?: Finding['rank']): Possible =>
  ({ cause, confidence, ...(rank ? { rank } : {}), gaps: [gap(what, 'events')] });

test('nothing missing: the ranking is the plain one', () => {
  const v = rankWithGaps([f('crash', 'confirmed'), f('probe', 'confirmed')], []);
  assert.equal(v.findings.map((x) => [x.cause, x.confidence]), [['probe', 'confirmed'], ['crash', 'confirmed']]);
  assert.equal(v.doubts, []);
  assert.is(v.cannotTell, false);
});

test('a missing piece that could not outrank the verdict changes nothing', () => {
  // OOMKilled is the kernel's word; a database finding from the unread log ranks below it.
  const v = rankWithGaps([f('oom', 'confirmed')], [could('db', 'likely', 'log', 'strong')]);
  assert.equal(v.findings.map((x) => [x.cause, x.confidence]), [['oom', 'confirmed']]);
  assert.equal(v.doubts, []);
});

test('a confirmed verdict another cause could have outranked is capped at likely, and the capped findings re-rank', () => {
  // endpoints unread: a strong db finding could have beaten the probe; the log's db finding then leads.
  const v = rankWithGaps([f('probe', 'confirmed'), f('db', 'likely')], [could('db', 'likely', 'endpoints', 'strong')]);
  assert.equal(v.findings.map((x) => [x.cause, x.confidence]), [['db', 'likely'], ['probe', 'likely']]);
  assert.is(v.cannotTell, false);
});

test('a strong finding that is contested loses its strong rank with its confidence', () => {
  const v = rankWithGaps([f('db', 'likely', 'strong')], [could('config', 'confirmed', 'events')]);
  assert.is(v.findings[0]!.rank, undefined);
  assert.is(v.findings[0]!.confidence, 'likely');
});

test('evidence that could only make the same cause stronger is a doubt, not a cap', () => {
  const v = rankWithGaps([f('probe', 'likely')], [could('probe', 'confirmed', 'events')]);
  assert.equal(v.findings.map((x) => [x.cause, x.confidence]), [['probe', 'likely']]);
  assert.is(v.doubts.length, 1);
  assert.is(v.cannotTell, false);
});

test('another cause that could have weighed more than the verdict: cannot tell', () => {
  assert.is(rankWithGaps([f('oom', 'likely')], [could('probe', 'confirmed', 'events')]).cannotTell, true);
  // crash describes the symptom only: any other cause the missing piece could show would beat it.
  const crash = rankWithGaps([f('crash', 'confirmed')], [could('oom', 'likely', 'log')]);
  assert.is(crash.findings[0]!.confidence, 'likely');
  assert.is(crash.cannotTell, true);
  // A tie broken by specificity lowers the confidence but keeps the cause.
  const tie = rankWithGaps([f('probe', 'confirmed')], [could('db', 'likely', 'log', 'strong')]);
  assert.equal([tie.findings[0]!.cause, tie.findings[0]!.confidence, tie.cannotTell], ['probe', 'likely', false]);
});

const liveness = container('backend', { livenessProbe: { httpGet: { path: '/health', port: 5000 }, periodSeconds: 10, failureThreshold: 3 } });

test('events unreadable: a SIGKILLed container with a liveness probe is not called a confirmed crash, and the summary says why', () => {
  const w = backendWorld({ containers: [liveness], statuses: [crashLooping('backend', { exitCode: 137 })] });
  const clean = diagnosePod(worldSnapshot(w, {
    events: [event(w.pod, { reason: 'Killing', message: 'Container backend failed liveness probe, will be restarted', container: 'backend', count: 4 })],
  }), w.pod.metadata.name);
  assert.equal([clean.cause, clean.confidence], ['probe', 'confirmed']);
  const d = diagnosePod(worldSnapshot(w, { gaps: [gap('events', 'events')] }), w.pod.metadata.name);
  assert.is(d.cause, 'unknown', d.summary);
  assert.match(d.summary, /Not checked: events \(forbidden\), which could show probe/);
  assert.equal(d.notLookedAt, [{ what: 'events', reason: 'forbidden', request: 'GET /events' }]);
  assert.is(d.fix, null, 'no remedy for a cause that is not known');
});

test('logs unreadable: a log-based cause is never confirmed; the previous run is named', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  const clean = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.equal([clean.cause, clean.confidence], ['crash', 'confirmed']);
  const s = worldSnapshot(w, { gaps: [gap('log of backend (previous)', 'logs', `${w.pod.metadata.name}/backend`)] });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.not.equal(d.confidence, 'confirmed');
  assert.match(d.summary, /log of backend \(previous\) \(forbidden\)/);
});

test("another pod's unreadable log does not touch this pod's verdict", () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  const d = diagnosePod(worldSnapshot(w, { gaps: [gap('log of other/backend (previous)', 'logs', 'other/backend')] }), w.pod.metadata.name);
  assert.equal([d.cause, d.confidence, d.notLookedAt], ['crash', 'confirmed', []]);
});

const withDb = container('backend', { env: [{ name: 'DB_HOST', value: 'postgres-service' }, { name: 'DB_PORT', value: '5432' }] });

test('a Service that could not be read is unknown, not missing: db is not concluded from it', () => {
  const w = backendWorld({ containers: [withDb], statuses: [crashLooping('backend', { exitCode: 1 })] });
  const unread = { ...dbService({ exists: false }) };
  const missing = diagnosePod(worldSnapshot(w, { services: [unread] }), w.pod.metadata.name);
  assert.is(missing.cause, 'db', 'a 404: DB_HOST names no Service');
  assert.match(missing.summary, /DB_HOST=postgres-service names no Service/);
  const d = diagnosePod(worldSnapshot(w, {
    services: [unread],
    gaps: [gap('service postgres-service', 'service', 'postgres-service'), gap('endpoints postgres-service', 'endpoints', 'postgres-service')],
  }), w.pod.metadata.name);
  assert.not.equal(d.cause, 'db', d.summary);
  assert.not.match(d.summary, /names no Service/);
  assert.match(d.summary, /service postgres-service \(forbidden\)/);
});

test('the database log still speaks when the Service could not be read; the unread checks are said, not broken', () => {
  const w = backendWorld({ containers: [withDb], statuses: [crashLooping('backend', { exitCode: 1 })] });
  const d = diagnosePod(worldSnapshot(w, {
    services: [dbService({ exists: false })],
    logs: { [w.pod.metadata.name]: { backend: logs('Error: connect ECONNREFUSED postgres-service:5432\n') } },
    gaps: [gap('service postgres-service', 'service', 'postgres-service')],
  }), w.pod.metadata.name);
  assert.equal([d.cause, d.confidence], ['db', 'likely']);
  assert.match(d.summary, /not checked: service postgres-service/);
  assert.ok(d.evidence.some((e) => e.detail === 'fact: service postgres-service: could not be read: service postgres-service (forbidden) (unknown)'));
  assert.not.ok(d.evidence.some((e) => /\(broken\)/.test(e.detail) && /service postgres-service/.test(e.detail)));
});

test.run();
