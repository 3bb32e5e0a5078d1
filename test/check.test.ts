// `check` end to end: the built binary against the simulator (live workloads) and against
// manifests (files, a directory, stdin), with every output: table, JSON, SARIF, JUnit.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RULES } from '../src/check/index';
import { BIN, ROOT, baseEnv, json, run, type RunResult } from './helpers/binary';
import { startSim, type Sim } from './sim/index';

interface Check { id: string; title: string; result: 'pass' | 'warn' | 'fail'; detail: string; fix: string | null }
interface Workload { target: string; namespace: string; file: string | null; line: number | null; checks: Check[] }
interface Report { source: 'cluster' | 'files'; result: string; workloads: Workload[] }

const FIXTURES = path.join('test', 'fixtures', 'check');
const IDS = RULES.map((r) => r.id);

const check = (sim: Sim, args: string[]) => run(['check', '--kubeconfig', sim.kubeconfig, ...args]);
const byId = (w: Workload) => new Map(w.checks.map((c) => [c.id, c]));
const workload = (r: Report, target: string) => {
  const w = r.workloads.find((x) => x.target === target);
  if (!w) throw new Error(`no ${target} in ${r.workloads.map((x) => x.target).join(', ')}`);
  return byId(w);
};

async function withSim<T>(scenario: string, fn: (sim: Sim) => Promise<T>, settings?: Parameters<typeof startSim>[0]['settings']): Promise<T> {
  const sim = await startSim({ scenario, settings });
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

/** The binary with `input` on stdin (run() gives none). */
function runWithStdin(args: string[], input: string): Promise<RunResult> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { env: baseEnv(), stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
    child.stdin.end(input);
  });
}

test('hardened shop, live: every rule passes for the backend, exit 0, the contract fields', () => withSim('check-hardened', async (sim) => {
  const r = await check(sim, ['dhakacart-backend', '-o', 'json']);
  assert.is(r.code, 0, r.stderr);
  const rep = json<Report>(r);
  assert.is(rep.source, 'cluster');
  assert.is(rep.workloads.length, 1);
  const w = rep.workloads[0]!;
  assert.is(w.target, 'deployment/dhakacart-backend');
  assert.equal(w.checks.map((c) => c.id), IDS);
  for (const c of w.checks) {
    assert.equal(Object.keys(c).sort(), ['detail', 'fix', 'id', 'result', 'title']);
    assert.is(c.result, 'pass', `${c.id}: ${c.detail}`);
    assert.is(c.fix, null);
  }
  const m = byId(w);
  assert.match(m.get('disruption-budget')!.detail, 'PodDisruptionBudget dhakacart-backend (in the cluster, maxUnavailable 1)');
  assert.match(m.get('crash-alert')!.detail, 'DhakaCartPodCrashLooping in PrometheusRule monitoring/dhakacart-alerts');
  assert.match(m.get('rollback')!.detail, 'revision 6 to roll back to');
  assert.match(m.get('resources')!.detail, 'backend uses 212Mi of its 512Mi limit');
}));

test('risky shop, live: every rule finds its failure, each with the exact fix; exit 1', () => withSim('check-risky', async (sim) => {
  const r = await check(sim, ['-o', 'json']);
  assert.is(r.code, 1, r.stderr);
  const rep = json<Report>(r);
  assert.equal(rep.workloads.map((w) => w.target), ['deployment/dhakacart-backend', 'deployment/dhakacart-frontend', 'deployment/redis', 'statefulset/postgres']);
  const be = workload(rep, 'deployment/dhakacart-backend');
  const fe = workload(rep, 'deployment/dhakacart-frontend');
  const pg = workload(rep, 'statefulset/postgres');
  const failed = (m: Map<string, Check>, id: string, result: 'fail' | 'warn' = 'fail') => {
    const c = m.get(id)!;
    assert.is(c.result, result, `${id}: ${c.detail}`);
    assert.ok(c.fix, `${id} has a fix`);
    return c;
  };
  assert.match(failed(be, 'probe-port').fix!, `kubectl patch deployment/dhakacart-backend -n dhakacart -p '{"spec":{"template":{"spec":{"containers":[{"name":"backend","livenessProbe":{"httpGet":{"port":5000}}}]}}}}'`);
  // Pinned to the digest the running pods pulled (the baseline's registry digest of v1.4.2).
  assert.is(failed(be, 'image-tag').fix, 'kubectl set image deployment/dhakacart-backend -n dhakacart backend=dhakacart/backend@sha256:ee2ee7eae1cf4512e743a9822e3a819815ae2ade0a93bcbbc087d619fbdc509c');
  const cfg = failed(be, 'config-refs');
  assert.match(cfg.detail, 'Secret db-credentials key passwd (backend env DB_PASSWORD) is missing (it has password, username)');
  assert.match(cfg.fix!, '"path":"/data/passwd"');
  assert.not.match(cfg.fix!, '***');
  assert.match(failed(be, 'rollback').fix!, '"revisionHistoryLimit":10');
  assert.match(failed(be, 'disruption-budget').fix!, 'kubectl create poddisruptionbudget dhakacart-backend --selector=app=dhakacart-backend --max-unavailable=1 -n dhakacart');
  const alert = failed(be, 'crash-alert');
  assert.match(alert.detail, '1 rule object read');
  assert.match(alert.fix!, '| kubectl apply -f -');
  assert.match(failed(fe, 'resources').fix!, 'kubectl set resources deployment/dhakacart-frontend -n dhakacart -c frontend --requests=cpu=50m,memory=64Mi --limits=memory=128Mi');
  assert.match(failed(fe, 'probes').detail, 'frontend has no readiness probe');
  const slow = failed(fe, 'startup-probe');
  assert.match(slow.detail, 'frontend took 12s to become ready; its liveness probe allows 4s');
  assert.match(slow.fix!, '"startupProbe":{"httpGet":{"path":"/","port":80,"scheme":"HTTP"},"periodSeconds":10,"failureThreshold":3}');
  assert.is(failed(fe, 'replicas').fix, 'kubectl scale deployment/dhakacart-frontend -n dhakacart --replicas=2');
  assert.match(failed(pg, 'probes-distinct', 'warn').detail, 'identical to its readiness probe');
  // Every rule failed (or, probes-distinct, warned) somewhere: none of them can only pass.
  const seen = new Set(rep.workloads.flatMap((w) => w.checks.filter((c) => c.result !== 'pass').map((c) => c.id)));
  assert.equal([...seen].sort(), [...IDS].sort());
}));

test('the table: PASS/WARN/FAIL per check, the fixes whole, a tally', () => withSim('check-risky', async (sim) => {
  const r = await check(sim, ['deployment/dhakacart-frontend']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /^deployment\/dhakacart-frontend in dhakacart\nRESULT +CHECK +DETAIL\n/);
  assert.match(r.stdout, /\nFAIL +replicas +1 replica: a single crash/);
  assert.match(r.stdout, /\nWARN +rollback +only revision 3 exists/);
  assert.match(r.stdout, '\n  replicas: kubectl scale deployment/dhakacart-frontend -n dhakacart --replicas=2\n');
  assert.match(r.stdout, /4 passed, 1 warning, 6 failed\n$/);
}));

test('--fail-on warn: a warning alone exits 1; without it, 0', () => withSim('check-hardened', async (sim) => {
  // The frontend has one revision only: rollback warns, everything else passes.
  const plain = await check(sim, ['dhakacart-frontend', '-o', 'json']);
  assert.is(plain.code, 0, plain.stderr);
  assert.is(json<Report>(plain).result, 'warn');
  const strictWarn = await check(sim, ['dhakacart-frontend', '--fail-on', 'warn']);
  assert.is(strictWarn.code, 1, strictWarn.stderr);
}));

test('--strict: a tag without a registry digest fails, pinned to the running digest', () => withSim('check-hardened', async (sim) => {
  const r = await check(sim, ['dhakacart-backend', '--strict', '-o', 'json']);
  assert.is(r.code, 1, r.stderr);
  const c = workload(json<Report>(r), 'deployment/dhakacart-backend').get('image-tag')!;
  assert.is(c.result, 'fail');
  assert.match(c.detail, 'without a registry digest (--strict)');
  assert.is(c.fix, 'kubectl set image deployment/dhakacart-backend -n dhakacart backend=dhakacart/backend:v1.4.2@sha256:ee2ee7eae1cf4512e743a9822e3a819815ae2ade0a93bcbbc087d619fbdc509c');
}));

test('a 403 on PodDisruptionBudgets is said, never a pass; PrometheusRule not served is said too', () => withSim('healthy', async (sim) => {
  const r = await check(sim, ['dhakacart-backend', '-o', 'json']);
  assert.is(r.code, 0, r.stderr);
  const c = workload(json<Report>(r), 'deployment/dhakacart-backend');
  assert.is(c.get('disruption-budget')!.result, 'warn');
  assert.match(c.get('disruption-budget')!.detail, 'not readable: forbidden');
  assert.is(c.get('crash-alert')!.result, 'pass');
  assert.match(c.get('crash-alert')!.detail, 'is not served by this cluster');
  assert.ok(sim.requests.some((q) => q.path === '/apis/monitoring.coreos.com/v1/prometheusrules' && q.status === 404));
}, { deny: [{ verb: 'list', resource: 'poddisruptionbudgets', group: 'policy' }] }));

test('metrics: a limit near observed usage warns with a raised limit; unreadable metrics are said', async () => {
  await withSim('check-hardened', async (sim) => {
    const c = workload(json<Report>(await check(sim, ['dhakacart-backend', '-o', 'json'])), 'deployment/dhakacart-backend').get('resources')!;
    assert.is(c.result, 'warn', c.detail);
    assert.match(c.detail, 'backend uses 470Mi of its 512Mi limit (92%): the next spike is an OOM kill');
    assert.is(c.fix, 'kubectl set resources deployment/dhakacart-backend -n dhakacart -c backend --limits=memory=1024Mi');
  }, { metrics: true, crds: ['monitoring.coreos.com'], podMetrics: { 'dhakacart-backend-*': { backend: { cpu: '120m', memory: '470Mi' } } } });
  await withSim('check-hardened', async (sim) => {
    const c = workload(json<Report>(await check(sim, ['dhakacart-backend', '-o', 'json'])), 'deployment/dhakacart-backend').get('resources')!;
    assert.is(c.result, 'warn', c.detail);
    assert.match(c.detail, 'usage not compared with the limits: pod metrics forbidden');
  }, { deny: [{ verb: 'list', resource: 'pods', group: 'metrics.k8s.io' }] });
});

test('manifests from a directory: files and cluster together pass; the rollback target is the live revision', () => withSim('check-hardened', async (sim) => {
  const r = await check(sim, ['-f', path.join(FIXTURES, 'good'), '-o', 'json']);
  assert.is(r.code, 0, r.stderr);
  const rep = json<Report>(r);
  assert.is(rep.source, 'files');
  const w = rep.workloads[0]!;
  assert.equal([w.target, w.file, w.line], ['deployment/dhakacart-backend', path.join(FIXTURES, 'good', 'backend.yaml'), 2]);
  for (const c of w.checks) assert.is(c.result, 'pass', `${c.id}: ${c.detail}`);
  const m = byId(w);
  assert.match(m.get('rollback')!.detail, 'live revision 7 is the one to roll back to');
  assert.match(m.get('disruption-budget')!.detail, '(in the files, maxUnavailable 1)');
  assert.match(m.get('crash-alert')!.detail, '(in the files)');
}));

test('manifests on stdin (-f -), no cluster reachable: file findings fail, cluster-only ones warn, none passes unread', async () => {
  const fs = await import('node:fs');
  const text = fs.readFileSync(path.join(ROOT, FIXTURES, 'risky.yaml'), 'utf8');
  const r = await runWithStdin(['check', '-f', '-', '-n', 'shop', '--kubeconfig', '/nonexistent/config', '-o', 'json'], text);
  assert.is(r.code, 1, r.stderr);
  const rep = json<Report>(r);
  assert.equal(rep.workloads.map((w) => [w.target, w.namespace, w.file, w.line]), [['deployment/checkout', 'shop', '-', 3], ['statefulset/ledger', 'shop', '-', 37]]);
  const co = workload(rep, 'deployment/checkout');
  for (const id of ['resources', 'probe-port', 'image-tag', 'rollback', 'replicas']) assert.is(co.get(id)!.result, 'fail', id);
  assert.is(co.get('probes-distinct')!.result, 'warn');
  // The Secret in the file lacks the key (fail); the ConfigMap is in neither: not verified (warn).
  assert.match(co.get('config-refs')!.detail, /Secret payment-gateway key token .* is missing \(it has merchant-id\); ConfigMap checkout-settings \(checkout envFrom\) not verified: not read, no cluster/);
  for (const id of ['disruption-budget', 'crash-alert', 'startup-probe']) assert.is(co.get(id)!.result, 'warn', `${id}: ${co.get(id)!.detail}`);
  assert.match(co.get('replicas')!.fix!, `kubectl patch --local -f - -p '{"spec":{"replicas":2}}' -o yaml`);
  const ledger = workload(rep, 'statefulset/ledger');
  assert.is(ledger.get('image-tag')!.result, 'pass');
  assert.is(ledger.get('probes')!.result, 'fail');
});

test('-o sarif: SARIF 2.1.0 that parses, one rule per item, results located in the manifest', () => withSim('check-risky', async (sim) => {
  const r = await check(sim, ['-f', path.join(FIXTURES, 'risky.yaml'), '-n', 'shop', '-o', 'sarif']);
  assert.is(r.code, 1, r.stderr);
  const log = JSON.parse(r.stdout);
  assert.is(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  assert.is(log.runs.length, 1);
  const run0 = log.runs[0];
  assert.is(run0.tool.driver.name, 'kubectl-dhakacart');
  assert.equal(run0.tool.driver.rules.map((x: { id: string }) => x.id), IDS);
  assert.is(run0.results.length, IDS.length * 2);
  for (const res of run0.results) {
    assert.is(run0.tool.driver.rules[res.ruleIndex].id, res.ruleId);
    assert.ok(['none', 'warning', 'error'].includes(res.level));
    assert.is(res.kind, res.level === 'none' ? 'pass' : 'fail');
    assert.type(res.message.text, 'string');
    const loc = res.locations[0].physicalLocation;
    assert.is(loc.artifactLocation.uri, 'test/fixtures/check/risky.yaml');
    assert.ok(loc.region.startLine === 3 || loc.region.startLine === 37);
  }
  const image = run0.results.find((x: { ruleId: string; message: { text: string } }) => x.ruleId === 'image-tag' && x.message.text.startsWith('deployment/checkout'));
  assert.is(image.level, 'error');
  assert.match(image.properties.fix, 'kubectl set image --local -f test/fixtures/check/risky.yaml');
}));

test('a manifest without a PDB: the PDB appended to the file, or printed for stdin', () => withSim('healthy', async (sim) => {
  const fs = await import('node:fs');
  const file = path.join('scripts', 'demo-manifests', 'dhakacart.yaml');
  const pdb = 'kubectl create poddisruptionbudget dhakacart-frontend --selector=app=dhakacart-frontend --max-unavailable=1 -n dhakacart --dry-run=client -o yaml';
  const fromFile = workload(json<Report>(await check(sim, ['-f', file, '-o', 'json'])), 'deployment/dhakacart-frontend');
  assert.is(fromFile.get('disruption-budget')!.fix, `{ echo ---; ${pdb}; } >> ${file}`);
  const piped = await runWithStdin(['check', '-f', '-', '--kubeconfig', sim.kubeconfig, '-o', 'json'], fs.readFileSync(path.join(ROOT, file), 'utf8'));
  const fromStdin = workload(json<Report>(piped), 'deployment/dhakacart-frontend');
  assert.is(fromStdin.get('disruption-budget')!.fix, pdb);
  assert.is(fromStdin.get('image-tag')!.fix, 'kubectl set image --local -f - frontend=dhakacart/frontend@sha256:617ddd7b9f84fd23aec312c6a3f295e6bec97245cd9982330d051e5977444ca1 -o yaml');
  // A workload the API server would refuse is refused, not passed for want of containers.
  const bare = await runWithStdin(['check', '-f', '-', '--kubeconfig', sim.kubeconfig], 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bare}\nspec: {selector: {matchLabels: {app: bare}}}\n');
  assert.is(bare.code, 2);
  assert.match(bare.stderr, 'error: -:1: deployment/bare has no containers');
}));

/** A strict little XML reader: well-formed or it throws; elements with attributes, children and text. */
interface XmlNode { name: string; attrs: Record<string, string>; children: XmlNode[]; text: string }
function parseXml(xml: string): XmlNode {
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  assert.match(xml, decl);
  const entity = (s: string) => {
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(s)) throw new Error(`bad entity in ${s}`);
    return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  };
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const body = xml.replace(decl, '');
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < body.length) {
    token.lastIndex = at;
    if (!(m = token.exec(body))) throw new Error(`not well-formed at ${at}: ${body.slice(at, at + 40)}`);
    at = token.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) { top.text += entity(m[5]); continue; }
    if (m[1]) {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attrs = Object.fromEntries([...m[3]!.matchAll(/([\w:.-]+)="([^"]*)"/g)].map((a) => [a[1]!, entity(a[2]!)]));
    const node: XmlNode = { name: m[2]!, attrs, children: [], text: '' };
    top.children.push(node);
    if (!m[4]) stack.push(node);
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> not closed`);
  const elements = root.children;
  assert.is(elements.length, 1, 'one root element');
  return elements[0]!;
}

test('-o junit: well-formed JUnit XML, a suite per workload, failures at or above --fail-on', () => withSim('check-risky', async (sim) => {
  const counts = async (extra: string[]) => {
    const r = await check(sim, ['dhakacart-frontend', '-o', 'junit', ...extra]);
    assert.is(r.code, 1, r.stderr);
    const doc = parseXml(r.stdout);
    assert.is(doc.name, 'testsuites');
    const [suite] = doc.children;
    assert.is(suite!.name, 'testsuite');
    assert.is(suite!.attrs.name, 'dhakacart/deployment/dhakacart-frontend');
    assert.is(suite!.children.length, IDS.length);
    assert.ok(suite!.children.every((c) => c.name === 'testcase' && c.attrs.classname === 'deployment/dhakacart-frontend'));
    const failures = suite!.children.filter((c) => c.children.some((x) => x.name === 'failure'));
    assert.is(String(failures.length), suite!.attrs.failures);
    assert.is(doc.attrs.failures, suite!.attrs.failures);
    const replicas = suite!.children.find((c) => c.attrs.name.startsWith('replicas:'))!;
    assert.match(replicas.children[0]!.text, 'fix: kubectl scale deployment/dhakacart-frontend -n dhakacart --replicas=2');
    return { failures: failures.length, warned: suite!.children.filter((c) => c.children.some((x) => x.name === 'system-out')).length };
  };
  assert.equal(await counts([]), { failures: 6, warned: 1 });
  assert.equal(await counts(['--fail-on', 'warn']), { failures: 7, warned: 0 });
}));

test('input: bad YAML names file and line (exit 2); -o sarif elsewhere, unknown names (exit 2/3)', () => withSim('healthy', async (sim) => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-check-'));
  const bad = path.join(dir, 'bad.yaml');
  fs.writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n   bad: indent\n');
  const y = await check(sim, ['-f', bad]);
  assert.is(y.code, 2);
  assert.match(y.stderr, `error: ${bad}:9: not valid YAML`);
  const none = await check(sim, ['-f', path.join(FIXTURES, 'good', 'policy.yaml')]);
  assert.is(none.code, 2);
  assert.match(none.stderr, 'no Deployment or StatefulSet in');
  const missing = await check(sim, ['-f', path.join(dir, 'nope.yaml')]);
  assert.is(missing.code, 2);
  const sarif = await run(['status', '--kubeconfig', sim.kubeconfig, '-o', 'sarif']);
  assert.is(sarif.code, 2);
  assert.match(sarif.stderr, '-o sarif is not an output of status');
  const unknown = await check(sim, ['dhakacart-backnd']);
  assert.is(unknown.code, 3);
  assert.match(unknown.stderr, 'Deployment or StatefulSet "dhakacart-backnd" not found in namespace "dhakacart"');
  assert.match(unknown.stderr, 'did you mean dhakacart-backend?');
  const notInFiles = await check(sim, ['-f', path.join(FIXTURES, 'good'), 'statefulset/dhakacart-backend']);
  assert.is(notInFiles.code, 2);
}));

test.run();
