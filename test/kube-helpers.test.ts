// The small facts every layer shares, each computed in one place.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { paths } from '../src/cluster/paths';
import { endpointAddresses } from '../src/kube/endpoints';
import { isPodReady } from '../src/kube/podState';
import { matchesLabels } from '../src/kube/selector';
import type { Pod } from '../src/kube/types';
import { shellQuote } from '../src/kube/shell';

test('shellQuote leaves plain words bare and quotes the rest so a shell reads them back', () => {
  assert.is(shellQuote('deployment/dhakacart-backend'), 'deployment/dhakacart-backend');
  assert.is(shellQuote('--memory=2Gi'), '--memory=2Gi');
  assert.is(shellQuote(''), `''`);
  assert.is(shellQuote('a b'), `'a b'`);
  assert.is(shellQuote(`it's`), `'it'\\''s'`);
  assert.is(shellQuote('{"spec":{}}'), `'{"spec":{}}'`);
  assert.is(shellQuote('$(rm -rf /)'), `'$(rm -rf /)'`);
});

test('endpointAddresses counts ready and not-ready addresses over every subset', () => {
  const ep = { metadata: { name: 'db' }, subsets: [{ addresses: [{ ip: '1' }], notReadyAddresses: [{ ip: '2' }] }, { addresses: [{ ip: '3' }] }] };
  const a = endpointAddresses(ep);
  assert.equal([a.ready.map((x) => x.ip), a.notReady.map((x) => x.ip)], [['1', '3'], ['2']]);
  assert.equal(endpointAddresses(null), { ready: [], notReady: [] });
  assert.equal(endpointAddresses({ metadata: { name: 'x' } }), { ready: [], notReady: [] });
});

test('isPodReady reads the Ready condition only', () => {
  const pod = (conditions: { type: string; status: string }[]) => ({ metadata: { name: 'p' }, spec: { containers: [] }, status: { conditions } }) as unknown as Pod;
  assert.is(isPodReady(pod([{ type: 'Ready', status: 'True' }])), true);
  assert.is(isPodReady(pod([{ type: 'Ready', status: 'False' }, { type: 'ContainersReady', status: 'True' }])), false);
  assert.is(isPodReady(pod([])), false);
});

test('matchesLabels: every selector key present with its value; an empty selector matches all', () => {
  assert.is(matchesLabels({ app: 'postgres' }, { app: 'postgres', tier: 'db' }), true);
  assert.is(matchesLabels({ app: 'postgres', tier: 'db' }, { app: 'postgres' }), false);
  assert.is(matchesLabels({ app: 'postgres' }, undefined), false);
  assert.is(matchesLabels({}, undefined), true);
});

test('paths encode every name and namespace; null is the cluster-wide collection', () => {
  assert.is(paths.pods(null), '/api/v1/pods');
  assert.is(paths.deployments('a b'), '/apis/apps/v1/namespaces/a%20b/deployments');
  assert.is(paths.podProxy('dhakacart', 'web-1', 8080, '/healthz'), '/api/v1/namespaces/dhakacart/pods/web-1%3A8080/proxy/healthz');
  assert.is(paths.keyed('ns', 'Secret', 'db/creds'), '/api/v1/namespaces/ns/secrets/db%2Fcreds');
  assert.is(paths.newEvents('ns'), '/apis/events.k8s.io/v1/namespaces/ns/events');
});

test.run();
