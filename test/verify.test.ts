// verify end to end: the binary follows the rollout, the new pods and the app (through the
// API server's pod proxy, or the Service's when that is forbidden) against the simulator,
// and with --rollback-on-failure diagnoses and rolls back a deploy whose pods fail.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { json, kubectl, run } from './helpers/binary';
import { startSim, type Sim } from './sim/index';
import { mdText, verifyMarkdown } from '../src/verify/markdown';
import { appTargets, judgePods } from '../src/verify/judge';
import type { Deployment, Pod } from '../src/kube/types';

const NS = 'dhakacart';
const DEP = 'deployments.apps';
const POD = 'dhakacart-backend-7d9f8c6b5d-x2x9k';

interface Check { name: string; ok: boolean; detail: string }
interface VerifyJson {
  target: string; rollout: { status: string; revision: number | null }; checks: Check[]; verified: boolean; rolledBack: boolean; message: string;
  diagnosis?: { cause: string; fix: { command: string } | null } | null;
  rollback?: { applied: boolean; rollout: { status: string }; verified: boolean } | { error: string } | null;
}

/** --settle 1s and --timeout 30s unless given. */
const verify = (sim: Sim, args: string[] = [], env?: Record<string, string>) =>
  run(['verify', ...args, '-o', 'json', '--kubeconfig', sim.kubeconfig, ...['--settle', '1s', '--timeout', '30s'].filter((_, i, a) => !args.includes(a[i - (i % 2)]!))], { env });
const row = (out: { checks: Check[] }, name: string) => out.checks.find((c) => c.name === name);
const backend = (sim: Sim) => sim.store.get(DEP, NS, 'dhakacart-backend')!;
const proxied = (sim: Sim, from: number) => sim.requests.slice(from).filter((q) => q.path.includes('/proxy/')).map((q) => decodeURIComponent(q.path));

test('healthy after a fix: every new pod answers /health and /api/products; fix and emergency resume verify with the same checks', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const fix = await run(['fix', 'oom', POD, '--yes', '--no-wait', '--kubeconfig', sim.kubeconfig]);
    assert.is(fix.code, 0, fix.stderr);
    const r0 = sim.requests.length;
    const r = await verify(sim);
    assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const out = json<VerifyJson>(r);
    assert.equal([out.target, out.rollout.status, out.verified, out.rolledBack], ['deployment/dhakacart-backend', 'complete', true, false]);
    assert.equal(out.checks.map((c) => [c.name, c.ok]), [['pods ready', true], ['restarts settled', true], ['GET /health', true], ['GET /api/products', true]]);
    // Each new pod was asked, on the port its probe names, once when the healthy stretch began and once when it ended.
    const fresh = sim.store.list('pods', NS).filter((p) => p.metadata.labels?.app === 'dhakacart-backend' && p.metadata.labels?.['pod-template-hash'] !== '7d9f8c6b5d');
    assert.is(fresh.length, 3);
    const asked = proxied(sim, r0);
    for (const p of fresh) {
      assert.is(asked.filter((u) => u === `/api/v1/namespaces/${NS}/pods/${p.metadata.name}:5000/proxy/health`).length, 2, asked.join('\n'));
      assert.ok(asked.includes(`/api/v1/namespaces/${NS}/pods/${p.metadata.name}:5000/proxy/api/products`));
    }
    assert.not.ok(asked.some((u) => u.includes('7d9f8c6b5d')), 'the old crash-looping pods are not asked');

    // The changes verify with the same follow: the same rows.
    const stop = await run(['emergency', 'stop', '--yes', '--no-wait', '--kubeconfig', sim.kubeconfig]);
    assert.is(stop.code, 0, stop.stderr);
    const resume = await run(['emergency', 'resume', '--yes', '-o', 'json', '--kubeconfig', sim.kubeconfig, '--settle', '1s', '--timeout', '30s']);
    assert.is(resume.code, 0, resume.stderr);
    const rj = json<VerifyJson>(resume);
    assert.equal(rj.checks.map((c) => c.name), out.checks.map((c) => c.name));
    assert.is(rj.verified, true);
  } finally {
    await sim.close();
  }
});

test('restart counts that still climb: not verified (exit 1) as soon as they climb, naming the pod', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  const victim = sim.store.list('pods', NS).find((p) => p.metadata.labels?.app === 'dhakacart-backend')!.metadata.name!;
  // The app crashes and the kubelet restarts it at once: Running and Ready again, one restart more each time.
  const timer = setInterval(() => {
    const p = sim.store.get('pods', NS, victim)!;
    const c = p.status.containerStatuses[0];
    c.restartCount += 1;
    c.lastState = { terminated: { exitCode: 1, reason: 'Error', startedAt: new Date(Date.now() - 500).toISOString(), finishedAt: new Date().toISOString() } };
    sim.store.update('pods', p);
  }, 400);
  try {
    const r = await verify(sim, ['--settle', '20s']);
    assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.ok(r.ms < 15_000, `ended when the count climbed, not after --settle: ${r.ms} ms`);
    const out = json<VerifyJson>(r);
    assert.is(out.verified, false);
    assert.is(out.rollout.status, 'complete');
    assert.is(row(out, 'restarts settled')?.ok, false);
    assert.match(row(out, 'restarts settled')!.detail, new RegExp(`restarts climbed on ${victim} \\(\\d+ -> \\d+\\)`));
    assert.match(out.message, /restart counts still climb/);
  } finally {
    clearInterval(timer);
    await sim.close();
  }
});

test('a failing check path: the runbook path that fails and a --check path the app lacks are NO; the rest pass', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  try {
    // The scenario's way to make one path fail: a declared answer for it.
    sim.settings.proxy.unshift({ selector: 'app=dhakacart-backend', path: '/api/products', status: 503, body: { error: 'relation "products" does not exist' } });
    const r0 = sim.requests.length;
    const r = await verify(sim, ['--check', '/api/categories']);
    assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
    const out = json<VerifyJson>(r);
    assert.is(out.verified, false);
    assert.equal(out.checks.map((c) => [c.name, c.ok]), [['pods ready', true], ['restarts settled', true], ['GET /health', true], ['GET /api/products', false], ['GET /api/categories', false]]);
    assert.match(row(out, 'GET /api/products')!.detail, /HTTP 503: .*relation .*products.* does not exist/);
    // The app's 503 is its answer, not the API server's: asked once a look, as often as /health, never retried.
    const asked = (p: string) => proxied(sim, r0).filter((u) => u.endsWith(`:5000/proxy${p}`)).length;
    assert.is(asked('/api/products'), asked('/health'));
    assert.match(row(out, 'GET /api/categories')!.detail, /HTTP 404: Cannot GET \/api\/categories/);
    assert.match(out.message, /the app kept failing for 1s/);
    assert.ok(proxied(sim, r0).some((u) => u.endsWith(':5000/proxy/api/categories')));

    // The path recovers: verified.
    sim.settings.proxy.shift();
    const ok = await verify(sim);
    assert.is(ok.code, 0, ok.stdout);

    const bad = await run(['verify', '--check', 'health', '--check', '/a b', '--settle', 'soon', '--kubeconfig', sim.kubeconfig]);
    assert.is(bad.code, 2);
    assert.match(bad.stderr, /invalid value "health" for --check: not a path/);
    assert.match(bad.stderr, /invalid value "\/a b" for --check/);
    assert.match(bad.stderr, /invalid value "soon" for --settle/);
  } finally {
    await sim.close();
  }
});

test('a rollout that does not finish in time: exit 5, rollout timeout', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  try {
    // A spec change the deployment controller has not observed (written past the API, so no controller runs):
    // kubectl rollout status waits for it.
    const d = backend(sim);
    d.spec.minReadySeconds = 5;
    sim.store.update(DEP, d);
    const r = await verify(sim, ['--timeout', '3s']);
    assert.is(r.code, 5, `${r.stdout}\n${r.stderr}`);
    const out = json<VerifyJson>(r);
    assert.equal([out.rollout.status, out.verified, out.rolledBack], ['timeout', false, false]);
    assert.match(out.message, /timed out waiting for deployment "dhakacart-backend" to roll out/);
    assert.match(r.stderr, /Waiting for deployment spec update to be observed/);
  } finally {
    await sim.close();
  }
});

test('--rollback-on-failure after a bad deploy: diagnosed, rolled back to the last healthy revision, exit 1, the summary appended', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-summary-'));
  const summary = path.join(dir, 'step-summary.md');
  fs.writeFileSync(summary, '## Earlier step\n');
  try {
    const before = backend(sim).spec.template.spec.containers[0].image;
    const deploy = await kubectl(sim.kubeconfig, ['set', 'image', 'deployment/dhakacart-backend', 'backend=dhakacart/backend:v1.5.0-missing', '-n', NS]);
    assert.is(deploy.code, 0, deploy.stderr);
    const r = await verify(sim, ['--rollback-on-failure'], { GITHUB_STEP_SUMMARY: summary });
    assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
    const out = json<VerifyJson>(r);
    assert.equal([out.verified, out.rollout.status, out.rolledBack], [false, 'failed', true]);
    assert.match(row(out, 'rollout')!.detail, /new pods are failing: .*ErrImagePull/);
    assert.is(out.diagnosis?.cause, 'image');
    const rb = out.rollback as { applied: boolean; rollout: { status: string }; verified: boolean };
    assert.equal([rb.applied, rb.rollout.status, rb.verified], [true, 'complete', true]);
    assert.is(backend(sim).spec.template.spec.containers[0].image, before);
    assert.match(backend(sim).metadata.annotations?.['kubernetes.io/change-cause'] ?? '', /^kubectl dhakacart verify --rollback-on-failure/);

    const md = fs.readFileSync(summary, 'utf8');
    assert.ok(md.startsWith('## Earlier step\n### kubectl dhakacart verify deployment/dhakacart-backend: NOT verified, rolled back\n'), md);
    assert.match(md, /\| rollout \| \*\*no\*\* \| new pods are failing: /);
    assert.match(md, /#### Diagnosis: image \(confirmed\)/);
    assert.match(md, /Next: `kubectl dhakacart fix image/);
    assert.match(md, /#### Rollback\n\nRolled back to revision \d+: rollout complete, verified\./);

    // Verified: nothing is rolled back, and the summary says so.
    const ok = await verify(sim, ['--rollback-on-failure'], { GITHUB_STEP_SUMMARY: summary });
    assert.is(ok.code, 0, ok.stderr);
    assert.is(json<VerifyJson>(ok).rolledBack, false);
    assert.match(fs.readFileSync(summary, 'utf8'), /### kubectl dhakacart verify deployment\/dhakacart-backend: verified\n/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
});

test('a rollback that does not resolve it escalates to the senior engineer, with the contacts; a plain verify that fails is diagnosed', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-contacts-')), 'contacts.yaml');
  fs.writeFileSync(file, 'senior: [oncall-lead@example.com]\n');
  try {
    const deploy = await kubectl(sim.kubeconfig, ['set', 'image', 'deployment/dhakacart-backend', 'backend=dhakacart/backend:v1.5.0-missing', '-n', NS]);
    assert.is(deploy.code, 0, deploy.stderr);
    const plain = await verify(sim, ['--timeout', '20s']);
    assert.is(plain.code, 1, plain.stderr);
    const p = json<VerifyJson & { diagnosis: { cause: string; escalation: unknown } }>(plain);
    assert.equal([p.diagnosis.cause, p.rolledBack, p.rollback], ['image', false, undefined], 'diagnosed, nothing rolled back without the flag');
    assert.ok('escalation' in p.diagnosis, 'the contract view: escalation is a field');

    // Every earlier revision now crashes too (what they need broke meanwhile): the rollback does not resolve it.
    sim.settings.podRules.push({ image: 'dhakacart/backend:v1.4*', outcome: 'crash' });
    const restart = await kubectl(sim.kubeconfig, ['delete', 'pods', '-l', 'app=dhakacart-backend', '-n', NS, '--wait=false']);
    assert.is(restart.code, 0, restart.stderr);
    const r = await run(['verify', '--rollback-on-failure', '--settle', '1s', '--timeout', '20s', '--escalation-config', file, '--kubeconfig', sim.kubeconfig, '--no-color']);
    assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Rollback:.* rolled back/);
    assert.match(r.stdout, /Escalate:.*Senior Engineer: .*the rollback to revision \d+ did not resolve it \(rollout /);
    assert.match(r.stdout, /Call the Senior Engineer: oncall-lead@example\.com \(from file /);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    await sim.close();
  }
});

test('a transient 429 or connection reset during the follow does not change the verdict', async () => {
  for (const [i, faults] of [
    // Within the transport's retries.
    [{ pathRegex: '/namespaces/dhakacart/pods$', status: 429 as const, retryAfter: 0, times: 2 }, { pathRegex: '/proxy/', status: 'reset' as const, times: 2 }],
    // Past them (3 pods asked at once, 5 attempts each): the follow itself looks again.
    [{ pathRegex: '/proxy/health$', status: 429 as const, retryAfter: 0, times: 15 }, { pathRegex: '/namespaces/dhakacart/replicasets$', status: 'reset' as const, times: 6 }],
  ].entries()) {
    for (const scenario of ['healthy', 'crashloop-oom']) {
      const sim = await startSim({ scenario, faults: faults.map((f) => ({ ...f })) });
      try {
        const r = await verify(sim);
        const out = json<VerifyJson>(r);
        assert.is(r.code, scenario === 'healthy' ? 0 : 1, `${scenario}: ${r.stdout}\n${r.stderr}`);
        assert.is(out.verified, scenario === 'healthy');
        // The crash-looping pods fail the rollout before the app is asked.
        if (scenario === 'healthy') assert.ok(sim.faults.every((f) => f.times === 0), `every fault was hit: ${JSON.stringify(sim.faults)}`);
        if (scenario === 'healthy' && i === 1) {
          assert.match(r.stderr, /the app could not be asked this time \(throttled or the connection dropped\); asking again/);
          assert.match(r.stderr, /could not read the pods \(.*\); trying again/);
        }
      } finally {
        await sim.close();
      }
    }
  }
});

test('pods/proxy forbidden: the app is asked through its Service\'s proxy', async () => {
  const sim = await startSim({ scenario: 'healthy', settings: { deny: [{ verb: 'get', resource: 'pods/proxy' }] } });
  try {
    const r0 = sim.requests.length;
    const r = await verify(sim);
    assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const out = json<VerifyJson>(r);
    assert.match(row(out, 'GET /health')!.detail, /service\/backend-service answered/);
    assert.ok(proxied(sim, r0).includes(`/api/v1/namespaces/${NS}/services/backend-service:5000/proxy/health`), proxied(sim, r0).join('\n'));
  } finally {
    await sim.close();
  }
});

test('the summary is Markdown that cluster text cannot break out of', () => {
  const evil = 'x | y <img src=//e.example/p> [click](//e.example) `rm` **b** DB_PASSWORD=hunter2';
  const t = mdText(evil);
  assert.not.match(t, /(^|[^\\])[|<>[\]`*]/);
  assert.not.match(t, /hunter2/);
  const md = verifyMarkdown({
    target: 'deployment/web', rollout: { status: 'complete', revision: 2 }, verified: false, rolledBack: false, message: evil,
    checks: [{ name: 'GET /x', ok: false, detail: `line one\nline two | ${evil}` }],
  });
  const rows = md.split('\n').filter((l) => l.startsWith('| '));
  assert.is(rows.length, 3, md);
  assert.ok(rows.every((l) => l.replace(/\\\|/g, '').split('|').length === 5), md);
});

test('what is asked and judged: the readiness path on its named port, the runbook paths, --check once each; a climb since first sight', () => {
  const dep = (name: string, probe: object | undefined, ports = [{ name: 'http', containerPort: 8080 }]) => ({
    metadata: { name, namespace: NS }, spec: { selector: {}, template: { spec: { containers: [{ name: 'app', ports, readinessProbe: probe }] } } },
  }) as unknown as Deployment;
  assert.equal(appTargets(dep('dhakacart-backend', { httpGet: { path: '/ready', port: 'http' } }), ['/health', '/x']).map((t) => `${t.port}${t.path}`),
    ['8080/ready', '8080/health', '8080/api/products', '8080/x']);
  assert.equal(appTargets(dep('web', undefined), []).map((t) => `${t.port}${t.path}`), [], 'no probe path and no runbook path: nothing to ask');
  assert.equal(appTargets(dep('web', undefined, []), ['/x']), [], 'no port to ask on');

  const pod = (name: string, restarts: number) => ({
    metadata: { name }, spec: { containers: [{ name: 'app' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: restarts, state: { running: {} } }] },
  }) as unknown as Pod;
  const seen = new Map<string, number>();
  const clock = { now: Date.now(), windowMs: 1000 };
  assert.equal(judgePods([pod('a', 4)], 2, seen, clock, 1000).checks.map((c) => c.ok), [false, true], '1 of 2 ready; a count first seen is no climb');
  const later = judgePods([pod('a', 6), pod('b', 0)], 2, seen, clock, 2000);
  assert.equal(later.climbing, [{ pod: 'a', from: 4, to: 6 }]);
  assert.is(later.checks[1]!.detail, 'restarts climbed on a (4 -> 6)');
});

test.run();
