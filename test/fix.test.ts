// fix / rollback / emergency end to end: the binary changes the simulated cluster, the
// deployment controller rolls out, and status agrees afterwards. Safety first: nothing
// changes without --yes off a terminal, and --dry-run changes nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { BIN, baseEnv, json, kubectl, run, type RunResult } from './helpers/binary';
import { startSim, type Sim } from './sim/index';

const DEP = 'deployments.apps';
const RS = 'replicasets.apps';
const NS = 'dhakacart';
const POD = 'dhakacart-backend-7d9f8c6b5d-x2x9k';

interface ChangeJson {
  action: string; target: string; dryRun: boolean; changes: { path: string; from: unknown; to: unknown }[]; applied: boolean;
  rollout: { status: string; revision: number | null }; verified: boolean;
}

const backend = (sim: Sim) => sim.store.get(DEP, NS, 'dhakacart-backend')!;
const container = (sim: Sim) => backend(sim).spec.template.spec.containers.find((c: { name: string }) => c.name === 'backend');
const revisionOf = (sim: Sim) => backend(sim).metadata.annotations?.['deployment.kubernetes.io/revision'];
/** The pod template minus what legitimately differs between two writers. */
const templateOf = (sim: Sim) => {
  const t = structuredClone(backend(sim).spec.template);
  delete t.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
  return t;
};
const objects = (sim: Sim) => JSON.stringify([DEP, RS, 'pods'].map((k) => sim.store.list(k, NS)));
const plugin = (sim: Sim, args: string[]) => run([...args, '--kubeconfig', sim.kubeconfig, '--settle', '1s', '--timeout', '30s']);

async function expectRecovered(sim: Sim, r: RunResult) {
  assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const out = json<ChangeJson>(r);
  assert.is(out.applied, true);
  assert.is(out.rollout.status, 'complete');
  assert.is(out.verified, true);
  const status = await run(['status', '--kubeconfig', sim.kubeconfig, '-o', 'json']);
  assert.is(status.code, 0, `status after the fix:\n${status.stdout}`);
  assert.match(backend(sim).metadata.annotations?.['kubernetes.io/change-cause'] ?? '', /^kubectl dhakacart /);
}

test('fix oom: limit raised to 1Gi, request 512Mi, rollout verified, status healthy', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const r = await plugin(sim, ['fix', 'oom', POD, '--yes', '-o', 'json']);
    await expectRecovered(sim, r);
    assert.is(container(sim).resources.limits.memory, '1Gi');
    assert.is(container(sim).resources.requests.memory, '512Mi');
  } finally {
    await sim.close();
  }
});

test('fix probe: liveness probe relaxed, status healthy', async () => {
  const sim = await startSim({ scenario: 'crashloop-probe' });
  try {
    await expectRecovered(sim, await plugin(sim, ['fix', 'probe', '--yes', '-o', 'json']));
    assert.is(container(sim).livenessProbe.initialDelaySeconds, 60);
    assert.is(container(sim).livenessProbe.timeoutSeconds, 10);
  } finally {
    await sim.close();
  }
});

test('fix image: back to the previous image, the same template and revision as kubectl set image', async () => {
  const [a, b] = [await startSim({ scenario: 'crashloop-image' }), await startSim({ scenario: 'crashloop-image' })];
  try {
    const r = await plugin(a, ['fix', 'image', '--yes', '-o', 'json']);
    await expectRecovered(a, r);
    const to = json<ChangeJson>(r).changes[0]!.to as string;
    const k = await kubectl(b.kubeconfig, ['set', 'image', 'deployment/dhakacart-backend', `backend=${to}`, '-n', NS]);
    assert.is(k.code, 0, k.stderr);
    assert.equal(templateOf(a), templateOf(b));
    assert.is(revisionOf(a), revisionOf(b));
  } finally {
    await a.close();
    await b.close();
  }
});

test('fix db: refuses while the database is down, restarts the backend once it is back', async () => {
  const sim = await startSim({ scenario: 'crashloop-db' });
  try {
    const before = objects(sim);
    const down = await plugin(sim, ['fix', 'db', '--yes', '--no-wait']);
    assert.is(down.code, 1, down.stderr);
    assert.match(down.stderr, /database path is broken/);
    assert.is(objects(sim), before, 'nothing changed while the database is down');
    // The database comes back (someone fixed postgres), as the runbook's recovery assumes.
    for (const p of sim.store.list('pods', NS).filter((x) => x.metadata.labels?.app === 'postgres')) {
      p.status.phase = 'Running';
      p.status.conditions = [{ type: 'Ready', status: 'True' }];
      // Recreated by its StatefulSet once fixed: no crash of the new pod to count (status --since).
      p.status.containerStatuses = p.status.containerStatuses.map((c: object) => ({ ...c, ready: true, restartCount: 0, lastState: {}, state: { running: { startedAt: new Date().toISOString() } } }));
      sim.store.update('pods', p);
    }
    // What the StatefulSet controller (not simulated) would report for the recovered pod.
    const sts = sim.store.get('statefulsets.apps', NS, 'postgres')!;
    sts.status = { ...sts.status, readyReplicas: 1, availableReplicas: 1 };
    sim.store.update('statefulsets.apps', sts);
    const ep = sim.store.get('endpoints', NS, 'postgres-service')!;
    ep.subsets = [{ addresses: [{ ip: '10.244.3.20', targetRef: { kind: 'Pod', name: 'postgres-0' } }], ports: [{ port: 5432 }] }];
    sim.store.update('endpoints', ep);
    await expectRecovered(sim, await plugin(sim, ['fix', 'db', '--yes', '-o', 'json']));
    assert.ok(backend(sim).spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
  } finally {
    await sim.close();
  }
});

test('rollback: the same pod template and revision as kubectl rollout undo', async () => {
  const [a, b] = [await startSim({ scenario: 'crashloop-image' }), await startSim({ scenario: 'crashloop-image' })];
  try {
    const r = await plugin(a, ['rollback', '--yes', '-o', 'json']);
    await expectRecovered(a, r);
    const k = await kubectl(b.kubeconfig, ['rollout', 'undo', 'deployment/dhakacart-backend', '-n', NS]);
    assert.is(k.code, 0, k.stderr);
    assert.equal(templateOf(a), templateOf(b));
    assert.is(revisionOf(a), revisionOf(b));
    const history = await plugin(a, ['rollback', '--to-revision', '99', '--yes']);
    assert.is(history.code, 2);
    assert.match(history.stderr, /unable to find specified revision 99 in history/);
  } finally {
    await a.close();
    await b.close();
  }
});

test('emergency stop remembers the replicas, resume restores them, image switches the tag', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const stop = await plugin(sim, ['emergency', 'stop', '--yes', '-o', 'json']);
    assert.is(stop.code, 0, stop.stderr);
    assert.is(backend(sim).spec.replicas, 0);
    assert.is(backend(sim).metadata.annotations?.['dhakacart.io/replicas-before-emergency'], '3');
    const resume = await plugin(sim, ['emergency', 'resume', '--yes', '--no-wait', '-o', 'json']);
    assert.is(resume.code, 0, resume.stderr);
    assert.is(backend(sim).spec.replicas, 3);
    assert.is(backend(sim).metadata.annotations?.['dhakacart.io/replicas-before-emergency'], undefined);
    const img = await plugin(sim, ['emergency', 'image', '--yes', '--no-wait', '-o', 'json']);
    assert.is(img.code, 0, img.stderr);
    assert.is(container(sim).image, 'dhakacart/backend:emergency');
  } finally {
    await sim.close();
  }
});

test('without --yes off a terminal, and with --dry-run, nothing changes', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const before = objects(sim);
    for (const args of [['fix', 'oom'], ['fix', 'probe'], ['fix', 'image'], ['rollback'], ['emergency', 'stop']]) {
      const r = await plugin(sim, args);
      assert.is(r.code, 4, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /not interactive and --yes was not given/);
    }
    const dry = await plugin(sim, ['fix', 'oom', '--dry-run', '-o', 'json']);
    assert.is(dry.code, 0, dry.stderr);
    const out = json<ChangeJson>(dry);
    assert.is(out.dryRun, true);
    assert.is(out.applied, false);
    assert.ok(out.changes.length > 0);
    assert.ok(sim.requests.some((q) => q.method === 'PATCH' && /dryRun=All/.test(q.query ?? '')), 'a server-side dry run was sent');
    assert.is(objects(sim), before, 'objects unchanged');
  } finally {
    await sim.close();
  }
});

test('a fix that makes things worse fails fast with exit 1, not after the deadline', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  try {
    const r = await plugin(sim, ['fix', 'image', '--to', 'v9.9.9-missing', '--yes', '-o', 'json']);
    assert.is(r.code, 1, r.stderr);
    const out = json<ChangeJson>(r);
    assert.is(out.applied, true);
    assert.is(out.rollout.status, 'failed');
    assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
  } finally {
    await sim.close();
  }
});

test('a denied write is refused before anything is sent, naming the verb and resource', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom', settings: { deny: [{ verb: 'patch', resource: 'deployments', group: 'apps' }] } });
  try {
    const before = objects(sim);
    const r = await plugin(sim, ['fix', 'oom', '--yes']);
    assert.is(r.code, 3);
    assert.match(r.stderr, /may not patch deployments\.apps dhakacart-backend/);
    assert.is(objects(sim), before);
  } finally {
    await sim.close();
  }
});

test('misplaced options and bad targets are usage errors', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  try {
    assert.is((await plugin(sim, ['fix', 'probe', '--memory', '1Gi', '--yes'])).code, 2);
    assert.is((await plugin(sim, ['fix', 'oom', '--memory', 'lots', '--yes'])).code, 2);
    assert.is((await plugin(sim, ['fix', 'oom', 'statefulset/postgres', '--yes'])).code, 2);
    const missing = await plugin(sim, ['fix', 'oom', 'deployment/nope', '--yes']);
    assert.is(missing.code, 3);
    assert.match(missing.stderr, /deployment "nope" not found/);
  } finally {
    await sim.close();
  }
});

test('a conflicting write is retried against the fresh object', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom', faults: [{ method: 'PATCH', pathRegex: '/deployments/dhakacart-backend$', status: 409, times: 1 }] });
  try {
    const r = await plugin(sim, ['fix', 'oom', '--yes', '-o', 'json']);
    await expectRecovered(sim, r);
    assert.match(r.stderr, /changed meanwhile; planning again/);
    assert.is(sim.requests.filter((q) => q.method === 'PATCH' && q.path.endsWith('/deployments/dhakacart-backend')).length, 2);
  } finally {
    await sim.close();
  }
});

/**
 * The binary on a pseudo-terminal (util-linux script), answering each prompt in turn with
 * `answers`. `cols` 0 is a pty that reports no width, as some CI runners give.
 */
function onTerminal(sim: Sim, args: string[], answers: string | string[], cols = 120): Promise<{ code: number | null; out: string }> {
  const cmd = `stty cols ${cols} rows 40; ${[BIN, ...args, '--kubeconfig', sim.kubeconfig, '--settle', '1s'].join(' ')}`;
  const queue = [answers].flat();
  return new Promise((resolve) => {
    const c = spawn('script', ['-qec', cmd, '/dev/null'], { env: baseEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let answered = 0;
    c.stdout.on('data', (d) => {
      out += d;
      if ((out.match(/\[y\/N\]/g) ?? []).length > answered && queue.length) {
        answered++;
        c.stdin.write(`${queue.shift()}\n`);
        if (!queue.length) c.stdin.end();
      }
    });
    const timer = setTimeout(() => c.kill('SIGKILL'), 30_000);
    c.on('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

test('on a terminal the plan is confirmed first: "n" changes nothing, "y" applies', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const before = objects(sim);
    const no = await onTerminal(sim, ['fix', 'oom'], 'n');
    assert.is(no.code, 4, no.out);
    assert.match(no.out, /Apply fix oom to deployment\/dhakacart-backend in dhakacart\? \[y\/N\]/);
    assert.match(no.out, /declined; nothing was changed/);
    assert.is(objects(sim), before);
    const yes = await onTerminal(sim, ['fix', 'oom'], 'y');
    assert.is(yes.code, 0, yes.out);
    assert.is(container(sim).resources.limits.memory, '1Gi');
    const noWidth = await onTerminal(sim, ['fix', 'probe'], 'y', 0);
    assert.is(noWidth.code, 0, 'a pty without a width must not hang the spinner');
  } finally {
    await sim.close();
  }
});

test('on a terminal a replan that differs is shown and confirmed again: "n" keeps the other writer\'s change, "y" applies the new plan', async () => {
  const raiseTo = (memory: string) => ({
    method: 'PATCH', pathRegex: '/deployments/dhakacart-backend$', times: 1,
    mutate: (store: Sim['store']) => {
      const d = store.get(DEP, NS, 'dhakacart-backend')!;
      d.spec.template.spec.containers.find((c: { name: string }) => c.name === 'backend').resources.limits.memory = memory;
      store.update(DEP, d);
    },
  });
  const sim = await startSim({ scenario: 'crashloop-oom', faults: [raiseTo('2Gi')] });
  try {
    const no = await onTerminal(sim, ['fix', 'oom', '--no-wait'], ['y', 'n']);
    assert.is(no.code, 4, no.out);
    assert.match(no.out, /512Mi\s+1Gi[\s\S]*no longer the one confirmed[\s\S]*2Gi\s+4Gi[\s\S]*Apply this new fix oom to deployment\/dhakacart-backend/);
    assert.is(container(sim).resources.limits.memory, '2Gi');
    sim.faults.push(raiseTo('3Gi'));
    const yes = await onTerminal(sim, ['fix', 'oom', '--no-wait'], ['y', 'y']);
    assert.is(yes.code, 0, yes.out);
    assert.match(yes.out, /3Gi\s+6Gi/);
    assert.is(container(sim).resources.limits.memory, '6Gi');
  } finally {
    await sim.close();
  }
});

test.run();
