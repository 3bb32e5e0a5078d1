import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import { backendWorld, event, secretRef, waitingStatus, worldSnapshot } from './fixtures';

test('tag not found: image confirmed, the registry reason, back to the previous revision image', () => {
  const msg = 'failed to pull and unpack image "docker.io/dhakacart/backend:v1.4.3": docker.io/dhakacart/backend:v1.4.3: not found';
  const w = backendWorld({ statuses: [waitingStatus('backend', 'ImagePullBackOff', 'Back-off pulling image "dhakacart/backend:v1.4.3"')] });
  const s = worldSnapshot(w, {
    events: [
      event(w.pod, { reason: 'Failed', message: `Failed to pull image "dhakacart/backend:v1.4.3": ${msg}`, container: 'backend', count: 4 }),
      event(w.pod, { reason: 'Failed', message: 'Error: ErrImagePull', container: 'backend', count: 4 }),
      event(w.pod, { reason: 'BackOff', type: 'Normal', message: 'Back-off pulling image "dhakacart/backend:v1.4.3"', container: 'backend', count: 7 }),
    ],
  });
  const d = diagnosePod(s, w.pod.metadata.name);
  assert.is(d.cause, 'image');
  assert.is(d.confidence, 'confirmed');
  assert.match(d.summary, /dhakacart\/backend:v1\.4\.3 .* cannot be pulled: the tag or repository does not exist \(ImagePullBackOff\)/);
  assert.ok(d.evidence.some((e) => e.source === 'event' && /^Failed \(x4 over/.test(e.detail) && /not found/.test(e.detail)));
  assert.is(d.fix?.command, 'kubectl dhakacart fix image deployment/dhakacart-backend -n dhakacart --to dhakacart/backend:v1.4.1');
  assert.equal(d.fix?.kubectl, ['kubectl set image deployment/dhakacart-backend backend=dhakacart/backend:v1.4.1 -n dhakacart']);
});

test('unauthorized with an imagePullSecret that does not exist: says so, fix creates it (no values)', () => {
  const w = backendWorld({
    statuses: [waitingStatus('backend', 'ErrImagePull', 'failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized')],
    pod: { imagePullSecrets: ['regcred'] },
  });
  const d = diagnosePod(worldSnapshot(w, { references: [secretRef('regcred', null, false)] }), w.pod.metadata.name);
  assert.is(d.cause, 'image');
  assert.match(d.summary, /refused access/);
  assert.match(d.summary, /imagePullSecret regcred named by the pod does not exist/);
  assert.ok(d.evidence.some((e) => e.source === 'secret' && e.detail === 'imagePullSecret regcred does NOT exist'));
  assert.match(d.fix!.command, /^# create the missing imagePullSecret/);
  assert.equal(d.fix!.kubectl, ['kubectl create secret docker-registry regcred -n dhakacart --docker-server=https://index.docker.io/v1/ --docker-username=USER --docker-password=PASSWORD']);
});

test('InvalidImageName', () => {
  const w = backendWorld({ statuses: [waitingStatus('backend', 'InvalidImageName', 'Failed to apply default image tag "dhakacart/Backend:v1": couldn\'t parse image name')] });
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.is(d.cause, 'image');
  assert.match(d.summary, /the image name is invalid/);
});

test.run();
