// Advice that learns, through the binary against the advice-* scenarios: why's Next: line is
// the fix for what the scenario breaks, running it makes status exit 0, and what it says on the way.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { json, kubectl, run } from './helpers/binary';
import { startSim, type Sim } from './sim/index';

const NS = 'dhakacart';
const POD = 'dhakacart-backend-7d9f8c6b5d-x2x9k';
interface Diagnosis { cause: string; summary: string; fix: { command: string; kubectl: string[] } | null }
interface ChangeResult { action: string; changes: { path: string; from: unknown; to: unknown }[]; applied: boolean; verified: boolean; warnings: string[]; message: string | null }

const plugin = (sim: Sim, args: string[]) => run([...args, '--kubeconfig', sim.kubeconfig, '--settle', '1s', '--timeout', '30s']);
const backend = (sim: Sim) => sim.store.get('deployments.apps', NS, 'dhakacart-backend')!;
const liveness = (sim: Sim) => backend(sim).spec.template.spec.containers.find((c: { name: string }) => c.name === 'backend').livenessProbe;

/** why's Next: command, without its trailing note, as argv for the plugin. */
async function next(sim: Sim): Promise<{ d: Diagnosis; argv: string[] }> {
  const r = await run(['why', POD, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
  assert.is(r.code, 1, r.stderr);
  const d = json<Diagnosis>(r);
  const cmd = d.fix?.command.split('  #')[0] ?? '';
  assert.match(cmd, /^kubectl dhakacart /, d.summary);
  return { d, argv: cmd.split(' ').slice(2) };
}

async function applyNextAndCheck(scenario: string, want: RegExp): Promise<{ sim: Sim; d: Diagnosis; result: ChangeResult }> {
  const sim = await startSim({ scenario });
  const { d, argv } = await next(sim);
  assert.match(d.fix!.command, want);
  const r = await plugin(sim, [...argv, '--yes', '-o', 'json']);
  assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const result = json<ChangeResult>(r);
  assert.ok(result.applied);
  const status = await run(['status', '--kubeconfig', sim.kubeconfig]);
  assert.is(status.code, 0, status.stdout);
  return { sim, d, result };
}

test('advice-probe-port: liveness on 8080, app on 5000 → fix probe --port 5000, then status exits 0', async () => {
  const { sim, d, result } = await applyNextAndCheck('advice-probe-port', /fix probe deployment\/dhakacart-backend -n dhakacart --port 5000$/);
  try {
    assert.is(d.cause, 'probe');
    assert.match(d.summary, /checks port 8080 but the app listens on 5000/);
    assert.is(liveness(sim).httpGet.port, 5000);
    assert.is(liveness(sim).initialDelaySeconds, 30, 'not relaxed');
    assert.ok(result.verified);
  } finally {
    await sim.close();
  }
});

test('advice-probe-path: 404 on /healthz → fix probe --path /health, then status exits 0', async () => {
  const { sim, d } = await applyNextAndCheck('advice-probe-path', /--path \/health$/);
  try {
    assert.match(d.summary, /answers 404/);
    assert.is(liveness(sim).httpGet.path, '/health');
  } finally {
    await sim.close();
  }
});

test('advice-rollback-history: rollback skips revision 4 (just as broken) and goes to 3; --to-revision 4 is still kubectl\'s', async () => {
  const { sim, d, result } = await applyNextAndCheck('advice-rollback-history', /rollback deployment\/dhakacart-backend -n dhakacart --to-revision 3  # revision 3 is the newest that ran healthy/);
  const [plain, twin] = [await startSim({ scenario: 'advice-rollback-history' }), await startSim({ scenario: 'advice-rollback-history' })];
  try {
    assert.is(d.cause, 'crash');
    assert.ok(d.fix!.kubectl.some((k) => k.endsWith('--to-revision=3')));
    assert.is(backend(sim).spec.template.spec.containers[0].image, 'dhakacart/backend:v1.4.0');
    assert.ok(result.verified);
    // Without a revision the plugin picks 3 on its own; with --to-revision 4 it does what kubectl does.
    const auto = json<ChangeResult>(await plugin(plain, ['rollback', '--dry-run', '-o', 'json']));
    assert.equal(auto.changes[0], { path: 'spec.template', from: 'revision 5', to: 'revision 3' });
    assert.match(auto.warnings.join('\n'), /going to revision 3: .*revision 4 failed too: its pods failed \(BackOff/);
    const r = await plugin(plain, ['rollback', '--to-revision', '4', '--yes', '--no-wait']);
    assert.is(r.code, 0, r.stderr);
    const k = await kubectl(twin.kubeconfig, ['rollout', 'undo', 'deployment/dhakacart-backend', '-n', NS, '--to-revision=4']);
    assert.is(k.code, 0, k.stderr);
    assert.equal(backend(plain).spec.template.spec, backend(twin).spec.template.spec);
  } finally {
    await sim.close();
    await plain.close();
    await twin.close();
  }
});

test('advice-evicted-replaced: fix evicted deletes the evicted pod (dry run first deletes nothing), then status exits 0', async () => {
  const dry = await startSim({ scenario: 'advice-evicted-replaced' });
  try {
    const r = await plugin(dry, ['fix', 'evicted', '--dry-run', '-o', 'json']);
    assert.is(r.code, 0, r.stderr);
    assert.equal(json<ChangeResult>(r).changes.map((c) => c.path), [`pod/${POD}`]);
    assert.ok(dry.store.get('pods', NS, POD), 'a dry run deletes nothing');
    assert.ok(dry.requests.some((q) => q.method === 'DELETE' && /dryRun=All/.test(q.query ?? '')), 'the server was asked for a dry run');
    // A pod that took the evicted pod's name between the plan and the delete is another pod: the uid precondition keeps it.
    let newUid = '';
    dry.faults.push({
      method: 'DELETE', pathRegex: `/pods/${POD}$`, times: 1,
      mutate: (store) => {
        const old = store.get('pods', NS, POD)!;
        store.delete('pods', NS, POD);
        const again = structuredClone(old);
        delete again.metadata.uid;
        delete again.metadata.resourceVersion;
        newUid = store.create('pods', again).metadata.uid!;
      },
    });
    const kept = await plugin(dry, ['fix', 'evicted', '--yes']);
    assert.is(kept.code, 0, kept.stderr);
    assert.match(kept.stderr, /was not deleted: it is another pod by now/);
    assert.is(dry.store.get('pods', NS, POD)?.metadata.uid, newUid);
  } finally {
    await dry.close();
  }
  const { sim, d, result } = await applyNextAndCheck('advice-evicted-replaced', /fix evicted deployment\/dhakacart-backend -n dhakacart$/);
  try {
    assert.is(d.cause, 'evicted');
    assert.is(sim.store.get('pods', NS, POD), undefined);
    assert.match(result.warnings.join('\n'), /evicted by the kubelet: The node was low on resource: ephemeral-storage/);
  } finally {
    await sim.close();
  }
});

test('advice-helm-oom: why and fix oom say the next helm upgrade undoes the patch, and give the values change', async () => {
  const { sim, d, result } = await applyNextAndCheck('advice-helm-oom', /fix oom .*--memory 1Gi  # managed by Helm \(dhakacart\): its next upgrade undoes this; durable: helm upgrade dhakacart dhakacart-backend -n dhakacart --reuse-values --set resources\.limits\.memory=1Gi/);
  try {
    assert.is(d.cause, 'oom');
    assert.match(result.warnings.join('\n'), /managed by Helm release dhakacart: the next helm upgrade will undo a direct change.*--set resources\.limits\.memory=1Gi --set resources\.requests\.memory=512Mi/);
  } finally {
    await sim.close();
  }
  // An unmanaged backend gets no such warning.
  const plainSim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const r = await plugin(plainSim, ['fix', 'oom', '--dry-run', '-o', 'json']);
    assert.not.match(json<ChangeResult>(r).warnings.join('\n'), /managed by/);
  } finally {
    await plainSim.close();
  }
});

test.run();
