// Unit tests of the simulator's pure parts: patches, selectors, scenarios, the CLI.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resourceForKind } from './resources';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { listScenarios, loadScenario } from './scenario';
import { humanDuration } from '../../src/kube/duration';

test('strategic merge patch: merge keys, $patch directives, null deletes', () => {
  const doc = { spec: { containers: [{ name: 'a', image: 'x', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] }, { name: 'b', image: 'y' }] } };
  const out = strategicMergePatch(doc, { spec: { containers: [{ name: 'a', image: 'z', env: [{ name: 'B', $patch: 'delete' }, { name: 'C', value: '3' }], ports: [{ containerPort: 81 }] }, { name: 'b', image: null }] } });
  assert.equal(out, { spec: { containers: [{ name: 'a', image: 'z', env: [{ name: 'A', value: '1' }, { name: 'C', value: '3' }], ports: [{ containerPort: 80 }, { containerPort: 81 }] }, { name: 'b' }] } });
  assert.equal(strategicMergePatch({ a: { b: 1, c: 2 } }, { a: { $patch: 'replace', d: 3 } }), { a: { d: 3 } });
  assert.equal(strategicMergePatch({ l: [{ name: 'x' }, { name: 'y' }] }, { '$setElementOrder/l': [], l: [] }), { l: [] });
  assert.equal(mergePatch({ a: [1, 2], b: { c: 1 } }, { a: [3], b: { c: null, d: 2 } }), { a: [3], b: { d: 2 } });
  assert.equal(jsonPatch({ a: { b: [1, 2] } }, [{ op: 'add', path: '/a/b/-', value: 3 }, { op: 'remove', path: '/a/b/0' }, { op: 'copy', from: '/a/b', path: '/c' }]), { a: { b: [2, 3] }, c: [2, 3] });
});

test('selectors', () => {
  const sel = parseLabelSelector('app in (a,b), tier!=db, !canary, env');
  assert.ok(sel({ app: 'a', tier: 'web', env: 'prod' }));
  assert.not.ok(sel({ app: 'a', tier: 'web', env: 'prod', canary: 'y' }));
  assert.not.ok(sel({ app: 'c', env: 'prod' }));
  assert.ok(parseLabelSelector('app notin (x)')({}));
  const f = parseFieldSelector('pods', 'status.phase!=Running,spec.nodeName=n1');
  assert.ok(f({ metadata: {}, spec: { nodeName: 'n1' }, status: { phase: 'Pending' } }));
  assert.throws(() => parseFieldSelector('pods', 'reason=x'), /field label not supported: reason/);
  assert.ok(parseFieldSelector('events', 'involvedObject.kind=Pod,type=Warning')({ metadata: {}, involvedObject: { kind: 'Pod' }, type: 'Warning' }));
});

test('humanDuration matches apimachinery', () => {
  for (const [s, want] of [[5, '5s'], [119, '119s'], [125, '2m5s'], [600, '10m'], [3 * 3600 + 1, '3h'], [26 * 3600, '26h'], [3 * 86400 + 3600, '3d1h'], [10 * 86400, '10d'], [800 * 86400, '2y70d']] as const) {
    assert.is(humanDuration(s * 1000), want);
  }
});

test('every scenario loads; timestamps shift to now; uids and owner references resolve', () => {
  const names = listScenarios();
  for (const n of ['baseline', 'healthy', 'crashloop-oom', 'crashloop-probe', 'crashloop-image', 'crashloop-db', 'crashloop-config']) assert.ok(names.includes(n), n);
  const now = Date.parse('2030-01-01T00:00:00Z');
  for (const n of names) {
    const s = loadScenario(n, now);
    const pods = s.objects.filter((o) => o.kind === 'Pod');
    assert.ok(pods.length > 0, n);
    if (s.expect.pod && !s.expect.pod.includes('/')) assert.ok(pods.some((p) => p.metadata.name === s.expect.pod), `${n}: expected pod exists`);
    const uids = new Set(s.objects.map((o) => o.metadata.uid));
    // An owner of a kind the simulator does not serve (a Job) cannot be in the scenario.
    for (const o of s.objects) for (const r of o.metadata.ownerReferences ?? []) if (resourceForKind(r.apiVersion, r.kind)) assert.ok(uids.has(r.uid), `${n}: owner of ${o.kind}/${o.metadata.name}`);
    for (const o of s.objects) if (o.kind === 'Event' && o.involvedObject.kind === 'Pod' && pods.some((p) => p.metadata.name === o.involvedObject.name)) assert.ok(uids.has(o.involvedObject.uid), `${n}: event ${o.metadata.name}`);
    for (const o of s.objects) assert.ok(Date.parse(o.metadata.creationTimestamp!) <= now, `${n}: ${o.kind}/${o.metadata.name} not in the future`);
  }
  const oom = loadScenario('crashloop-oom', now);
  const pod = oom.objects.find((o) => o.metadata.name === 'dhakacart-backend-7d9f8c6b5d-x2x9k')!;
  assert.is(pod.status.containerStatuses[0].lastState.terminated.finishedAt, '2029-12-31T23:55:58Z');
  assert.is(pod.status.containerStatuses[0].state.running, undefined);
  assert.match(oom.settings.logs['dhakacart-backend-7d9f8c6b5d-x2x9k/backend']!.previous!, '2029-12-31T23:55:57.731Z warn: heap used 471 MB');
});

test('cli.ts prints one JSON line when ready and stops on SIGTERM', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-sim-cli-'));
  const out = path.join(dir, 'kube', 'config');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'cli.ts'), '--scenario', 'crashloop-oom', '--kubeconfig-out', out], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (c) => reject(new Error(`exited ${c}`)));
    });
    const ready = JSON.parse(line) as { url: string; kubeconfig: string; pod: string };
    assert.match(ready.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.is(ready.kubeconfig, out);
    assert.is(ready.pod, 'dhakacart-backend-7d9f8c6b5d-x2x9k');
    assert.match(fs.readFileSync(out, 'utf8'), 'certificate-authority-data');
    const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
    assert.is(code, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
