// SECURITY.md's Roles, checked against what the code really asks: every subcommand runs
// against the simulated cluster, and each request it made must be granted by the
// read-only rules (status, why) or the remediation rules on top (fix, rollback, emergency).
import fs from 'node:fs';
import { loadAll } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, run } from './helpers/binary';
import { startSim, type RequestRecord, type Sim } from './sim/index';

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }
interface RbacDoc { kind: string; metadata: { name: string; namespace?: string }; rules?: Rule[] }
/** A grant: the rules of a Role (valid in its namespace) or a ClusterRole (everywhere). */
interface Grant { namespace: string | null; rules: Rule[] }

const blocks = [...fs.readFileSync(`${ROOT}/SECURITY.md`, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => loadAll(m[1]!) as RbacDoc[]);
const grants = (docs: RbacDoc[]): Grant[] => docs.filter((d) => d.kind === 'Role' || d.kind === 'ClusterRole')
  .map((d) => ({ namespace: d.kind === 'Role' ? d.metadata.namespace ?? null : null, rules: d.rules ?? [] }));
const READONLY = grants(blocks[0] ?? []);
const REMEDIATION = [...READONLY, ...grants(blocks[1] ?? [])];
/** why --alert through the service proxy: the read-only roles and the Role in Alertmanager's namespace. */
const ALERT = [...READONLY, ...grants(blocks[2] ?? [])];

interface Attributes { verb: string; group: string; resource: string; namespace: string | null }

/** The RBAC attributes of a request, as the API server's request-info resolver derives them; null for discovery and reviews. */
export function attributesOf(r: RequestRecord): Attributes | null {
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+)(?:\/([^/]+))?)?/.exec(r.path);
  if (!m) return null;
  // /api/v1/namespaces/NAME matches as resource "namespaces", name NAME: the namespace object itself.
  const [, group = '', namespace = null, resource, name, sub] = m;
  if (group === 'authorization.k8s.io') return null;
  const verb = r.method === 'GET' ? (name ? 'get' : r.watch || /(?:^|&)watch=(?:true|1)/.test(r.query) ? 'watch' : 'list')
    : ({ POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, string>)[r.method]!;
  return { verb, group, resource: sub ? `${resource}/${sub}` : resource!, namespace };
}

const allowed = (a: Attributes, gs: Grant[]) => gs.some((g) => (g.namespace === null || g.namespace === a.namespace)
  && g.rules.some((r) => r.apiGroups.includes(a.group) && r.resources.includes(a.resource) && r.verbs.includes(a.verb)));

async function requestsOf(sim: Sim, args: string[]): Promise<Attributes[]> {
  const from = sim.requests.length;
  const r = await run([...args, '--kubeconfig', sim.kubeconfig]);
  assert.ok(r.code !== null && r.code <= 1, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  return sim.requests.slice(from).map(attributesOf).filter((a): a is Attributes => a !== null);
}

function assertGranted(what: string, asked: Attributes[], gs: Grant[]) {
  const missing = [...new Set(asked.filter((a) => !allowed(a, gs)).map((a) => `${a.verb} ${a.group ? `${a.resource}.${a.group}` : a.resource} in ${a.namespace ?? '(cluster)'}`))];
  assert.equal(missing, [], `${what} needs rules SECURITY.md does not grant`);
}

test('SECURITY.md holds the read-only and the remediation roles', () => {
  assert.ok(READONLY.length >= 2 && REMEDIATION.length > READONLY.length);
  // The read-only roles write nothing.
  for (const g of READONLY) for (const r of g.rules) assert.equal(r.verbs.filter((v) => !['get', 'list', 'watch'].includes(v)), []);
});

test('the request classifier reads paths as the API server does (the check can fail)', () => {
  const rec = (method: string, path: string, query = ''): RequestRecord => ({ method, path, query, status: 200, ms: 0, at: 0, watch: false, headers: {}, sni: null });
  assert.equal(attributesOf(rec('GET', '/api/v1/namespaces/dhakacart/pods/p1/log')), { verb: 'get', group: '', resource: 'pods/log', namespace: 'dhakacart' });
  assert.equal(attributesOf(rec('PATCH', '/apis/apps/v1/namespaces/dhakacart/deployments/d')), { verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'dhakacart' });
  assert.equal(attributesOf(rec('GET', '/api/v1/nodes')), { verb: 'list', group: '', resource: 'nodes', namespace: null });
  assert.equal(attributesOf(rec('GET', '/api/v1/namespaces/dhakacart')), { verb: 'get', group: '', resource: 'namespaces', namespace: null });
  assert.equal(attributesOf(rec('GET', '/api/v1/namespaces/dhakacart/pods', 'watch=true')), { verb: 'watch', group: '', resource: 'pods', namespace: 'dhakacart' });
  assert.not.ok(allowed({ verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'dhakacart' }, READONLY));
  assert.not.ok(allowed({ verb: 'list', group: '', resource: 'events', namespace: 'kube-system' }, READONLY));
  assert.ok(allowed({ verb: 'list', group: '', resource: 'events', namespace: 'default' }, READONLY));
});

test('status and why need only the read-only roles', async () => {
  for (const scenario of ['crashloop-oom', 'crashloop-db', 'crashloop-config', 'trap-statefulset', 'trap-evicted']) {
    const sim = await startSim({ scenario });
    try {
      const asked = [
        ...await requestsOf(sim, ['status']), ...await requestsOf(sim, ['status', '--all', '-o', 'json']),
        ...await requestsOf(sim, ['why']), ...(sim.scenario.expect.pod ? await requestsOf(sim, ['why', sim.scenario.expect.pod]) : []),
      ];
      assert.ok(asked.some((a) => a.resource === 'pods/log'), 'why read logs');
      assertGranted(`status/why on ${scenario}`, asked, READONLY);
    } finally {
      await sim.close();
    }
  }
});

test('fix, rollback and emergency need only the remediation roles, and more than the read-only ones', async () => {
  const asked: Attributes[] = [];
  for (const [scenario, args] of [
    ['crashloop-oom', ['fix', 'oom', '--yes']], ['crashloop-probe', ['fix', 'probe', '--yes']], ['crashloop-image', ['fix', 'image', '--yes']],
    ['crashloop-oom', ['rollback', '--yes']], ['crashloop-db', ['fix', 'db', '--yes', '--no-wait']],
    ['crashloop-oom', ['fix', 'oom', 'dhakacart-backend-7d9f8c6b5d-x2x9k', '--dry-run']],
    ['advice-evicted-replaced', ['fix', 'evicted', '--yes']],
  ] as const) {
    const sim = await startSim({ scenario });
    try {
      asked.push(...await requestsOf(sim, [...args, '--settle', '1s', '--timeout', '30s']));
    } finally {
      await sim.close();
    }
  }
  const sim = await startSim({ scenario: 'healthy' });
  try {
    for (const args of [['emergency', 'stop'], ['emergency', 'resume'], ['emergency', 'image']]) {
      asked.push(...await requestsOf(sim, [...args, '--yes', '--no-wait']));
    }
  } finally {
    await sim.close();
  }
  assert.ok(asked.some((a) => a.verb === 'patch'), 'something was patched');
  assertGranted('fix/rollback/emergency', asked, REMEDIATION);
  assert.ok(asked.some((a) => !allowed(a, READONLY)), 'the remediation role is needed');
});

test('check and report need only the read-only roles; verify the remediation roles; why --alert also the Alertmanager Role', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom', settings: { crds: ['monitoring.coreos.com'], metrics: true } });
  try {
    const readOnly = [...await requestsOf(sim, ['check']), ...await requestsOf(sim, ['report', '--since', '2h'])];
    assert.ok(readOnly.some((a) => a.resource === 'poddisruptionbudgets') && readOnly.some((a) => a.resource === 'prometheusrules'), 'check read PDBs and PrometheusRules');
    assertGranted('check/report', readOnly, READONLY);
  } finally {
    await sim.close();
  }
  const healthy = await startSim({ scenario: 'healthy', settings: { deny: [{ verb: 'get', resource: 'pods/proxy' }] } });
  try {
    const asked = await requestsOf(healthy, ['verify', '--settle', '1s', '--timeout', '30s']);
    assert.ok(asked.some((a) => a.resource === 'services/proxy'), 'verify asked through the Service when pods/proxy was denied');
    assertGranted('verify', asked.filter((a) => a.resource !== 'pods/proxy'), REMEDIATION);
    assert.ok(asked.some((a) => !allowed(a, READONLY)), 'the proxy is not in the read-only roles');
  } finally {
    await healthy.close();
  }
  const alerting = await startSim({
    scenario: 'crashloop-oom',
    alertmanager: { alerts: [{ labels: { alertname: 'DhakaCartPodCrashLooping', pod: 'dhakacart-backend-7d9f8c6b5d-x2x9k', namespace: 'dhakacart' } }], service: { namespace: 'monitoring', name: 'alertmanager-operated', port: 9093 } },
  });
  try {
    const asked = await requestsOf(alerting, ['why', '--alert']);
    assert.ok(asked.some((a) => a.resource === 'services/proxy' && a.namespace === 'monitoring'));
    assertGranted('why --alert', asked, ALERT);
  } finally {
    await alerting.close();
  }
});

test.run();
