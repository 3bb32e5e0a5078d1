// `why --alert`: the pods named by Alertmanager's firing alerts, each diagnosed as `why POD`
// diagnoses it; through the binary, against the simulator and its Alertmanager v2.
import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { json, run } from './helpers/binary';
import { startSim, type SimAlert } from './sim/index';

const ALERT = 'DhakaCartPodCrashLooping';
const NS = 'dhakacart';
const [P1, P2, P3] = ['dhakacart-backend-7d9f8c6b5d-x2x9k', 'dhakacart-backend-7d9f8c6b5d-k8m2p', 'dhakacart-backend-7d9f8c6b5d-q7w4n'];
const firing = (pod: string, o: Partial<SimAlert> = {}, alertname = ALERT): SimAlert => ({ labels: { alertname, namespace: NS, pod, severity: 'critical' }, ...o });

interface AlertJson { alertmanager: string; alertname: string; alerts: { alertname: string; pod: string | null; namespace: string | null }[]; diagnoses: { pod: string; cause: string; namespace: string; summary: string }[] }

async function withSim<T>(scenario: string, alerts: SimAlert[], body: (sim: Awaited<ReturnType<typeof startSim>>, am: string) => Promise<T>): Promise<T> {
  const sim = await startSim({ scenario, alertmanager: { alerts } });
  try {
    return await body(sim, sim.alertmanager!.url);
  } finally {
    await sim.close();
  }
}

test('alerts for two pods: both diagnosed as why POD would, the query asks for active, unsilenced alerts of the alertname', () =>
  withSim('crashloop-db', [firing(P1), firing(P2), firing(P2, { labels: { ...firing(P2).labels, instance: 'other-scrape' } })], async (sim, am) => {
    const r = await run(['why', '--alert', '--alertmanager', am, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.is(r.code, 1, r.stderr);
    const out = json<AlertJson>(r);
    assert.is(out.alertname, ALERT);
    assert.is(out.alerts.length, 3);
    assert.equal(out.diagnoses.map((d) => d.pod).sort(), [P1, P2].sort(), 'each pod once, and only the pods named');
    assert.ok(out.diagnoses.every((d) => d.cause === 'db'), JSON.stringify(out.diagnoses.map((d) => d.cause)));
    const q = sim.alertmanager!.requests[0]!;
    assert.is(q.path, '/api/v2/alerts');
    assert.is(q.query.get('active'), 'true');
    assert.is(q.query.get('silenced'), 'false');
    assert.is(q.query.get('inhibited'), 'false');
    assert.equal(q.query.getAll('filter'), [`alertname="${ALERT}"`]);
    assert.not.ok(sim.requests.some((x) => x.path.endsWith(`/pods/${P3}`) || x.query.includes(P3)), 'the pod no alert names is not asked about');

    const t = await run(['why', '--alert', '--alertmanager', am, '--kubeconfig', sim.kubeconfig]);
    assert.match(t.stdout, new RegExp(`^3 firing ${ALERT} alerts at ${am.replace(/[.]/g, '\\.')}:`));
    assert.match(t.stdout, new RegExp(`Pod ${P1} container backend in dhakacart\\nDB \\(`));
    assert.match(t.stdout, new RegExp(`Pod ${P2} container backend`));
  }));

test('none firing: says so, exit 0, nothing asked of the API server', () =>
  withSim('crashloop-oom', [], async (sim, am) => {
    const r = await run(['why', '--alert', '--alertmanager', am, '--kubeconfig', sim.kubeconfig]);
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, `No ${ALERT} alert is firing at ${am}.\n`);
    assert.is(sim.requests.length, 0);
    const j = await run(['why', '--alert', '--alertmanager', am, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.equal(json<AlertJson>(j).diagnoses, []);
    assert.is(j.code, 0);
  }));

test('Alertmanager unreachable (a loopback port with no listener): exit 3, the address and the reason, no diagnosis', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
  await withSim('crashloop-oom', [], async (sim) => {
    const r = await run(['why', '--alert', '--alertmanager', `http://127.0.0.1:${port}`, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.is(r.code, 3, r.stderr);
    assert.is(r.stdout, '');
    assert.match(r.stderr, new RegExp(`cannot reach Alertmanager at http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    assert.match(r.stderr, /service\/monitoring\/alertmanager-operated:9093/, 'the hint names the in-cluster way');
    assert.is(sim.requests.length, 0);
  });
});

test('a resolved alert is ignored, whether Alertmanager or something in front of it lists it; a silenced one too', () =>
  withSim('crashloop-db', [firing(P1), firing(P2, { endsAt: new Date(Date.now() - 60_000).toISOString() })], async (sim, am) => {
    const r = await run(['why', '--alert', '--alertmanager', am, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.equal(json<AlertJson>(r).diagnoses.map((d) => d.pod), [P1], 'Alertmanager does not list a resolved alert');
    // A cache or proxy in front of Alertmanager still lists it, and a silenced one beside it.
    sim.alertmanager!.transform = (body) => [
      ...body,
      { ...(body[0] as object), labels: firing(P2).labels, endsAt: new Date(Date.now() - 60_000).toISOString(), fingerprint: 'resolved' },
      { ...(body[0] as object), labels: firing(P3).labels, status: { state: 'suppressed', silencedBy: ['b1c2'], inhibitedBy: [] }, fingerprint: 'silenced' },
    ];
    const again = await run(['why', '--alert', '--alertmanager', am, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    const out = json<AlertJson>(again);
    assert.equal(out.diagnoses.map((d) => d.pod), [P1]);
    assert.is(out.alerts.length, 1);
  }));

test('wrong alertname: other alerts are not followed; --alertname follows them', () =>
  withSim('crashloop-oom', [firing(P1, {}, 'DhakaCartHighMemory')], async (sim, am) => {
    const r = await run(['why', '--alert', '--alertmanager', am, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.is(r.code, 0, r.stderr);
    assert.equal(json<AlertJson>(r).alerts, []);
    // Something in front of Alertmanager that drops the filter: the name is still checked here.
    sim.alertmanager!.transform = () => [{ labels: firing(P1, {}, 'DhakaCartHighMemory').labels, status: { state: 'active', silencedBy: [], inhibitedBy: [] }, endsAt: new Date(Date.now() + 60_000).toISOString() }];
    const unfiltered = await run(['why', '--alert', '--alertmanager', am, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.equal(json<AlertJson>(unfiltered).diagnoses, []);
    sim.alertmanager!.transform = undefined;
    const named = await run(['why', '--alert', '--alertname', 'DhakaCartHighMemory', '--alertmanager', am, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.is(named.code, 1, named.stderr);
    assert.equal(json<AlertJson>(named).diagnoses.map((d) => [d.pod, d.cause]), [[P1, 'oom']]);
  }));

test('a pod the alert names that is gone: said, the other pods still diagnosed', () =>
  withSim('crashloop-oom', [firing('dhakacart-backend-7d9f8c6b5d-gone1'), firing(P1)], async (sim, am) => {
    const r = await run(['why', '--alert', '--alertmanager', am, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.is(r.code, 1, r.stderr);
    const out = json<AlertJson>(r);
    const gone = out.diagnoses.find((d) => d.pod === 'dhakacart-backend-7d9f8c6b5d-gone1')!;
    assert.is(gone.cause, 'unknown');
    assert.match(gone.summary, /no longer exists/);
    assert.ok(out.diagnoses.some((d) => d.pod === P1 && d.cause === 'oom'));
  }));

test('credentials in the URL are sent as basic auth and never printed', () =>
  withSim('crashloop-oom', [firing(P1)], async (sim, am) => {
    const url = am.replace('http://', 'http://oncall:s3cr3t-pw@');
    const r = await run(['why', '--alert', '--alertmanager', url, '--kubeconfig', sim.kubeconfig]);
    assert.is(r.code, 1, r.stderr);
    assert.is(sim.alertmanager!.requests[0]!.headers.authorization, `Basic ${Buffer.from('oncall:s3cr3t-pw').toString('base64')}`);
    assert.not.ok(r.stdout.includes('s3cr3t') || r.stderr.includes('s3cr3t'));
    assert.match(r.stdout, new RegExp(`alert at ${am.replace(/[.]/g, '\\.')}:`));
  }));

test('Alertmanager in the cluster: through the API server\'s service proxy, by default monitoring/alertmanager-operated:9093', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom', alertmanager: { alerts: [firing(P1)], service: { namespace: 'monitoring', name: 'alertmanager-operated', port: 9093 } } });
  try {
    const r = await run(['why', '--alert', '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.is(r.code, 1, r.stderr);
    const out = json<AlertJson>(r);
    assert.is(out.alertmanager, 'service monitoring/alertmanager-operated:9093 (through the API server)');
    assert.equal(out.diagnoses.map((d) => [d.pod, d.cause]), [[P1, 'oom']]);
    const q = sim.requests.find((x) => x.path.includes('/proxy/'))!;
    assert.is(decodeURIComponent(q.path), '/api/v1/namespaces/monitoring/services/alertmanager-operated:9093/proxy/api/v2/alerts');
    assert.match(q.query, /silenced=false/);
    // By port name too; a Service with no endpoint is the API server's 503: exit 3.
    const named = await run(['why', '--alert', '--alertmanager', 'service/monitoring/alertmanager-operated:web', '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.is(named.code, 1, named.stderr);
    sim.store.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'idle-alertmanager', namespace: 'monitoring' }, spec: { selector: { app: 'nothing' }, ports: [{ name: 'web', port: 9093 }] } });
    sim.store.create('endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'idle-alertmanager', namespace: 'monitoring' }, subsets: [] });
    const none = await run(['why', '--alert', '--alertmanager', 'svc/monitoring/idle-alertmanager:9093', '--kubeconfig', sim.kubeconfig]);
    assert.is(none.code, 3);
    assert.match(none.stderr, /no endpoints available for service "idle-alertmanager/);
  } finally {
    await sim.close();
  }
});

test('usage: --alert takes no POD; --alertmanager needs --alert and a URL or service/NS/NAME', async () => {
  for (const args of [['why', P1, '--alert'], ['why', '--alertmanager', 'http://127.0.0.1:9'], ['why', '--alert', '--alertmanager', 'ftp://x'], ['why', '--alert', '--alertmanager', 'service/monitoring']]) {
    const r = await run(args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /--alert/);
  }
});

test.run();
