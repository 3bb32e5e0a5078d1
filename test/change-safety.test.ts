// Changes are exactly what was shown, even when the cluster misbehaves: a concurrent writer
// between plan and patch, a write whose reply is lost, a storm on the rollout polls, a
// re-run after a partial failure, an account that may not ask for access reviews.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { json, run, type RunResult } from './helpers/binary';
import { startSim, type Sim } from './sim/index';
import type { Store } from './sim/store';

const DEP = 'deployments.apps';
const NS = 'dhakacart';
const BACKEND = '/deployments/dhakacart-backend$';
const REMEMBERED = 'dhakacart.io/replicas-before-emergency';

interface Row { path: string; from: unknown; to: unknown }
interface ChangeJson {
  changes: Row[]; replanned?: Row[]; applied: boolean; warnings: string[]; message: string | null;
  rollout: { status: string; revision: number | null }; verified: boolean;
}

const backend = (s: Sim | Store) => ('store' in s ? s.store : s).get(DEP, NS, 'dhakacart-backend')!;
const memory = (s: Sim | Store) => backend(s).spec.template.spec.containers.find((c: { name: string }) => c.name === 'backend').resources;
const plugin = (sim: Sim, args: string[]) => run([...args, '--kubeconfig', sim.kubeconfig, '--settle', '1s', '--timeout', '30s']);
const patches = (sim: Sim) => sim.requests.filter((q) => q.method === 'PATCH' && q.path.endsWith('/deployments/dhakacart-backend') && !/dryRun/.test(q.query));
const why = (r: RunResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

/** A concurrent writer: `edit` is applied to the stored backend Deployment (a new resourceVersion). */
function writer(edit: (dep: ReturnType<typeof backend>) => void) {
  return (store: Store) => {
    const d = backend(store);
    edit(d);
    store.update(DEP, d);
  };
}

test('a replan that differs from the confirmed change is not applied under --yes: exit 4, both plans shown', async () => {
  const sim = await startSim({
    scenario: 'crashloop-oom',
    faults: [{ method: 'PATCH', pathRegex: BACKEND, times: 1, mutate: writer((d) => { d.spec.template.spec.containers[0].resources.limits.memory = '2Gi'; }) }],
  });
  try {
    const r = await plugin(sim, ['fix', 'oom', '--yes', '-o', 'json']);
    assert.is(r.code, 4, why(r));
    const out = json<ChangeJson>(r);
    assert.is(out.applied, false);
    const limit = (rows: Row[] | undefined) => rows?.find((c) => c.path.endsWith('limits.memory'));
    assert.equal([limit(out.changes)?.from, limit(out.changes)?.to], ['512Mi', '1Gi'], 'the confirmed change');
    assert.equal([limit(out.replanned)?.from, limit(out.replanned)?.to], ['2Gi', '4Gi'], 'the replan');
    assert.match(r.stderr, /512Mi\s+│?\s*1Gi/);
    assert.match(r.stderr, /2Gi\s+│?\s*4Gi/);
    assert.match(r.stderr, /no longer the one given --yes/);
    assert.is(memory(sim).limits.memory, '2Gi', 'only the other writer\'s change is there');
    assert.is(patches(sim).length, 1, 'no second patch was sent');
  } finally {
    await sim.close();
  }
});

test('a replan equal to the confirmed change (another writer touched an unrelated field) is applied', async () => {
  const sim = await startSim({
    scenario: 'crashloop-oom',
    faults: [{ method: 'PATCH', pathRegex: BACKEND, times: 1, mutate: writer((d) => { d.metadata.labels = { ...d.metadata.labels, team: 'payments' }; }) }],
  });
  try {
    const r = await plugin(sim, ['fix', 'oom', '--yes', '--no-wait', '-o', 'json']);
    assert.is(r.code, 0, why(r));
    assert.is(json<ChangeJson>(r).applied, true);
    assert.match(r.stderr, /changed meanwhile; planning again/);
    assert.match(r.stderr, /the change already confirmed; applying it/);
    assert.is(memory(sim).limits.memory, '1Gi');
    assert.is(backend(sim).metadata.labels?.team, 'payments', 'the other writer\'s change survives');
    assert.is(patches(sim).length, 2);
  } finally {
    await sim.close();
  }
});

for (const [kind, fault, extra] of [
  ['reset', { status: 'reset' as const }, []],
  ['500', { status: 500 }, []],
  ['hang', { status: 'hang' as const }, ['--request-timeout', '2s']],
] as const) {
  test(`a lost reply (${kind}) after the patch landed: read back, reported as applied, the run carries on; a re-run does not double again`, async () => {
    const sim = await startSim({ scenario: 'crashloop-oom', faults: [{ method: 'PATCH', pathRegex: BACKEND, times: 1, applied: true, ...fault }] });
    try {
      const r = await plugin(sim, ['fix', 'oom', '--yes', '-o', 'json', ...extra]);
      assert.is(r.code, 0, why(r));
      const out = json<ChangeJson>(r);
      assert.is(out.applied, true);
      assert.is(out.rollout.status, 'complete');
      assert.ok(out.warnings.some((w) => /reply to the patch was lost.*change landed/.test(w)), out.warnings.join('\n'));
      assert.match(r.stderr, /the change landed although its reply was lost/);
      assert.is(patches(sim).length, 1, 'not sent twice');
      assert.is(memory(sim).limits.memory, '1Gi');

      const again = await plugin(sim, ['fix', 'oom', '--yes', '-o', 'json']);
      assert.is(again.code, 0, why(again));
      const second = json<ChangeJson>(again);
      assert.is(second.applied, false);
      assert.match(second.message ?? '', /already raised the memory limit of backend to 1Gi; not doubling it again.*--memory 2Gi/);
      assert.is(memory(sim).limits.memory, '1Gi', 'not doubled to 2Gi');
    } finally {
      await sim.close();
    }
  });
}

test('a failed write that did not land on an untouched object is sent again (the rv precondition makes that safe)', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom', faults: [{ method: 'PATCH', pathRegex: BACKEND, times: 1, status: 500 }] });
  try {
    const r = await plugin(sim, ['fix', 'oom', '--yes', '-o', 'json']);
    assert.is(r.code, 0, why(r));
    const out = json<ChangeJson>(r);
    assert.is(out.applied, true);
    assert.is(out.verified, true);
    assert.match(r.stderr, /did not land and the Deployment is unchanged; sending the same patch again/);
    assert.is(patches(sim).length, 2);
    assert.is(memory(sim).limits.memory, '1Gi', 'applied once, not doubled');
  } finally {
    await sim.close();
  }
});

test('a write that keeps failing without landing: bounded resends, exit 3, applied false, with the JSON', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom', faults: [{ method: 'PATCH', pathRegex: BACKEND, status: 500 }] });
  try {
    const before = JSON.stringify(backend(sim));
    const r = await plugin(sim, ['fix', 'oom', '--yes', '-o', 'json']);
    assert.is(r.code, 3, why(r));
    const out = json<ChangeJson>(r);
    assert.is(out.applied, false);
    assert.match(out.message ?? '', /did not land; nothing was changed/);
    assert.match(r.stderr, /failed 3 times .* and did not land/);
    assert.is(patches(sim).length, 3);
    assert.is(JSON.stringify(backend(sim)), before);
  } finally {
    await sim.close();
  }
});

test('a failed write that did not land while another writer changed the object: not resent, exit 3', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  sim.faults.push({ method: 'PATCH', pathRegex: BACKEND, times: 1, status: 500, mutate: writer((d) => { d.metadata.labels = { ...d.metadata.labels, touched: 'yes' }; }) });
  try {
    const r = await plugin(sim, ['fix', 'oom', '--yes', '-o', 'json']);
    assert.is(r.code, 3, why(r));
    assert.is(json<ChangeJson>(r).applied, false);
    assert.match(r.stderr, /did not land, and the Deployment has changed since/);
    assert.is(patches(sim).length, 1);
  } finally {
    await sim.close();
  }
});

test('a lost reply that cannot be read back: exit 3, the outcome called unknown, never "nothing happened"', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  sim.faults.push({ method: 'PATCH', pathRegex: BACKEND, times: 1, status: 'reset', applied: true, mutate: () => { sim.faults.push({ method: 'GET', pathRegex: BACKEND, status: 503 }); } });
  try {
    const r = await plugin(sim, ['fix', 'oom', '--yes', '-o', 'json']);
    assert.is(r.code, 3, why(r));
    assert.match(json<ChangeJson>(r).message ?? '', /unknown whether the change was applied/);
    assert.match(r.stderr, /the outcome of the change to deployment\/dhakacart-backend is unknown/);
    assert.not.match(r.stdout + r.stderr, /nothing was changed/);
  } finally {
    await sim.close();
  }
});

for (const [cmd, noop] of [
  [['rollback'], /already rolled back by 'kubectl dhakacart rollback --yes -o json[^']*': revision \d+ runs the template of revision \d+ again.*--to-revision N/],
  [['fix', 'image'], /an earlier 'kubectl dhakacart fix image --yes -o json[^']*' already took container backend back to \S+ \(the image of revision \d+\).*--to IMAGE/],
] as const) {
  test(`${cmd.join(' ')} with a lost reply: reported as done; run again it is a noop, not a roll forward to the broken revision`, async () => {
    const sim = await startSim({ scenario: 'crashloop-image', faults: [{ method: 'PATCH', pathRegex: BACKEND, times: 1, applied: true, status: 'reset' }] });
    try {
      const broken = backend(sim).spec.template.spec.containers[0].image;
      const r = await plugin(sim, [...cmd, '--yes', '-o', 'json']);
      assert.is(r.code, 0, why(r));
      assert.is(json<ChangeJson>(r).applied, true);
      const good = backend(sim).spec.template.spec.containers[0].image;
      assert.is.not(good, broken);

      const again = await plugin(sim, [...cmd, '--yes', '-o', 'json']);
      assert.is(again.code, 0, why(again));
      const out = json<ChangeJson>(again);
      assert.is(out.applied, false);
      assert.match(out.message ?? '', noop);
      assert.is(backend(sim).spec.template.spec.containers[0].image, good, 'still the good image');
      assert.is(patches(sim).length, 1);
    } finally {
      await sim.close();
    }
  });
}

// The transport already retries each poll (5 attempts); these faults outlast it, so what is
// tested is the wait itself riding out a failed poll. Retry-After 0 keeps the transport fast.
test('503s and a reset on the rollout polls after the patch, past the transport retries: the wait rides it out and verifies', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  const storm = () => {
    sim.faults.push(
      { method: 'GET', pathRegex: BACKEND, times: 6, status: 503, retryAfter: 0 },
      { method: 'GET', pathRegex: BACKEND, times: 1, status: 'reset' },
    );
  };
  sim.faults.push({ method: 'PATCH', pathRegex: BACKEND, times: 1, mutate: storm });
  try {
    const r = await plugin(sim, ['fix', 'oom', '--yes', '-o', 'json']);
    assert.is(r.code, 0, why(r));
    const out = json<ChangeJson>(r);
    assert.equal([out.applied, out.rollout.status, out.verified], [true, 'complete', true]);
    assert.match(r.stderr, /could not read the rollout .*; trying again/);
    assert.ok(sim.faults.every((f) => f.times === undefined || f.times === 0), 'the whole storm hit the wait');
  } finally {
    await sim.close();
  }
});

test('polls that keep failing after the patch: exit 3 within the bound, and still the JSON with applied: true', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  sim.faults.push({ method: 'PATCH', pathRegex: BACKEND, times: 1, mutate: () => { sim.faults.push({ method: 'GET', pathRegex: BACKEND, status: 503, retryAfter: 0 }); } });
  try {
    const r = await plugin(sim, ['fix', 'oom', '--yes', '-o', 'json']);
    assert.is(r.code, 3, why(r));
    const out = json<ChangeJson>(r);
    assert.is(out.applied, true);
    assert.is(out.rollout.status, 'unknown');
    assert.match(out.message ?? '', /the change was applied, but its rollout could not be followed/);
    assert.match(r.stderr, /error: Error from server \(ServiceUnavailable\)/);
    assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
    assert.is(memory(sim).limits.memory, '1Gi');
  } finally {
    await sim.close();
  }
});

test('emergency stop again after a manual scale-up keeps the remembered count', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    assert.is((await plugin(sim, ['emergency', 'stop', '--yes', '--no-wait'])).code, 0);
    assert.is(backend(sim).metadata.annotations?.[REMEMBERED], '3');
    writer((d) => { d.spec.replicas = 2; })(sim.store);
    const r = await plugin(sim, ['emergency', 'stop', '--yes', '--no-wait', '-o', 'json']);
    assert.is(r.code, 0, why(r));
    assert.match(r.stderr, /already remembers 3 replicas .* keeping 3 \(it runs 2 now\)/);
    assert.equal(json<ChangeJson>(r).changes.map((c) => [c.path, c.from, c.to]), [['spec.replicas', 2, 0]]);
    assert.is(backend(sim).spec.replicas, 0);
    assert.is(backend(sim).metadata.annotations?.[REMEMBERED], '3');
    assert.is((await plugin(sim, ['emergency', 'resume', '--yes', '--no-wait'])).code, 0);
    assert.is(backend(sim).spec.replicas, 3);
  } finally {
    await sim.close();
  }
});

test('access reviews forbidden: a server-side dry run decides; refused → names the verb and resource, nothing changed', async () => {
  const reviewsForbidden = { method: 'POST', pathRegex: 'selfsubjectaccessreviews', status: 403 };
  const denied = await startSim({ scenario: 'crashloop-oom', faults: [reviewsForbidden], settings: { deny: [{ verb: 'patch', resource: 'deployments', group: 'apps' }] } });
  const allowed = await startSim({ scenario: 'crashloop-oom', faults: [{ ...reviewsForbidden }] });
  try {
    const before = JSON.stringify(backend(denied));
    const r = await plugin(denied, ['fix', 'oom', '--yes']);
    assert.is(r.code, 3, why(r));
    assert.match(r.stderr, /may not patch deployments\.apps dhakacart-backend in namespace "dhakacart"/);
    assert.ok(denied.requests.some((q) => q.method === 'PATCH' && /dryRun=All/.test(q.query)), 'the dry run was the check');
    assert.is(JSON.stringify(backend(denied)), before);

    const ok = await plugin(allowed, ['fix', 'oom', '--yes', '--no-wait', '-o', 'json']);
    assert.is(ok.code, 0, why(ok));
    assert.is(json<ChangeJson>(ok).applied, true);
    assert.is(memory(allowed).limits.memory, '1Gi');
  } finally {
    await denied.close();
    await allowed.close();
  }
});

test.run();
