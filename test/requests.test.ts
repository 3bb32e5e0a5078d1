// API requests and sequential rounds per command, exactly, from the simulator's log (what
// `npm run bench` reports; its times are never asserted).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PAGE_SIZE } from '../src/cluster/api';
import { run } from './helpers/binary';
import { addPods, sequentialRounds } from './helpers/bulk';
import { startSim } from './sim/index';

const NS = 'dhakacart';
// Long enough that a loaded machine's delay in sending one round's requests stays inside the round.
const LATENCY_MS = 150;

test('status --all on a namespace of many pages: one request per page, the other lists in the first round', async () => {
  // Latency makes the rounds visible: requests of one round overlap, the next starts after.
  const sim = await startSim({ scenario: 'crashloop-oom', latencyMs: LATENCY_MS });
  try {
    addPods(sim, NS, 2_000);
    const total = sim.store.list('pods', NS).length;
    const pages = Math.ceil(total / PAGE_SIZE);
    for (const args of [['status', '--all'], ['status', '--all', '-o', 'json']]) {
      const r0 = sim.requests.length;
      const r = await run([...args, '-n', NS, '--kubeconfig', sim.kubeconfig]);
      assert.is(r.code, 1, r.stderr);
      const reqs = sim.requests.slice(r0);
      const podPages = reqs.filter((q) => q.path === `/api/v1/namespaces/${NS}/pods`);
      assert.is(podPages.length, pages);
      assert.ok(podPages.every((q) => new URLSearchParams(q.query).get('limit') === String(PAGE_SIZE)));
      // The namespace check, the pod pages, and one page each of deployments, statefulsets, services and configmaps.
      assert.is(reqs.length, 1 + pages + 4, reqs.map((q) => `${q.path}?${q.query}`).join('\n'));
      assert.is(sequentialRounds(reqs), pages);
      assert.is(new Set(reqs.map((q) => `${q.path}?${q.query}`)).size, reqs.length, 'no request asked twice');
    }
  } finally {
    await sim.close();
  }
});

test('why POD: each read once, a container\'s two logs and a Service\'s endpoints beside the rest of the second round', async () => {
  for (const scenario of ['crashloop-oom', 'crashloop-db']) {
    const sim = await startSim({ scenario, latencyMs: LATENCY_MS });
    try {
      const pod = sim.scenario.expect!.pod!;
      const r = await run(['why', pod, '-n', NS, '-o', 'json', '--kubeconfig', sim.kubeconfig]);
      assert.is(r.code, 1, r.stderr);
      const reqs = sim.requests;
      const keys = reqs.map((q) => `${q.path}?${q.query}`);
      assert.is(new Set(keys).size, reqs.length, `no request asked twice:\n${keys.join('\n')}`);
      const logs = reqs.filter((q) => q.path.endsWith('/log'));
      const endpoints = reqs.filter((q) => q.path.includes('/endpoints/'));
      const services = reqs.find((q) => q.path === `/api/v1/namespaces/${NS}/services`)!;
      assert.ok(logs.length >= 2 && endpoints.length >= 1 && services, keys.join('\n'));
      // Both events APIs serve the same events: the newer one only if the core list fails.
      assert.not.ok(keys.some((k) => k.startsWith('/apis/events.k8s.io/')), keys.join('\n'));
      // A pull secret matters only to a pod whose image cannot be pulled.
      assert.not.ok(keys.some((k) => k.includes('/secrets/regcred')), keys.join('\n'));
      // Requests of one round overlap: none of these waits for another's answer.
      const second = [...logs, ...endpoints, services];
      for (const q of second) assert.ok(second.every((o) => o.at < q.at + q.ms), `${q.path} overlaps the rest of its round`);
    } finally {
      await sim.close();
    }
  }
});

test('why POD: events.k8s.io when the core events list fails, and the pull secret of a pod whose image pull fails', async () => {
  const sim = await startSim({ scenario: 'crashloop-image', faults: [{ method: 'GET', pathRegex: /^\/api\/v1\/namespaces\/dhakacart\/events$/, status: 403 }] });
  try {
    const r = await run(['why', sim.scenario.expect!.pod!, '-n', NS, '-o', 'json', '--kubeconfig', sim.kubeconfig]);
    const d = JSON.parse(r.stdout) as { cause: string; evidence: { source: string; detail: string }[] };
    assert.is(d.cause, 'image');
    const keys = sim.requests.map((q) => q.path);
    assert.ok(keys.includes(`/apis/events.k8s.io/v1/namespaces/${NS}/events`), keys.join('\n'));
    assert.ok(keys.includes(`/api/v1/namespaces/${NS}/secrets/regcred`), keys.join('\n'));
    assert.ok(d.evidence.some((e) => e.source === 'event' && /pull/i.test(e.detail)), JSON.stringify(d.evidence));
    assert.ok(d.evidence.some((e) => e.source === 'secret' && /imagePullSecret regcred/.test(e.detail)), JSON.stringify(d.evidence));
  } finally {
    await sim.close();
  }
});

test('why POD: a core events list that timed out is not asked again of events.k8s.io (the same server would make the command wait as long again)', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom', faults: [{ method: 'GET', pathRegex: /^\/api\/v1\/namespaces\/dhakacart\/events$/, status: 'hang' }] });
  try {
    const r = await run(['why', sim.scenario.expect!.pod!, '-n', NS, '-o', 'json', '--request-timeout', '1s', '--kubeconfig', sim.kubeconfig]);
    const d = JSON.parse(r.stdout) as { cause: string; notLookedAt: { what: string; reason: string }[] };
    assert.is(d.cause, 'oom');
    assert.ok(d.notLookedAt.some((g) => g.what === 'events' && g.reason === 'timed out'), JSON.stringify(d.notLookedAt));
    const keys = sim.requests.map((q) => q.path);
    assert.ok(keys.includes(`/api/v1/namespaces/${NS}/events`), keys.join('\n'));
    assert.not.ok(keys.some((k) => k.startsWith('/apis/events.k8s.io/')), keys.join('\n'));
  } finally {
    await sim.close();
  }
});

test('sequentialRounds: overlapping requests share a round, a request after an answer starts the next', () => {
  assert.is(sequentialRounds([]), 0);
  assert.is(sequentialRounds([{ at: 0, ms: 10 }, { at: 1, ms: 10 }, { at: 2, ms: 30 }]), 1);
  assert.is(sequentialRounds([{ at: 0, ms: 10 }, { at: 10, ms: 10 }, { at: 5, ms: 30 }, { at: 20, ms: 1 }]), 3);
  assert.is(sequentialRounds([{ at: 30, ms: 1 }, { at: 0, ms: 40 }]), 1, 'order of the log does not matter');
});

test.run();
