import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import { CliError } from '../../src/errors';
import { backendWorld, container, crashLooping, event, status, waitingStatus, worldSnapshot } from './fixtures';

test('a healthy sidecar beside a crashing app: the app is the focus', () => {
  const w = backendWorld({
    containers: [container('log-shipper', { image: 'fluent-bit:3' }), container()],
    statuses: [status('log-shipper'), crashLooping('backend', { exitCode: 137, reason: 'OOMKilled' })],
  });
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.is(d.container, 'backend');
  assert.is(d.cause, 'oom');
  assert.match(d.fix!.command, / --container backend --memory 1Gi$/, 'two containers: the fix names its container');
});

test('a failing init container is the focus, with its own events', () => {
  const w = backendWorld({
    pod: {
      initContainers: [container('migrate', { image: 'dhakacart/migrate:v9' })],
      initStatuses: [waitingStatus('migrate', 'ErrImagePull', 'rpc error: manifest unknown')],
      statuses: [waitingStatus('backend', 'PodInitializing')],
      phase: 'Pending',
    },
  });
  const s = worldSnapshot(w, { events: [event(w.pod, { reason: 'Failed', message: 'Failed to pull image "dhakacart/migrate:v9": manifest unknown', container: 'migrate', init: true })] });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.container, 'migrate');
  assert.is(d.cause, 'image');
  assert.match(d.summary, /init container migrate cannot be pulled: the tag or repository does not exist/);
  assert.ok(d.evidence.some((e) => e.source === 'event' && /migrate:v9/.test(e.detail)));
});

test('an init container that exits non-zero is a crash of that init container', () => {
  const w = backendWorld({
    pod: {
      initContainers: [container('migrate')],
      initStatuses: [crashLooping('migrate', { exitCode: 2 })],
      statuses: [waitingStatus('backend', 'PodInitializing')],
      phase: 'Pending',
    },
  });
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.is(d.container, 'migrate');
  assert.is(d.cause, 'crash');
  assert.match(d.summary, /init container migrate exits with code 2/);
});

test('events of another container do not leak into the focus', () => {
  const w = backendWorld({
    containers: [container('log-shipper'), container()],
    statuses: [status('log-shipper'), crashLooping('backend', { exitCode: 1 })],
  });
  const s = worldSnapshot(w, { events: [event(w.pod, { reason: 'Killing', type: 'Normal', message: 'Container log-shipper failed liveness probe, will be restarted', container: 'log-shipper' })] });
  assert.is(diagnosePod(s, w.pod.metadata.name).cause, 'crash');
});

test('--container naming no container is a usage error', () => {
  const w = backendWorld();
  try {
    diagnosePod(worldSnapshot(w), w.pod.metadata.name, { container: 'nope' });
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, CliError);
    assert.is((e as CliError).kind, 'usage');
  }
});

test.run();
