// The dependency path end to end: for each dependency failure scenario, `why`'s Next: line is
// the command that repairs the first broken link; running it (kubectl or the plugin) against
// the simulator makes `status` exit 0. `fix db` never restarts when a restart cannot help.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { json, kubectl, run } from './helpers/binary';
import { DEFAULT_CONTROLLERS } from './sim/controllers/index';
import { dependentsRecover, statefulSetController } from './sim/controllers/statefulset';
import { loadScenario, startSim, type Sim } from './sim/index';

const NS = 'dhakacart';
/** The kubelet restarts crash-looping backends; once their dependencies answer, they start cleanly. */
const CONTROLLERS = [...DEFAULT_CONTROLLERS, statefulSetController, dependentsRecover('app=dhakacart-backend')];

const CASES: { scenario: string; next: string }[] = [
  { scenario: 'dep-postgres-scaled-zero', next: 'kubectl scale statefulset/postgres --replicas=1 -n dhakacart' },
  { scenario: 'dep-service-renamed', next: 'kubectl set env deployment/dhakacart-backend -n dhakacart DB_HOST=postgres-service' },
  { scenario: 'pending-scale-up', next: 'kubectl scale deployment/dhakacart-backend --replicas=2 -n dhakacart' },
  { scenario: 'dep-redis-oom', next: 'kubectl dhakacart fix oom deployment/redis -n dhakacart --memory 1Gi' },
  { scenario: 'dep-redis-auth', next: 'kubectl rollout restart deployment/redis -n dhakacart' },
];

const nextLine = (out: string) => /^Next: (.+)$/m.exec(out)?.[1] ?? '';

async function runNext(sim: Sim, line: string) {
  const words = line.split(/\s+/);
  if (words[1] === 'dhakacart') return run([...words.slice(2), '--kubeconfig', sim.kubeconfig, '--yes', '--settle', '1s', '--timeout', '30s']);
  return kubectl(sim.kubeconfig, words.slice(1));
}

for (const c of CASES) {
  test(`${c.scenario}: why says "${c.next}"; running it makes status exit 0`, async () => {
    const sim = await startSim({ scenario: c.scenario, controllers: CONTROLLERS });
    try {
      const pod = loadScenario(c.scenario).expect.pod!;
      const before = await run(['status', '--kubeconfig', sim.kubeconfig]);
      assert.is(before.code, 1, 'the scenario starts broken');
      const why = await run(['why', pod, '--kubeconfig', sim.kubeconfig]);
      assert.is(why.code, 1, why.stderr);
      console.log(`  ${c.scenario}: ${why.stdout.split('\n')[1]}`);
      assert.is(nextLine(why.stdout), c.next, why.stdout);
      const fix = await runNext(sim, c.next);
      assert.ok(fix.code === 0, `${c.next}: exit ${fix.code}\n${fix.stdout}\n${fix.stderr}`);
      // The recovered containers keep their last crash (minutes ago in the scenario's clock) in
      // lastState, which the default 1h window rightly still counts; what the fix must give is
      // a workload healthy now and no crash since, so the window is narrowed to the last minute.
      const after = await run(['status', '--kubeconfig', sim.kubeconfig, '--since', '1m']);
      assert.is(after.code, 0, `status after ${c.next}:\n${after.stdout}`);
    } finally {
      await sim.close();
    }
  });
}

const objects = (sim: Sim) => JSON.stringify(['deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'pods'].map((k) => sim.store.list(k, NS)));

test('dep-db-password-changed: why names the Secret that changed and the database\'s own log; fix db restarts nothing', async () => {
  const sim = await startSim({ scenario: 'dep-db-password-changed', controllers: CONTROLLERS });
  try {
    const pod = loadScenario('dep-db-password-changed').expect.pod!;
    const d = json<{ cause: string; summary: string; evidence: { detail: string }[]; fix: { command: string } | null }>(await run(['why', pod, '--kubeconfig', sim.kubeconfig, '-o', 'json']));
    console.log(`  dep-db-password-changed: ${d.cause}: ${d.summary}`);
    assert.is(d.cause, 'db');
    assert.match(d.fix?.command ?? '', /^# a restart cannot help: Secret db-credentials changed (4m5\ds|5m\d*s?) ago/);
    const cred = d.evidence.find((e) => e.detail.startsWith('fact: secret db-credentials: keys password (as DB_PASSWORD) are refused'))?.detail ?? '';
    assert.match(cred, /postgres-0 log: .*FATAL:  password authentication failed for user "dhakacart_app"/);
    assert.match(cred, /\(broken\)$/);
    const before = objects(sim);
    const fix = await run(['fix', 'db', '--yes', '--kubeconfig', sim.kubeconfig, '--timeout', '10s']);
    assert.is(fix.code, 1, fix.stderr);
    assert.match(fix.stderr, /a restart would not help/);
    assert.match(fix.stderr, /what would help: # a restart cannot help: Secret db-credentials/);
    assert.is(objects(sim), before, 'nothing restarted or changed');
  } finally {
    await sim.close();
  }
});

test('dep-redis-auth with its Secret forbidden: still the cache (likely), the Secret named as not read, no restart proposed', async () => {
  const sim = await startSim({ scenario: 'dep-redis-auth', faults: [{ pathRegex: /\/secrets\/redis-auth$/, status: 403 }] });
  try {
    const pod = loadScenario('dep-redis-auth').expect.pod!;
    const d = json<{ cause: string; confidence: string; summary: string; fix: { command: string } | null; notLookedAt: { what: string }[] }>(await run(['why', pod, '--kubeconfig', sim.kubeconfig, '-o', 'json']));
    assert.is(d.cause, 'dependency', d.summary);
    assert.is(d.confidence, 'likely');
    assert.match(d.summary, /secret redis-auth: keys password \(as REDIS_PASSWORD\): could not be read/);
    assert.match(d.summary, /Not checked: Secret redis-auth \(forbidden\)/);
    assert.equal(d.notLookedAt.map((g) => g.what), ['Secret redis-auth']);
    assert.not.match(d.fix?.command ?? '', /rollout restart/);
  } finally {
    await sim.close();
  }
});

test('fix db on a database scaled to 0 changes nothing and names the scale command', async () => {
  const sim = await startSim({ scenario: 'dep-postgres-scaled-zero', controllers: CONTROLLERS });
  try {
    const before = objects(sim);
    const fix = await run(['fix', 'db', '--yes', '--kubeconfig', sim.kubeconfig, '--timeout', '10s']);
    assert.is(fix.code, 1, fix.stderr);
    assert.match(fix.stderr, /what would help: kubectl scale statefulset\/postgres --replicas=1 -n dhakacart/);
    assert.is(objects(sim), before);
  } finally {
    await sim.close();
  }
});

test.run();
