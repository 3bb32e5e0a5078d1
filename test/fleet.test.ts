// Fleet mode through the binary: status, why and check across many simulated clusters at
// once (test/sim/fleet.ts: each its own server, CA and token), with clusters that refuse
// connections, reject the credentials or never answer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { json, run } from './helpers/binary';
import { startFleet, type Fleet, type FleetCluster } from './sim/fleet';

interface Entry { context: string; ok: boolean; error: { kind: string; message: string } | null; exitCode: number; [k: string]: unknown }
type FleetJson = { contexts: Entry[]; sameFailures?: { cause: string; workload: string; contexts: string[]; revisions: number[]; image: string | null; summary: string }[] };

const env = (f: Fleet, extra: Record<string, string> = {}) => ({ env: { KUBECONFIG: f.kubeconfig, ...extra } });
const byContext = (j: FleetJson) => new Map(j.contexts.map((e) => [e.context, e]));

async function withFleet(clusters: FleetCluster[], body: (f: Fleet) => Promise<void>): Promise<void> {
  const f = await startFleet({ clusters });
  try {
    await body(f);
  } finally {
    await f.close();
  }
}

/** No bearer token of any cluster appears anywhere in what the plugin wrote. */
function assertNoToken(f: Fleet, text: string): void {
  for (const m of f.members) if (m.sim) assert.not.ok(text.includes(m.sim.token), `the token of ${m.name} was printed`);
}

test('20 clusters, one unreachable and one unauthorized: status --all-contexts is one JSON keyed by context, exit the worst', async () => {
  const clusters: FleetCluster[] = Array.from({ length: 20 }, (_, i) => ({ name: `c${String(i).padStart(2, '0')}`, scenario: i % 4 === 0 ? 'crashloop-oom' : 'healthy', latencyMs: 5 }));
  clusters[7] = { name: 'c07', unreachable: true };
  clusters[13] = { name: 'c13', badToken: true };
  await withFleet(clusters, async (f) => {
    const r = await run(['status', '--all-contexts', '-o', 'json', '--request-timeout', '5s'], env(f));
    assert.is(r.code, 3, r.stderr);
    const j = json<FleetJson>(r);
    assert.equal(j.contexts.map((e) => e.context), clusters.map((c) => c.name));
    const e = byContext(j);
    assert.equal([e.get('c07')!.ok, e.get('c07')!.error!.kind, e.get('c07')!.exitCode], [false, 'unreachable', 3]);
    assert.match(e.get('c07')!.error!.message, /cannot reach the API server https:\/\/127\.0\.0\.1:\d+/);
    assert.equal([e.get('c13')!.ok, e.get('c13')!.error!.kind], [false, 'unauthorized']);
    for (const c of clusters.filter((x) => !x.unreachable && !x.badToken)) {
      const entry = e.get(c.name)!;
      assert.equal([entry.ok, entry.error, entry.namespace], [true, null, 'dhakacart'], c.name);
      assert.is(entry.healthy, c.scenario === 'healthy', c.name);
      assert.is(entry.exitCode, c.scenario === 'healthy' ? 0 : 1, c.name);
    }
    assertNoToken(f, r.stdout + r.stderr);
    // Each cluster heard only its own credentials.
    for (const m of f.members.filter((x) => x.sim && x.name !== 'c13')) {
      assert.ok(m.sim!.requests.length > 0, m.name);
      assert.ok(m.sim!.requests.every((q) => q.headers.authorization?.[0] === `Bearer ${m.sim!.token}`), m.name);
    }

    const t = await run(['status', '--all-contexts', '--request-timeout', '5s'], env(f));
    assert.is(t.code, 3, t.stderr);
    const lines = t.stdout.split('\n');
    assert.match(lines[0]!, /^CONTEXT +RESULT +SUMMARY$/);
    assert.match(t.stdout, /\nc00 +problems +1 of 5 pods unhealthy in namespace dhakacart\./);
    assert.match(t.stdout, /\nc01 +ok +All 5 pods healthy in namespace dhakacart/);
    assert.match(t.stdout, /\nc07 +unreachable +cannot reach the API server/);
    assert.match(t.stdout, /\nc13 +unauthorized +Error from server \(Unauthorized\)/);
    assert.match(t.stdout, /20 clusters: 13 ok, 5 with problems, 2 gave no answer\./);
    assertNoToken(f, t.stdout + t.stderr);

    // why and check over the same fleet: the same two rows of failure, the others answered.
    for (const cmd of ['why', 'check']) {
      const w = await run([cmd, '--all-contexts', '-o', 'json', '--request-timeout', '5s'], env(f));
      assert.is(w.code, 3, w.stderr);
      const failed = json<FleetJson>(w).contexts.filter((x) => !x.ok).map((x) => [x.context, x.error!.kind]);
      assert.equal(failed, [['c07', 'unreachable'], ['c13', 'unauthorized']], cmd);
      assertNoToken(f, w.stdout + w.stderr);
    }
    const w = json<FleetJson>(await run(['why', '--all-contexts', '-o', 'json', '--request-timeout', '5s'], env(f)));
    assert.equal(w.sameFailures![0]!.contexts, ['c00', 'c04', 'c08', 'c12', 'c16']);
    assert.match(w.sameFailures![0]!.summary, /the same OOM in 5 of 18 clusters/);
  });
});

test('a cluster that never answers costs its --request-timeout and one row; the others are shown', async () => {
  await withFleet([{ name: 'up', scenario: 'healthy' }, { name: 'stuck', hang: true }], async (f) => {
    const r = await run(['status', '--context', 'up,stuck', '--request-timeout', '2s', '-o', 'json'], { ...env(f), timeoutMs: 30_000 });
    assert.is(r.code, 3, r.stderr);
    const e = byContext(json<FleetJson>(r));
    assert.equal([e.get('up')!.ok, e.get('up')!.healthy], [true, true]);
    assert.equal(e.get('stuck')!.error, { kind: 'timeout', message: `the API server ${f.members[1]!.url} did not answer: no answer within 2s` });
  });
});

test('why --all-contexts: the same OOM on the same release in 3 of 5 clusters is one finding', async () => {
  const clusters: FleetCluster[] = [
    { name: 'eu', scenario: 'crashloop-oom' }, { name: 'us', scenario: 'crashloop-oom' }, { name: 'ap', scenario: 'healthy' },
    { name: 'sa', scenario: 'crashloop-oom' }, { name: 'af', scenario: 'crashloop-probe' },
  ];
  await withFleet(clusters, async (f) => {
    const r = await run(['why', '--all-contexts', '-o', 'json'], env(f));
    assert.is(r.code, 1, r.stderr);
    const j = json<FleetJson>(r);
    const e = byContext(j);
    assert.equal((e.get('ap')!.diagnoses as unknown[]).length, 0);
    assert.is((e.get('eu')!.diagnoses as { cause: string }[])[0]!.cause, 'oom');
    const [first, ...rest] = j.sameFailures!;
    assert.equal([first!.cause, first!.workload, first!.contexts], ['oom', 'deployment/dhakacart-backend', ['eu', 'us', 'sa']]);
    const sim = f.sim('eu');
    const dep = sim.store.get('deployments.apps', 'dhakacart', 'dhakacart-backend') as { metadata: { annotations: Record<string, string> }; spec: { template: { spec: { containers: { image: string }[] } } } };
    assert.equal(first!.revisions, [Number(dep.metadata.annotations['deployment.kubernetes.io/revision'])]);
    assert.is(first!.image, dep.spec.template.spec.containers[0]!.image);
    assert.ok(rest.every((g) => g.contexts.length === 1 && g.contexts[0] === 'af'), JSON.stringify(rest));

    const t = await run(['why', '--all-contexts'], env(f));
    assert.is(t.code, 1, t.stderr);
    assert.match(t.stdout, new RegExp(`deployment/dhakacart-backend in dhakacart: the same OOM in 3 of 5 clusters \\(eu, us, sa\\) since revision ${first!.revisions[0]}, image ${first!.image!.replace(/[.]/g, '\\.')}`));
    assert.match(t.stdout, /Next \(in each of eu, us, sa\): kubectl dhakacart fix oom /);
    assert.match(t.stdout, /\nap +ok +No unhealthy pods match/);
  });
});

test('check --contexts-matching: only the matching clusters are asked; each keeps its own check JSON', async () => {
  await withFleet([{ name: 'prod-a', scenario: 'check-risky' }, { name: 'prod-b', scenario: 'check-hardened' }, { name: 'staging', scenario: 'check-risky' }], async (f) => {
    const r = await run(['check', 'dhakacart-backend', '--contexts-matching', '^prod-', '-o', 'json'], env(f));
    assert.is(r.code, 1, r.stderr);
    const j = json<FleetJson>(r);
    assert.equal(j.contexts.map((e) => [e.context, e.ok, e.result, e.exitCode]), [['prod-a', true, 'fail', 1], ['prod-b', true, 'pass', 0]]);
    assert.ok((j.contexts[0]!.workloads as unknown[]).length > 0);
    assert.is(f.sim('staging').requests.length, 0);
    const t = await run(['check', 'dhakacart-backend', '--contexts-matching', '^prod-'], env(f));
    assert.match(t.stdout, /\nprod-a +problems +FAIL: 1 workload, \d+ passed, \d+ warnings?, \d+ failed; failed: /);
    assert.match(t.stdout, /\nprod-b +ok +PASS: 1 workload, \d+ passed, 0 warnings, 0 failed\n/);
  });
});

test('a context that does not exist, or flags for one cluster: exit 2 before any cluster is asked', async () => {
  await withFleet([{ name: 'a', scenario: 'healthy' }, { name: 'b', scenario: 'healthy' }], async (f) => {
    const r = await run(['status', '--context', 'a,nope,b'], env(f));
    assert.is(r.code, 2);
    assert.match(r.stderr, /error: context "nope" not found in .*config\nhint: contexts are: a, b\n/);
    const w = await run(['why', '--all-contexts', '--save', 'x.json', '--token', 'secret'], env(f));
    assert.is(w.code, 2);
    assert.match(w.stderr, /--token describes one cluster/);
    assert.match(w.stderr, /--save works on one cluster, not a fleet/);
    const m = await run(['status', '--contexts-matching', '^z'], env(f));
    assert.is(m.code, 2);
    assert.match(m.stderr, /--contexts-matching "\^z" matches none of the contexts/);
    assert.is(f.sim('a').requests.length + f.sim('b').requests.length, 0);
  });
});

test('one --context name keeps the one-cluster output; KUBECONFIG with several files is one fleet', async () => {
  await withFleet([{ name: 'a', scenario: 'healthy' }, { name: 'b', scenario: 'crashloop-oom' }], async (f) => {
    const one = await run(['status', '--context', 'b', '-o', 'json'], env(f));
    assert.is(one.code, 1, one.stderr);
    const j = json(one);
    assert.equal([j.contexts, j.healthy, j.namespace], [undefined, false, 'dhakacart']);
    const files = f.members.map((m) => m.kubeconfig).join(':');
    const all = await run(['status', '--all-contexts', '-o', 'yaml'], { env: { KUBECONFIG: files } });
    assert.is(all.code, 1, all.stderr);
    assert.match(all.stdout, /^contexts:\n {2}- context: a\n {4}ok: true\n {4}error: null\n {4}exitCode: 0\n/);
    assert.match(all.stdout, /\n {2}- context: b\n {4}ok: true\n {4}error: null\n {4}exitCode: 1\n/);
  });
});

test('--concurrency 2: never more than two clusters are being asked at once', async () => {
  const clusters = ['w', 'x', 'y', 'z', 'v'].map((name) => ({ name, scenario: 'healthy', latencyMs: 30 }));
  await withFleet(clusters, async (f) => {
    const asked = async (extra: string[]) => {
      const from = f.members.map((m) => m.sim!.requests.length);
      const r = await run(['status', '--all-contexts', '-o', 'json', ...extra], env(f));
      assert.is(r.code, 0, r.stderr);
      // Each cluster's span: from its first request's arrival to its last answer; the most that overlap at a start.
      const spans = f.members.map((m, i) => {
        const q = m.sim!.requests.slice(from[i]);
        return [Math.min(...q.map((x) => x.at)), Math.max(...q.map((x) => x.at + x.ms))] as const;
      });
      return Math.max(...spans.map(([s]) => spans.filter(([a, b]) => a <= s && s < b).length));
    };
    const two = await asked(['--concurrency', '2']);
    assert.ok(two <= 2, `${two} clusters asked at once`);
    // The default (8) asks all five together: the measure above does see overlap.
    assert.ok(await asked([]) > 2);
  });
});

test.run();
