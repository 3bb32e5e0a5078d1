// The end-to-end suite here: `npm run e2e` against the simulator (the manifests of test/e2e
// loaded as a scenario), a harness that fails when the plugin's verdict does, the loader
// reading each failure from its manifest, and the public-CI workflows checked with
// action-validator, ready for a kind cluster.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { load } from 'js-yaml';
import { CASES } from '../scripts/e2e/cases';
import { MANIFESTS, ROLLOUTS, manifestFiles, runHarness, yamlFiles } from '../scripts/e2e/harness';
import { KUBECTL, ROOT, json, run } from './helpers/binary';
import { startSim } from './sim/index';
import { decide } from './sim/controllers/pods';
import { readManifests, scenarioFromManifests, settingsFromManifests } from './sim/manifests';
import { Store, type KObj } from './sim/store';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-e2e-test-'));
const VALIDATOR = path.join(ROOT, 'node_modules/.bin/action-validator');
const WORKFLOWS = path.join(ROOT, '.github/workflows');

function spawnRun(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('npm run e2e on the simulator: every workload reaches its failure, why names its cause and fix, the fixes bring them back', async () => {
  const save = path.join(tmp, 'snapshots');
  const r = await spawnRun(process.execPath, ['--import', 'tsx', 'scripts/e2e/run.ts', '--save-dir', save], { ...process.env, DHAKACART_SKIP_BUILD: '1' });
  assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  for (const c of CASES) {
    const line = r.stdout.split('\n').find((l) => l.includes(` ${c.workload}: `));
    assert.ok(line?.startsWith('ok'), `${c.workload}: ${line}`);
    assert.ok(line!.includes(`cause ${c.cause},`), line);
    assert.is(line!.includes(', recovered'), c.recovers, line);
    // The saved evidence replays offline to the same verdict (what CI uploads is usable).
    const again = await run(['why', '--from-file', path.join(save, `${c.workload}.json`), '-o', 'json']);
    assert.is(json<{ cause: string }>(again).cause, c.cause, `${c.workload} from its snapshot`);
  }
  assert.match(r.stdout, /e2e on the simulator: passed \(8 workloads/);
});

test('the harness fails on a verdict that differs from the expected one, and still deletes its namespace', async () => {
  const sim = await startSim({ scenario: scenarioFromManifests(manifestFiles()) });
  try {
    const crash = CASES.find((c) => c.workload === 'e2e-crash')!;
    const lines: string[] = [];
    const res = await runHarness({
      kubeconfig: sim.kubeconfig, namespace: 'e2e-wrong', kubectl: KUBECTL, kubectlCacheDir: path.join(tmp, 'cache'), saveDir: path.join(tmp, 'wrong'), failureTimeoutMs: 20_000,
      fixTimeout: '20s', settle: '1s', pollMs: 100, noValidate: true, cases: [{ ...crash, cause: 'oom', fix: 'kubectl dhakacart fix oom' }], log: (l) => lines.push(l),
    });
    assert.is(res.ok, false);
    assert.equal(res.cases[0]!.problems.map((p) => p.replace(/ .*/, '')).sort(), ['cause', 'fix']);
    assert.is(res.cases[0]!.cause, 'config');
    assert.is(sim.store.get('namespaces', undefined, 'e2e-wrong'), undefined, 'namespace deleted');
  } finally {
    await sim.close();
  }
});

test('a workload that never fails is reported as such within the bound, not waited on forever', async () => {
  const sim = await startSim({ scenario: scenarioFromManifests(manifestFiles()) });
  try {
    const t0 = Date.now();
    const res = await runHarness({
      kubeconfig: sim.kubeconfig, namespace: 'e2e-never', kubectl: KUBECTL, kubectlCacheDir: path.join(tmp, 'cache'), saveDir: path.join(tmp, 'never'), failureTimeoutMs: 1_500,
      fixTimeout: '5s', settle: '1s', pollMs: 100, noValidate: true, cases: [{ workload: 'e2e-postgres', cause: 'db', fix: null, recovers: false }], log: () => {},
    });
    assert.is(res.ok, false);
    assert.equal(res.cases[0]!.problems, ['never reached its failure']);
    assert.ok(Date.now() - t0 < 15_000, `${Date.now() - t0} ms`);
  } finally {
    await sim.close();
  }
});

// ---- the loader: each failure read from what its manifest says ------------------------------

const objects = readManifests(manifestFiles());
const deployment = (name: string): KObj => structuredClone(objects.filter((o) => o.kind === 'Deployment' && o.metadata.name === name).at(-1)!);
const container = (d: KObj) => d.spec.template.spec.containers[0];
/** What the simulator's kubelet makes of a pod of this Deployment, under the settings its manifest implies. */
function outcome(d: KObj): { outcome: string; logs?: string } {
  const pod: KObj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${d.metadata.name}-x`, namespace: 'e2e', labels: d.spec.template.metadata.labels }, spec: d.spec.template.spec };
  const r = decide(new Store(), settingsFromManifests([d]), pod);
  return { outcome: r.outcome, ...(r.logs?.previous ? { logs: r.logs.previous } : {}) };
}

test('loader: each failure comes from what the manifest says, and goes when it no longer says it', () => {
  const oom = deployment('e2e-oom');
  assert.equal(outcome(oom), { outcome: 'oom', logs: 'info: warming a 256 MiB cache\n' }, 'the lines echoed before the allocation');
  container(oom).resources.limits.memory = '512Mi';
  assert.is(outcome(oom).outcome, 'healthy', 'a limit above the allocation');

  const crash = deployment('e2e-crash');
  assert.is(outcome(crash).outcome, 'crash');
  assert.match(outcome(crash).logs!, /PAYMENT_GATEWAY_URL is not set/);
  container(crash).args = [container(crash).args[0].replace('exit 1', 'exit 0')];
  assert.is(outcome(crash).outcome, 'healthy', 'exit 0');

  const probe = deployment('e2e-probe-port');
  assert.is(outcome(probe).outcome, 'probe');
  container(probe).livenessProbe.httpGet.port = 80;
  assert.is(outcome(probe).outcome, 'healthy', 'a probe on the declared port');

  const slow = deployment('e2e-slow-start');
  assert.equal(outcome(slow), { outcome: 'probe', logs: 'info: warming the catalogue, listening after 40 seconds\n' }, 'the echo line, its variable expanded');
  container(slow).startupProbe.failureThreshold = 30;
  assert.is(outcome(slow).outcome, 'healthy', 'a startup budget of 60 s covers a 40 s start');

  for (const name of ['e2e-image', 'e2e-db-backend', 'e2e-secret-key', 'e2e-unschedulable']) {
    assert.equal(settingsFromManifests([deployment(name)]).podRules, [], `${name}: the cluster decides, not a rule`);
  }
});

test('loader: the registry is what the manifests pin by digest; the bad deploy\'s tag is not in it', () => {
  const s = settingsFromManifests(objects);
  assert.ok(s.registry!.length >= 3);
  for (const image of s.registry!) assert.match(image, /@sha256:[0-9a-f]{64}$/);
  const bad = container(deployment('e2e-image')).image as string;
  assert.not.match(bad, /@sha256:/);
  assert.not.ok(s.registry!.includes(bad));
  const nodes = scenarioFromManifests(manifestFiles()).objects;
  assert.ok(nodes.length > 0 && nodes.every((o) => o.kind === 'Node'), 'the scenario holds nodes only: the harness applies the workloads');
});

test('manifests: plain objects with no namespace, public images pinned by digest (the bad deploy excepted), one workload per cause', () => {
  const deployments = readManifests(yamlFiles(MANIFESTS)).filter((o) => o.kind === 'Deployment');
  for (const o of readManifests(manifestFiles())) assert.is(o.metadata.namespace, undefined, `${o.kind}/${o.metadata.name}: the harness picks the namespace`);
  for (const d of deployments) {
    for (const c of d.spec.template.spec.containers) assert.match(c.image, /^(busybox|nginx|postgres|redis):[\w.-]+@sha256:[0-9a-f]{64}$/, `${d.metadata.name}`);
  }
  for (const c of CASES) assert.ok(deployments.some((d) => d.metadata.name === c.workload), `${c.workload} has a manifest`);
  assert.equal(readManifests(yamlFiles(ROLLOUTS)).map((o) => o.metadata.name), ['e2e-image']);
});

// ---- the workflows ----------------------------------------------------------------------------

test('every workflow passes action-validator; a broken one does not', async () => {
  const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
  assert.ok(files.includes('e2e.yml'));
  for (const f of files) {
    const r = await spawnRun(VALIDATOR, [path.join(WORKFLOWS, f)]);
    assert.is(r.code, 0, `${f}: ${r.stdout}${r.stderr}`);
  }
  const broken = path.join(tmp, 'broken.yml');
  fs.writeFileSync(broken, fs.readFileSync(path.join(WORKFLOWS, 'e2e.yml'), 'utf8').replace('runs-on:', 'runs_on:'));
  const r = await spawnRun(VALIDATOR, [broken]);
  assert.is(r.code, 1, 'the validator rejects an unknown job key');
  assert.match(r.stdout + r.stderr, /runs_on/);
});

interface Step { uses?: string; run?: string; with?: Record<string, string> }
test('the kind job: pinned kind, node images by digest for two minor versions, npm run e2e on the cluster, snapshots uploaded', () => {
  const wf = load(fs.readFileSync(path.join(WORKFLOWS, 'e2e.yml'), 'utf8')) as { jobs: Record<string, { strategy: { matrix: { include: { kubernetes: string; node_image: string }[] } }; steps: Step[] }> };
  const job = Object.values(wf.jobs)[0]!;
  const matrix = job.strategy.matrix.include;
  const minors = matrix.map((m) => /^kindest\/node:v(\d+\.\d+)\.\d+@sha256:[0-9a-f]{64}$/.exec(m.node_image)?.[1]);
  assert.equal(minors, matrix.map((m) => m.kubernetes), 'each image is pinned by digest and is its row\'s minor version');
  assert.is(new Set(minors).size, 2);
  const kind = job.steps.find((s) => s.uses?.startsWith('helm/kind-action@'))!;
  assert.match(kind.uses!, /@v\d+\.\d+\.\d+$/);
  assert.match(kind.with!.version!, /^v\d+\.\d+\.\d+$/);
  assert.is(kind.with!.node_image, '${{ matrix.node_image }}');
  const e2e = job.steps.find((s) => s.run?.includes('npm run e2e'))!;
  assert.match(e2e.run!, /--cluster existing/);
  const saveDir = /--save-dir (\S+)/.exec(e2e.run!)?.[1];
  const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
  assert.is(upload.with!.path!.replace(/\/$/, ''), saveDir);
});

test.run();
