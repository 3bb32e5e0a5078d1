// `status` end to end: the built binary against the simulated cluster, as CI runs it.
import { spawn } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, baseEnv, json, run } from './helpers/binary';
import { startSim } from './sim/index';

interface StatusJson {
  namespace: string;
  healthy: boolean;
  deployments: { name: string; desired: number; ready: number; updated: number; available: number; revision: number | null; images: string[] }[];
  pods: { name: string; app: string | null; phase: string; ready: string; healthy: boolean; reason: string | null; restarts: number;
    lastTermination: { reason: string | null; exitCode: number; finishedAt: string | null } | null; node: string | null; age: string }[];
}

const POD_KEYS = ['age', 'app', 'healthy', 'lastTermination', 'name', 'namespace', 'node', 'phase', 'ready', 'reason', 'restarts'];
const DEP_KEYS = ['available', 'desired', 'healthy', 'images', 'name', 'namespace', 'ready', 'reason', 'revision', 'state', 'updated'];

test('healthy scenario: exit 0, every field of the contract, through kubectl plugin discovery', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  try {
    const r = await run(['status', '-n', 'dhakacart', '--kubeconfig', sim.kubeconfig, '-o', 'json'], { via: 'kubectl' });
    assert.is(r.code, 0, r.stderr);
    const s = json<StatusJson>(r);
    assert.is(s.namespace, 'dhakacart');
    assert.is(s.healthy, true);
    assert.equal(Object.keys(s).sort(), ['dependencies', 'deployments', 'healthy', 'namespace', 'pods']);
    assert.ok(s.pods.length >= 5);
    for (const p of s.pods) {
      assert.equal(Object.keys(p).sort(), POD_KEYS);
      assert.match(p.ready, /^\d+\/\d+$/);
      assert.is(p.reason, null);
    }
    assert.equal(s.deployments.map((d) => d.name), ['dhakacart-backend', 'dhakacart-frontend']);
    for (const d of s.deployments) assert.equal(Object.keys(d).sort(), DEP_KEYS);
    assert.ok(!s.pods.some((p) => p.app === 'postgres'), 'default selector shows DhakaCart apps only');
  } finally {
    await sim.close();
  }
});

for (const [scenario, reason, lastReason] of [
  ['crashloop-oom', 'CrashLoopBackOff', 'OOMKilled'],
  ['crashloop-probe', 'CrashLoopBackOff', 'Error'],
  ['crashloop-image', /ImagePullBackOff|ErrImagePull/, null],
  ['crashloop-db', 'CrashLoopBackOff', 'Error'],
  ['crashloop-config', /CreateContainerConfigError|CrashLoopBackOff/, null],
] as const) {
  test(`${scenario}: exit 1, the failing pod named with its reason`, async () => {
    const sim = await startSim({ scenario });
    try {
      const r = await run(['status', '--kubeconfig', sim.kubeconfig, '-o', 'json']);
      assert.is(r.code, 1, r.stderr);
      const s = json<StatusJson>(r);
      assert.is(s.healthy, false);
      const bad = s.pods.filter((p) => !p.healthy);
      assert.ok(bad.length >= 1);
      const p = bad.find((b) => b.name === 'dhakacart-backend-7d9f8c6b5d-x2x9k') ?? bad[0]!;
      if (typeof reason === 'string') assert.is(p.reason, reason); else assert.match(p.reason ?? '', reason);
      if (lastReason) {
        assert.is(p.lastTermination?.reason, lastReason);
        assert.ok(p.restarts > 0);
      }
    } finally {
      await sim.close();
    }
  });
}

test('table output: kubectl-like columns, crash-looping row marked, plain when not a terminal', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const r = await run(['status', '--kubeconfig', sim.kubeconfig]);
    assert.is(r.code, 1);
    assert.match(r.stdout, /NAME\s+APP\s+READY\s+STATUS\s+RESTARTS\s+LAST TERMINATION\s+NODE\s+AGE/);
    assert.match(r.stdout, /CrashLoopBackOff/);
    assert.match(r.stdout, /OOMKilled \(exit 137\)/);
    assert.match(r.stdout, /pods unhealthy in namespace dhakacart/);
    assert.not.match(r.stdout, /\x1b\[/, 'no colour off a terminal');
    const wide = await run(['status', '--kubeconfig', sim.kubeconfig, '-o', 'wide']);
    assert.match(wide.stdout, /IMAGE\s+IP/);
    const yaml = await run(['status', '--kubeconfig', sim.kubeconfig, '-o', 'yaml']);
    assert.match(yaml.stdout, /^namespace: dhakacart$/m);
    assert.is(yaml.stderr, '');
  } finally {
    await sim.close();
  }
});

test('--selector, --all, and a namespace that does not exist', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  try {
    const one = json<StatusJson>(await run(['status', '--kubeconfig', sim.kubeconfig, '-o', 'json', '-l', 'app=dhakacart-frontend']));
    assert.ok(one.pods.length > 0 && one.pods.every((p) => p.app === 'dhakacart-frontend'));
    assert.equal(one.deployments.map((d) => d.name), ['dhakacart-frontend']);
    const all = json<StatusJson>(await run(['status', '--kubeconfig', sim.kubeconfig, '-o', 'json', '--all']));
    assert.ok(all.pods.some((p) => p.app === 'postgres'));
    const bad = await run(['status', '--kubeconfig', sim.kubeconfig, '-l', 'app in (']);
    assert.is(bad.code, 2);
    const missing = await run(['status', '--kubeconfig', sim.kubeconfig, '-n', 'nope']);
    assert.is(missing.code, 3);
    assert.match(missing.stderr, /namespace "nope" not found/);
    const envNs = await run(['status', '--kubeconfig', sim.kubeconfig], { env: { DHAKACART_NAMESPACE: 'nope' } });
    assert.is(envNs.code, 3, 'DHAKACART_NAMESPACE is the default namespace');
  } finally {
    await sim.close();
  }
});

test('a wrong token: exit 3 with a hint about credentials', async () => {
  const sim = await startSim({ scenario: 'healthy', token: 'right' });
  try {
    const fs = await import('node:fs');
    const bad = sim.kubeconfig + '.bad';
    fs.writeFileSync(bad, fs.readFileSync(sim.kubeconfig, 'utf8').replace(/right/g, 'wrong'));
    const r = await run(['status', '--kubeconfig', bad]);
    assert.is(r.code, 3);
    assert.match(r.stderr, /Unauthorized/);
    assert.match(r.stderr, /rejected the credentials of context "sim"/);
    assert.not.match(r.stderr + r.stdout, /wrong|right/, 'the token is never printed');
  } finally {
    await sim.close();
  }
});

test('pagination: every pod of a namespace larger than one page', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  try {
    const [tmpl] = sim.store.list('pods', 'dhakacart').filter((p) => p.metadata.labels?.app === 'dhakacart-frontend');
    for (let i = 0; i < 1200; i++) {
      const p = structuredClone(tmpl!);
      p.metadata = { ...p.metadata, name: `dhakacart-frontend-bulk-${i}`, uid: undefined, resourceVersion: undefined };
      sim.store.create('pods', p);
    }
    const r = await run(['status', '--kubeconfig', sim.kubeconfig, '-o', 'json', '-l', 'app=dhakacart-frontend']);
    assert.is(json<StatusJson>(r).pods.length, 1202);
    const lists = sim.requests.filter((q) => q.path === '/api/v1/namespaces/dhakacart/pods');
    assert.ok(lists.length >= 3, `paged in ${lists.length} requests`);
  } finally {
    await sim.close();
  }
});

test('--watch prints each change (restarts climbing) until interrupted', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const child = spawn(BIN, ['status', '--watch', '--kubeconfig', sim.kubeconfig, '-o', 'json'], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, re);
    };
    await waitFor(/"pods"/);
    const pod = sim.store.get('pods', 'dhakacart', 'dhakacart-backend-7d9f8c6b5d-x2x9k')!;
    pod.status.containerStatuses[0].restartCount += 1;
    const climbed = pod.status.containerStatuses[0].restartCount;
    sim.store.update('pods', pod);
    await waitFor(new RegExp(`"type":"MODIFIED".*"restarts":${climbed}`));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    child.kill('SIGINT');
    assert.is(await exited, 130, 'Ctrl-C ends with 128+SIGINT, as kubectl get -w');
  } finally {
    await sim.close();
  }
});

test.run();
