// Cross-check: the runbook's read-only commands with the real kubectl against the simulator.
import fs from 'node:fs';
import { test } from 'uvu';
import { KUBECTL, kubectl as runKubectl } from '../helpers/binary';
import * as assert from 'uvu/assert';
import { startSim, type Sim } from './index';

const hasKubectl = fs.existsSync(KUBECTL);

interface Run { code: number; out: string; err: string }
async function kubectl(sim: Sim, args: string[]): Promise<Run> {
  const r = await runKubectl(sim.kubeconfig, [...args]);
  return { code: r.code ?? 1, out: r.stdout, err: r.stderr };
}
async function all(sim: Sim, cmds: Record<string, string[]>): Promise<Record<string, Run>> {
  const entries = await Promise.all(Object.entries(cmds).map(async ([k, a]) => [k, await kubectl(sim, a)] as const));
  return Object.fromEntries(entries);
}
const ok = (r: Run | undefined, what: string): string => {
  assert.ok(r, what);
  assert.is(r!.code, 0, `${what} failed: ${r!.err}`);
  return r!.out;
};
/** The row of a table whose first column is `name`, split on runs of 2+ spaces. */
const row = (table: string, name: string): string[] => {
  const line = table.split('\n').find((l) => l.split(/\s+/)[0] === name);
  assert.ok(line, `no row ${name} in\n${table}`);
  return line!.trim().split(/\s{2,}/);
};

const POD = 'dhakacart-backend-7d9f8c6b5d-x2x9k';
const N = ['-n', 'dhakacart'];
const runbook = (pod: string): Record<string, string[]> => ({
  pods: ['get', 'pods', ...N, '-l', 'app=dhakacart-backend'],
  notRunning: ['get', 'pods', ...N, '--field-selector=status.phase!=Running'],
  describe: ['describe', 'pod', pod, ...N],
  previous: ['logs', ...N, pod, '--previous'],
  tail: ['logs', ...N, pod, '--tail=50'],
  events: ['get', 'events', ...N],
  history: ['rollout', 'history', 'deployment/dhakacart-backend', ...N],
  deployYaml: ['get', 'deployment', 'dhakacart-backend', ...N, '-o', 'yaml'],
  secrets: ['get', 'secrets', ...N],
  svc: ['get', 'svc', ...N],
  nodes: ['describe', 'nodes'],
});

test('crashloop-oom: the runbook commands', async () => {
  if (!hasKubectl) return;
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const r = await all(sim, { ...runbook(POD), top: ['top', 'pods', ...N] });
    const pods = ok(r.pods, 'get pods');
    assert.equal(row(pods, POD).slice(0, 4), [POD, '0/1', 'CrashLoopBackOff', row(pods, POD)[3]!]);
    assert.match(row(pods, POD)[3]!, /^7 \(\d+m\d*s? ago\)$/);
    assert.is(row(pods, 'dhakacart-backend-7d9f8c6b5d-k8m2p')[2], 'Running');
    assert.is(ok(r.notRunning, 'field selector'), ''); // CrashLoopBackOff pods are in phase Running
    assert.match(r.notRunning!.err, 'No resources found in dhakacart namespace.');
    const d = ok(r.describe, 'describe');
    for (const s of ['State:          Waiting', 'Reason:       CrashLoopBackOff', 'Last State:     Terminated', 'Reason:       OOMKilled', 'Exit Code:    137', 'Restart Count:  7',
      'memory:  512Mi', 'Controlled By:  ReplicaSet/dhakacart-backend-7d9f8c6b5d', 'DB_PASSWORD:  <set to the key \'password\' in secret \'db-credentials\'>']) assert.match(d, s);
    assert.match(d, /Warning\s+BackOff\s+\S+ \(x31 over \S+\)\s+kubelet\s+Back-off restarting failed container backend in pod dhakacart-backend-7d9f8c6b5d-x2x9k_dhakacart\(3f1c2b7e-8a4d-4c6e-9b21-5d7e8f9a0b1c\)/);
    assert.match(d, /Normal\s+Started\s+\S+ \(x8 over \S+\)\s+kubelet\s+Started container backend/);
    const prev = ok(r.previous, 'logs --previous');
    assert.match(prev, 'heap used 471 MB, rss 509 MB (container limit 512 MB)');
    assert.ok(prev.startsWith('> dhakacart-backend@1.4.2 start'));
    assert.match(ok(r.tail, 'logs --tail'), 'GC pressure'); // a crash-looping container's current log is the last terminated one
    const ev = ok(r.events, 'get events');
    assert.match(ev, /LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
    assert.match(ev, new RegExp(`Warning\\s+BackOff\\s+pod/${POD}\\s+Back-off restarting failed container backend`));
    const h = ok(r.history, 'rollout history');
    assert.match(h, /5\s+CI: deploy dhakacart\/backend:v1\.4\.0 \(pipeline #1142\)\n6\s+CI: deploy dhakacart\/backend:v1\.4\.1 \(pipeline #1163\)\n7\s+CI: deploy dhakacart\/backend:v1\.4\.2 \(pipeline #1187\)/);
    const y = ok(r.deployYaml, 'get -o yaml');
    for (const s of ['kind: Deployment', 'image: dhakacart/backend:v1.4.2', 'memory: 512Mi', 'deployment.kubernetes.io/revision: "7"', 'name: DB_PASSWORD', 'key: password', 'path: /health']) assert.match(y, s);
    assert.match(ok(r.secrets, 'get secrets'), /db-credentials\s+Opaque\s+2\s+/);
    const svc = ok(r.svc, 'get svc');
    assert.equal(row(svc, 'postgres-service').slice(0, 5), ['postgres-service', 'ClusterIP', '10.96.0.20', '<none>', '5432/TCP']);
    const nodes = ok(r.nodes, 'describe nodes');
    assert.is(nodes.match(/^Name:/gm)?.length, 3);
    assert.match(nodes, 'Allocated resources:');
    assert.match(nodes, /dhakacart\s+dhakacart-backend-7d9f8c6b5d-x2x9k\s+250m \(6%\)\s+500m \(12%\)\s+256Mi \(1%\)\s+512Mi \(3%\)/);
    assert.match(ok(r.top, 'top pods'), /dhakacart-backend-7d9f8c6b5d-k8m2p\s+180m\s+431Mi/);
  } finally {
    await sim.close();
  }
});

test('crashloop-probe, -image, -db, -config: what an engineer sees', async () => {
  if (!hasKubectl) return;
  const sims = await Promise.all(['crashloop-probe', 'crashloop-image', 'crashloop-db', 'crashloop-config'].map((scenario) => startSim({ scenario })));
  try {
    const [probe, image, db, config] = sims as [Sim, Sim, Sim, Sim];
    const IMG_POD = image.scenario.expect.pod!;
    const [p, i, d, c] = await Promise.all([
      all(probe, { describe: runbook(POD).describe!, previous: runbook(POD).previous!, top: ['top', 'pods', ...N] }),
      all(image, { pods: runbook(IMG_POD).pods!, describe: runbook(IMG_POD).describe!, logs: runbook(IMG_POD).tail!, history: runbook(IMG_POD).history!, status: ['rollout', 'status', 'deployment/dhakacart-backend', ...N, '--watch=false'] }),
      all(db, { pods: ['get', 'pods', ...N], previous: runbook(POD).previous!, ep: ['get', 'endpoints', ...N], pg: ['get', 'pods', ...N, '-l', 'app=postgres'] }),
      all(config, { pods: runbook(POD).notRunning!, describe: runbook(POD).describe!, logs: runbook(POD).tail!, secret: ['get', 'secret', 'db-credentials', ...N, '-o', 'yaml'] }),
    ]);
    // probe: 137 without OOM, Killing is Normal, liveness timeouts.
    const pd = ok(p.describe, 'probe describe');
    assert.match(pd, /Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+137/);
    assert.match(pd, /Normal\s+Killing\s+\S+ \(x9 over \S+\)\s+kubelet\s+Container backend failed liveness probe, will be restarted/);
    assert.match(pd, 'Liveness probe failed: Get "http://10.244.1.12:5000/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)');
    assert.match(ok(p.previous, 'probe logs'), 'Received SIGTERM during startup');
    assert.is(p.top!.code, 1);
    assert.match(p.top!.err, 'Metrics API not available');
    // image: stuck rollout, old pods still run, kubelet log error.
    const ip = ok(i.pods, 'image pods');
    assert.is(row(ip, IMG_POD)[2], 'ImagePullBackOff');
    assert.is(row(ip, POD)[2], 'Running');
    const idsc = ok(i.describe, 'image describe');
    assert.match(idsc, /Reason:\s+ImagePullBackOff/);
    assert.match(idsc, 'failed to resolve reference "docker.io/dhakacart/backend:v1.5.0-typo": docker.io/dhakacart/backend:v1.5.0-typo: not found');
    assert.is(i.logs!.code, 1);
    assert.match(i.logs!.err, `Error from server (BadRequest): container "backend" in pod "${IMG_POD}" is waiting to start: trying and failing to pull image`);
    assert.match(ok(i.history, 'image history'), /8\s+CI: deploy dhakacart\/backend:v1\.5\.0-typo/);
    assert.is(i.status!.code, 1);
    assert.match(i.status!.err, 'deployment "dhakacart-backend" exceeded its progress deadline');
    // db: every backend pod crash-loops, postgres not ready, no endpoints.
    const dp = ok(d.pods, 'db pods');
    for (const s of ['x2x9k', 'k8m2p', 'q7w4n']) assert.is(row(dp, `dhakacart-backend-7d9f8c6b5d-${s}`)[2], 'CrashLoopBackOff');
    assert.equal(row(ok(d.pg, 'pg'), 'postgres-0').slice(1, 3), ['0/1', 'Running']);
    assert.match(ok(d.previous, 'db logs'), 'Error: connect ECONNREFUSED 10.96.0.20:5432');
    assert.equal(row(ok(d.ep, 'ep'), 'postgres-service').slice(0, 2), ['postgres-service', '<none>']);
    // config: CreateContainerConfigError, the secret lacks the key.
    assert.is(row(ok(c.pods, 'config pods'), POD)[2], 'CreateContainerConfigError');
    assert.match(ok(c.describe, 'config describe'), /Warning\s+Failed\s+\S+ \(x64 over \S+\)\s+kubelet\s+Error: couldn't find key password in Secret dhakacart\/db-credentials/);
    assert.match(c.logs!.err, 'is waiting to start: CreateContainerConfigError');
    const sy = ok(c.secret, 'secret yaml');
    assert.match(sy, 'db-password:');
    assert.not.match(sy, /\n  password:/);
  } finally {
    await Promise.all(sims.map((s) => s.close()));
  }
});

test.run();
