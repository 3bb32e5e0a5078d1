import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import { parseMissing } from '../../src/diagnose/references';
import { backendWorld, container, crashLooping, event, logs, secretRef, waitingStatus, worldSnapshot } from './fixtures';

const withSecretEnv = container('backend', { env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'DB_PASSWORD' } } }] });

test('parseMissing reads both spellings and the missing key', () => {
  assert.equal(parseMissing('secret "db-credentials" not found'), { kind: 'Secret', name: 'db-credentials', key: null });
  assert.equal(parseMissing('Error: secrets "db-credentials" not found'), { kind: 'Secret', name: 'db-credentials', key: null });
  assert.equal(parseMissing('configmap "app-cfg" not found'), { kind: 'ConfigMap', name: 'app-cfg', key: null });
  assert.equal(parseMissing('configmaps "app-cfg" not found'), { kind: 'ConfigMap', name: 'app-cfg', key: null });
  assert.equal(parseMissing("couldn't find key DB_PASSWORD in Secret dhakacart/db-credentials"), { kind: 'Secret', name: 'db-credentials', key: 'DB_PASSWORD' });
  assert.equal(parseMissing("couldn't find key LOG_LEVEL in ConfigMap dhakacart/app-cfg"), { kind: 'ConfigMap', name: 'app-cfg', key: 'LOG_LEVEL' });
});

test('missing key: config confirmed, the key names (never values) as evidence', () => {
  const w = backendWorld({ containers: [withSecretEnv], statuses: [waitingStatus('backend', 'CreateContainerConfigError', "couldn't find key DB_PASSWORD in Secret dhakacart/db-credentials")] });
  const s = worldSnapshot(w, { references: [secretRef('db-credentials', ['DB_HOST', 'DB_USER'])] });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'config');
  assert.is(d.confidence, 'confirmed');
  assert.match(d.summary, /Secret db-credentials has no key DB_PASSWORD \(CreateContainerConfigError\)/);
  assert.ok(d.evidence.some((e) => e.source === 'secret' && /exists but has no key DB_PASSWORD \(keys: DB_HOST, DB_USER\)/.test(e.detail)));
  assert.match(d.fix!.command, /^# add key DB_PASSWORD to Secret db-credentials/);
  assert.equal(d.fix!.kubectl, [`kubectl patch secret db-credentials -n dhakacart --type merge -p '{"stringData":{"DB_PASSWORD":"VALUE"}}'`]);
});

test('secret not found, plural spelling from the Failed event when the waiting message is absent', () => {
  const w = backendWorld({ containers: [withSecretEnv], statuses: [waitingStatus('backend', 'CreateContainerConfigError')] });
  const s = worldSnapshot(w, {
    events: [event(w.pod, { reason: 'Failed', message: 'Error: secrets "db-credentials" not found', container: 'backend', count: 5 })],
    references: [secretRef('db-credentials', null, false)],
  });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'config');
  assert.match(d.summary, /Secret db-credentials does not exist/);
});

test('configmap volume not found: FailedMount while ContainerCreating', () => {
  const w = backendWorld({ statuses: [waitingStatus('backend', 'ContainerCreating')], pod: { volumes: [{ name: 'cfg', configMap: { name: 'app-cfg' } }], phase: 'Pending' } });
  const s = worldSnapshot(w, { events: [event(w.pod, { reason: 'FailedMount', message: 'MountVolume.SetUp failed for volume "cfg" : configmap "app-cfg" not found', count: 6 })] });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'config');
  assert.is(d.confidence, 'confirmed');
  assert.match(d.summary, /ConfigMap app-cfg does not exist \(FailedMount\)/);
});

test('an app that exits naming a missing setting is config, likely; a fresh revision means rollback', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })], rolledOutAgo: 600 });
  const s = worldSnapshot(w, {
    events: [event(w.pod, { reason: 'BackOff', message: 'Back-off restarting failed container backend in pod x', container: 'backend', count: 5, firstAgo: 420 })],
    logs: { [w.pod.metadata.name]: { backend: logs('Starting DhakaCart API\nError: Missing required environment variable: JWT_SECRET\n', '') } },
  });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'config');
  assert.is(d.confidence, 'likely');
  assert.match(d.summary, /Missing required environment variable: JWT_SECRET/);
  assert.is(d.fix?.command, 'kubectl dhakacart rollback deployment/dhakacart-backend -n dhakacart');
  assert.equal(d.fix?.kubectl, ['kubectl rollout undo deployment/dhakacart-backend -n dhakacart']);
});

test.run();
