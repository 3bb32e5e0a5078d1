// kubernetes.io/change-cause is readable by anyone who can read the Deployment: no credential
// or local path may end up there.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commandLine } from '../src/change/cause';

test('connection flags and their values are left out, in both spellings', () => {
  const argv = ['fix', 'oom', 'pod-1', '--token', 's3cr3t', '--kubeconfig=/home/me/.kube/prod', '-s', 'https://x:6443',
    '--as', 'admin', '--as-group=ops', '--insecure-skip-tls-verify', '--debug', '--certificate-authority', '/ca.pem', '--yes', '--memory', '2Gi'];
  assert.is(commandLine(argv), 'kubectl dhakacart fix oom pod-1 --yes --memory 2Gi');
});

test('other arguments are kept and quoted for a shell', () => {
  assert.is(commandLine(['emergency', 'stop', '-n', 'shop', '--context', 'prod']), 'kubectl dhakacart emergency stop -n shop --context prod');
  assert.is(commandLine(['fix', 'image', '--to', "it's"]), `kubectl dhakacart fix image --to 'it'\\''s'`);
});

test.run();
