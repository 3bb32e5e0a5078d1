import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import { backendWorld, container, crashLooping, dbService, logs, secretRef, worldSnapshot } from './fixtures';

const backend = container('backend', {
  env: [
    { name: 'DB_HOST', value: 'postgres-service' }, { name: 'DB_PORT', value: '5432' },
    { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'DB_PASSWORD' } } },
  ],
});

test('ECONNREFUSED to DB_HOST:DB_PORT and a Service without ready endpoints: db, likely, facts stated as facts', () => {
  const w = backendWorld({ containers: [backend], statuses: [crashLooping('backend', { exitCode: 1 })] });
  const log = 'Connecting to postgres://app:s3cret@postgres-service:5432/dhakacart\nError: connect ECONNREFUSED 10.96.14.2:5432\n    at TCPConnectWrapper.afterConnect\n';
  const s = worldSnapshot(w, {
    services: [dbService({ ready: 0 })],
    references: [secretRef('db-credentials', ['DB_PASSWORD'])],
    logs: { [w.pod.metadata.name]: { backend: logs(log) } },
  });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'db');
  assert.is(d.confidence, 'likely');
  assert.match(d.summary, /postgres-service:5432: connection refused; endpoints postgres-service: 0 ready, 1 not ready/);
  assert.ok(d.evidence.some((e) => e.source === 'log' && /ECONNREFUSED 10\.96\.14\.2:5432/.test(e.detail)));
  assert.ok(d.evidence.some((e) => e.source === 'service' && e.detail === 'fact: endpoints postgres-service: 0 ready, 1 not ready (broken)'));
  assert.not.ok(JSON.stringify(d).includes('s3cret'), 'no password from the log');
  assert.is(d.fix?.command, 'kubectl dhakacart fix db deployment/dhakacart-backend -n dhakacart');
  assert.is(d.fix?.kubectl.at(-1), 'kubectl rollout restart deployment/dhakacart-backend -n dhakacart');
});

test('password authentication failed is db even with the path up', () => {
  const w = backendWorld({ containers: [backend], statuses: [crashLooping('backend', { exitCode: 1 })] });
  const s = worldSnapshot(w, {
    services: [dbService({ ready: 1 })],
    logs: { [w.pod.metadata.name]: { backend: logs('error: password authentication failed for user "app"\n') } },
  });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'db');
  assert.match(d.summary, /the database rejects the credentials/);
});

test('a missing database Service with a crashing app is db even without log lines', () => {
  const w = backendWorld({ containers: [backend], statuses: [crashLooping('backend', { exitCode: 1 })] });
  const d = diagnosePod(worldSnapshot(w, { services: [dbService({ exists: false })] }), w.pod.metadata.name);
  assert.is(d.cause, 'db');
  assert.match(d.summary, /DB_HOST=postgres-service names no Service/);
});

test('ECONNREFUSED to something that is not the database is not db', () => {
  const w = backendWorld({ containers: [backend], statuses: [crashLooping('backend', { exitCode: 1 })] });
  const s = worldSnapshot(w, { services: [dbService()], logs: { [w.pod.metadata.name]: { backend: logs('Error: connect ECONNREFUSED 10.96.0.20:6379 (redis)\n') } } });
  assert.is(diagnosePod(s, w.pod.metadata.name).cause, 'crash');
});

test.run();
