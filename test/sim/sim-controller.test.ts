// The simulator's deployment controller against real kubectl: revisions as kube-controller-manager
// numbers them (a new ReplicaSet per template, an old one re-stamped by `rollout undo`),
// change-causes in `rollout history`, scale to zero and back, `rollout status`, and pod
// outcomes from the cluster's state and the scenario's podRules.
/* eslint-disable @typescript-eslint/no-explicit-any */
import fs from 'node:fs';
import { test } from 'uvu';
import { KUBECTL, kubectl as runKubectl } from '../helpers/binary';
import * as assert from 'uvu/assert';
import { deploymentController, templateHash } from './controllers/deployment';
import { runControllers, DEFAULT_CONTROLLERS } from './controllers/index';
import { loadScenario, startSim, storeFromScenario, type KObj, type Sim } from './index';

const hasKubectl = fs.existsSync(KUBECTL);

interface Run { code: number; out: string; err: string }
async function kubectl(sim: Sim, args: string[]): Promise<Run> {
  const r = await runKubectl(sim.kubeconfig, ['-n', NS, ...args]);
  return { code: r.code ?? 1, out: r.stdout, err: r.stderr };
}
async function ok(sim: Sim, args: string[]): Promise<string> {
  const r = await kubectl(sim, args);
  assert.is(r.code, 0, `kubectl ${args.join(' ')}: ${r.err}`);
  return r.out;
}

const NS = 'dhakacart';
const DEP = 'deployments.apps';
const RS = 'replicasets.apps';
const BACKEND = 'deployment/dhakacart-backend';
const OLD_RS = 'dhakacart-backend-7d9f8c6b5d';
const dep = (sim: Sim) => sim.store.get(DEP, NS, 'dhakacart-backend')!;
const rsOf = (sim: Sim, name: string) => sim.store.get(RS, NS, name)!;
const ann = (o: KObj, k: string) => o.metadata.annotations?.[k];
const backendPods = (sim: Sim) => sim.store.list('pods', NS).filter((p) => p.metadata.labels?.app === 'dhakacart-backend');
const podsOf = (sim: Sim, rs: string) => sim.store.list('pods', NS).filter((p) => p.metadata.ownerReferences?.[0]?.name === rs);
const ready = (p: KObj) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
const backendStatus = (p: KObj) => p.status.containerStatuses.find((c: any) => c.name === 'backend');
/** The ReplicaSet the Deployment's current template belongs to. */
const currentRs = (sim: Sim) => sim.store.list(RS, NS).find((r) => r.metadata.ownerReferences?.[0]?.name === 'dhakacart-backend' && r.metadata.annotations?.['deployment.kubernetes.io/revision'] === ann(dep(sim), 'deployment.kubernetes.io/revision'))!;
const events = (sim: Sim, name: string) => sim.store.list('events', NS).filter((e) => e.involvedObject?.name === name);

test('set image makes revision 8, rollout status completes, rollout undo re-stamps the old ReplicaSet as 9', async () => {
  if (!hasKubectl) return;
  const sim = await startSim({ scenario: 'healthy' });
  try {
    assert.match(await ok(sim, ['set', 'image', BACKEND, 'backend=dhakacart/backend:emergency']), 'deployment.apps/dhakacart-backend image updated');
    assert.match(await ok(sim, ['rollout', 'status', BACKEND, '--timeout=10s']), 'deployment "dhakacart-backend" successfully rolled out');
    assert.is(ann(dep(sim), 'deployment.kubernetes.io/revision'), '8');
    const rs8 = currentRs(sim);
    const hash = rs8.metadata.labels!['pod-template-hash']!;
    assert.is(rs8.metadata.name, `dhakacart-backend-${hash}`);
    assert.match(hash, /^[bcdf4-9]{6,10}$/);
    assert.is(hash, templateHash(dep(sim).spec.template), 'the hash is a function of the template');
    assert.equal(rs8.spec.selector.matchLabels, { app: 'dhakacart-backend', 'pod-template-hash': hash });
    assert.is(rs8.metadata.ownerReferences![0]!.uid, dep(sim).metadata.uid);
    assert.is(ann(rs8, 'deployment.kubernetes.io/desired-replicas'), '3');
    assert.is(ann(rs8, 'deployment.kubernetes.io/max-replicas'), '4');
    // New pods: Ready, spread over the nodes, each with its own IP, answering through the pod proxy.
    const pods = podsOf(sim, rs8.metadata.name!);
    assert.is(pods.length, 3);
    assert.ok(pods.every(ready), 'new pods Ready');
    assert.ok(pods.every((p) => new RegExp(`^${rs8.metadata.name}-[a-z0-9]{5}$`).test(p.metadata.name!)));
    assert.is(new Set(pods.map((p) => p.spec.nodeName)).size, 3);
    assert.is(new Set(pods.map((p) => p.status.podIP)).size, 3);
    assert.is(podsOf(sim, OLD_RS).length, 0, 'old pods gone');
    assert.is(rsOf(sim, OLD_RS).spec.replicas, 0);
    const st = dep(sim).status;
    assert.equal([st.observedGeneration, st.replicas, st.updatedReplicas, st.readyReplicas, st.availableReplicas, st.unavailableReplicas],
      [dep(sim).metadata.generation, 3, 3, 3, 3, undefined]);
    assert.is(st.conditions.find((c: any) => c.type === 'Progressing').reason, 'NewReplicaSetAvailable');
    assert.is(st.conditions.find((c: any) => c.type === 'Available').status, 'True');
    const ep = sim.store.get('endpoints', NS, 'backend-service')!;
    assert.equal(ep.subsets[0].addresses.map((a: any) => a.targetRef.name).sort(), pods.map((p) => p.metadata.name).sort());
    assert.match(await ok(sim, ['get', '--raw', `/api/v1/namespaces/${NS}/pods/${pods[0]!.metadata.name}:5000/proxy/api/products`]), 'Jamdani Saree');
    assert.match(await ok(sim, ['get', 'events', '--field-selector', 'involvedObject.name=dhakacart-backend']),
      `Scaled up replica set ${rs8.metadata.name} from 0 to 1`);
    assert.match(await ok(sim, ['logs', pods[0]!.metadata.name!]), 'Starting dhakacart/backend:emergency');

    // The change-cause, as the replacement for --record: annotate after the change; the controller copies it.
    await ok(sim, ['annotate', BACKEND, 'kubernetes.io/change-cause=on-call: emergency image', '--overwrite']);
    assert.is(ann(currentRs(sim), 'kubernetes.io/change-cause'), 'on-call: emergency image');

    assert.match(await ok(sim, ['rollout', 'undo', BACKEND]), 'deployment.apps/dhakacart-backend rolled back');
    const old = rsOf(sim, OLD_RS);
    assert.is(ann(old, 'deployment.kubernetes.io/revision'), '9');
    assert.is(ann(old, 'deployment.kubernetes.io/revision-history'), '7');
    assert.is(ann(dep(sim), 'deployment.kubernetes.io/revision'), '9');
    assert.is(old.spec.replicas, 3);
    assert.is(rsOf(sim, rs8.metadata.name!).spec.replicas, 0);
    assert.is(sim.store.list(RS, NS).filter((r) => r.metadata.ownerReferences?.[0]?.name === 'dhakacart-backend').length, 4, 'no new ReplicaSet for an old template');
    assert.match(await ok(sim, ['rollout', 'status', BACKEND, '--timeout=10s']), 'successfully rolled out');
    const history = await ok(sim, ['rollout', 'history', BACKEND]);
    const rows = history.split('\n').filter((l) => /^\d+\s/.test(l)).map((l) => l.trim().split(/\s{2,}/));
    assert.equal(rows, [
      ['5', 'CI: deploy dhakacart/backend:v1.4.0 (pipeline #1142)'],
      ['6', 'CI: deploy dhakacart/backend:v1.4.1 (pipeline #1163)'],
      ['8', 'on-call: emergency image'],
      ['9', 'CI: deploy dhakacart/backend:v1.4.2 (pipeline #1187)'],
    ]);
    // A second undo flips back: the emergency ReplicaSet becomes 10, remembering 8.
    await ok(sim, ['rollout', 'undo', BACKEND]);
    assert.is(ann(rsOf(sim, rs8.metadata.name!), 'deployment.kubernetes.io/revision'), '10');
    assert.is(ann(rsOf(sim, rs8.metadata.name!), 'deployment.kubernetes.io/revision-history'), '8');
  } finally {
    await sim.close();
  }
});

test('scale to 0 deletes the pods (the Endpoints empty), scale back recreates them Ready', async () => {
  if (!hasKubectl) return;
  const sim = await startSim({ scenario: 'crashloop-image' });
  try {
    assert.match(await ok(sim, ['scale', BACKEND, '--replicas=0']), 'deployment.apps/dhakacart-backend scaled');
    assert.is(backendPods(sim).length, 0);
    assert.is(rsOf(sim, OLD_RS).spec.replicas, 0);
    assert.equal(sim.store.get('endpoints', NS, 'backend-service')!.subsets, undefined);
    assert.match(await ok(sim, ['rollout', 'status', BACKEND, '--timeout=5s']), 'successfully rolled out');
    assert.match(await ok(sim, ['get', 'events', '--field-selector', `involvedObject.name=${OLD_RS}`]), 'Deleted pod: dhakacart-backend-7d9f8c6b5d-x2x9k');

    // Back to 3 on the broken image: the new ReplicaSet gets its pods, they fail to pull,
    // and the rollout stalls without taking the old ReplicaSet further down.
    await ok(sim, ['scale', BACKEND, '--replicas=3']);
    const pods = backendPods(sim);
    assert.is(pods.length, 3);
    assert.ok(pods.every((p) => backendStatus(p).state.waiting?.reason === 'ErrImagePull'));
    assert.match(backendStatus(pods[0]!).state.waiting.message, /docker\.io\/dhakacart\/backend:v1\.5\.0-typo: not found$/);
    assert.is(dep(sim).status.unavailableReplicas, 3);
    assert.is(dep(sim).status.conditions.find((c: any) => c.type === 'Available').status, 'False');

    // The rollback: the old ReplicaSet comes back, Ready, and the broken one goes to 0.
    await ok(sim, ['rollout', 'undo', BACKEND]);
    assert.match(await ok(sim, ['rollout', 'status', BACKEND, '--timeout=5s']), 'successfully rolled out');
    assert.ok(backendPods(sim).every((p) => ready(p) && p.metadata.name!.startsWith(OLD_RS)));
    assert.is(sim.store.get('endpoints', NS, 'backend-service')!.subsets[0].addresses.length, 3);
  } finally {
    await sim.close();
  }
});

test('a failing rollout stalls with the old pods serving; the new pod fails to pull with the kubelet\'s words', async () => {
  if (!hasKubectl) return;
  const sim = await startSim({ scenario: 'healthy' });
  try {
    await ok(sim, ['set', 'image', BACKEND, 'backend=dhakacart/backend:v9.9.9-missing']);
    const st = await ok(sim, ['rollout', 'status', BACKEND, '--watch=false']);
    assert.match(st, 'Waiting for deployment "dhakacart-backend" rollout to finish: 1 out of 3 new replicas have been updated...');
    const newRs = currentRs(sim);
    assert.is(newRs.spec.replicas, 1, 'maxSurge 25% of 3');
    assert.is(rsOf(sim, OLD_RS).spec.replicas, 3, 'maxUnavailable 25% of 3 rounds down to 0');
    assert.is(podsOf(sim, OLD_RS).filter(ready).length, 3);
    const [p] = podsOf(sim, newRs.metadata.name!);
    assert.is(p!.status.phase, 'Pending');
    assert.is(backendStatus(p!).state.waiting.reason, 'ErrImagePull');
    const evs = events(sim, p!.metadata.name!).map((e) => `${e.reason}: ${e.message}`);
    assert.ok(evs.includes('Pulling: Pulling image "dhakacart/backend:v9.9.9-missing"'), evs.join('\n'));
    assert.ok(evs.includes('Failed: Error: ErrImagePull'), evs.join('\n'));
    assert.is(dep(sim).status.replicas, 4);
    assert.is(dep(sim).status.updatedReplicas, 1);
    assert.is(dep(sim).status.conditions.find((c: any) => c.type === 'Progressing').reason, 'ReplicaSetUpdated');
    const logs = await kubectl(sim, ['logs', p!.metadata.name!]);
    assert.match(logs.err, 'is waiting to start: image can\'t be pulled');
  } finally {
    await sim.close();
  }
});

test('podRules and the cluster decide outcomes: OOMKilled until the limit is raised', async () => {
  if (!hasKubectl) return;
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    await ok(sim, ['rollout', 'restart', BACKEND]);
    const pods = podsOf(sim, currentRs(sim).metadata.name!);
    assert.is(pods.length, 1, 'the rollout stalls after the first surge pod');
    const cs = backendStatus(pods[0]!);
    assert.is(cs.state.waiting.reason, 'CrashLoopBackOff');
    assert.match(cs.state.waiting.message, new RegExp(`^back-off 10s restarting failed container=backend pod=${pods[0]!.metadata.name}_dhakacart\\(${pods[0]!.metadata.uid}\\)$`));
    assert.equal([cs.lastState.terminated.reason, cs.lastState.terminated.exitCode], ['OOMKilled', 137]);
    assert.ok(cs.restartCount >= 1);
    assert.match(await ok(sim, ['logs', pods[0]!.metadata.name!, '--previous']), 'heap used');
    assert.match(await ok(sim, ['describe', 'pod', pods[0]!.metadata.name!]), /Back-off restarting failed container backend in pod/);

    await ok(sim, ['set', 'resources', BACKEND, '-c', 'backend', '--limits=memory=1Gi', '--requests=memory=512Mi']);
    assert.match(await ok(sim, ['rollout', 'status', BACKEND, '--timeout=5s']), 'successfully rolled out');
    assert.ok(backendPods(sim).every(ready));
    assert.is(backendPods(sim).length, 3);
  } finally {
    await sim.close();
  }
});

test('probe, config and db outcomes', async () => {
  if (!hasKubectl) return;
  const [probe, db] = [await startSim({ scenario: 'crashloop-probe' }), await startSim({ scenario: 'crashloop-db' })];
  try {
    // probe: killed by the liveness probe (exit 137, not OOM) until it waits 60 s and allows 10 s.
    await ok(probe, ['rollout', 'restart', BACKEND]);
    const [p] = podsOf(probe, currentRs(probe).metadata.name!);
    assert.equal([backendStatus(p!).lastState.terminated.reason, backendStatus(p!).lastState.terminated.exitCode], ['Error', 137]);
    const evs = events(probe, p!.metadata.name!).map((e) => `${e.type} ${e.reason}: ${e.message}`);
    assert.ok(evs.includes('Normal Killing: Container backend failed liveness probe, will be restarted'), evs.join('\n'));
    assert.ok(evs.some((e) => e.startsWith('Warning Unhealthy: Liveness probe failed: Get "http://10.244.')), evs.join('\n'));
    await ok(probe, ['patch', BACKEND, '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"backend","livenessProbe":{"initialDelaySeconds":60}}]}}}}']);
    assert.is(backendStatus(podsOf(probe, currentRs(probe).metadata.name!)[0]!).lastState.terminated?.exitCode, 137, 'timeout 5 s still kills');
    await ok(probe, ['patch', BACKEND, '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"backend","livenessProbe":{"timeoutSeconds":10}}]}}}}']);
    assert.match(await ok(probe, ['rollout', 'status', BACKEND, '--timeout=5s']), 'successfully rolled out');

    // config: the Secret loses the key the container reads.
    await ok(probe, ['patch', 'secret', 'db-credentials', '--type=json', '-p', '[{"op":"remove","path":"/data/password"}]']);
    await ok(probe, ['set', 'env', BACKEND, '-c', 'backend', 'RESTARTED=1']);
    const [c] = podsOf(probe, currentRs(probe).metadata.name!);
    assert.equal(backendStatus(c!).state.waiting, { reason: 'CreateContainerConfigError', message: "couldn't find key password in Secret dhakacart/db-credentials" });
    assert.ok(events(probe, c!.metadata.name!).some((e) => e.reason === 'Failed' && e.message === "Error: couldn't find key password in Secret dhakacart/db-credentials"));

    // db: no Ready pod behind postgres-service, so a new backend pod exits 1 with ECONNREFUSED.
    await ok(db, ['rollout', 'restart', BACKEND]);
    const [d] = podsOf(db, currentRs(db).metadata.name!);
    assert.equal([backendStatus(d!).lastState.terminated.reason, backendStatus(d!).lastState.terminated.exitCode], ['Error', 1]);
    assert.match(await ok(db, ['logs', d!.metadata.name!, '--previous']), 'connect ECONNREFUSED 10.96.0.20:5432');
  } finally {
    await probe.close();
    await db.close();
  }
});

test('settings.podRules override: a rule per image; healthy is the default', async () => {
  if (!hasKubectl) return;
  const sim = await startSim({ scenario: 'healthy', settings: { podRules: [
    { selector: 'app=dhakacart-backend', image: 'dhakacart/backend:v1.4.1', outcome: 'crash' },
    { selector: 'app=dhakacart-frontend', outcome: 'oom', memoryLimitBelow: '64Mi' },
  ] } });
  try {
    await ok(sim, ['set', 'image', BACKEND, 'backend=dhakacart/backend:v1.4.1']);
    const [p] = podsOf(sim, currentRs(sim).metadata.name!);
    assert.is(currentRs(sim).metadata.name, 'dhakacart-backend-6b7c9d8f5d', 'the v1.4.1 ReplicaSet is reused');
    assert.equal([backendStatus(p!).lastState.terminated.reason, backendStatus(p!).lastState.terminated.exitCode], ['Error', 1]);
    await ok(sim, ['rollout', 'restart', 'deployment/dhakacart-frontend']);
    assert.match(await ok(sim, ['rollout', 'status', 'deployment/dhakacart-frontend', '--timeout=5s']), 'successfully rolled out', '128Mi is not below 64Mi');
  } finally {
    await sim.close();
  }
});

test('the controllers are idempotent and leave a scenario as it is until something changes', () => {
  for (const name of ['baseline', 'crashloop-oom', 'crashloop-image', 'crashloop-db', 'crashloop-config', 'crashloop-probe']) {
    const s = loadScenario(name);
    const store = storeFromScenario(s);
    const snap = (keys: string[]) => JSON.stringify(keys.map((k) => store.list(k)));
    const before = snap([DEP, RS, 'pods']);
    runControllers({ store, settings: s.settings }, DEFAULT_CONTROLLERS);
    const pods = JSON.parse(before)[2].map((p: KObj) => p.metadata.name);
    assert.equal(store.list('pods').map((p) => p.metadata.name), pods, `${name}: no pod created or deleted`);
    const rv = store.resourceVersion;
    assert.is(deploymentController({ store, settings: s.settings }), false, `${name}: a second pass changes nothing`);
    assert.is(store.resourceVersion, rv);
  }
});

test.run();
