// Hostile cluster text end to end: terminal control sequences, bidi and zero-width
// characters and credentials put into a scenario's objects at run time must not reach the
// terminal (stdout or stderr) of any command, in any format, nor a saved snapshot.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { json, run, type RunResult } from './helpers/binary';
import { listScenarios, loadScenario, startSim, type Sim } from './sim/index';

const NS = 'dhakacart';
const DEP = 'deployments.apps';
const RS = 'replicasets.apps';
const POD = 'dhakacart-backend-7d9f8c6b5d-x2x9k';
const CAUSE = 'kubernetes.io/change-cause';

const SECRETS = ['hunter2', 's3cretpw', 'abcdEFGH1234tokenXYZ', 'AKIAABCDEFGHIJKLMNOP', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'];
const HOSTILE = [
  '\x1b]52;c;cHduZWQ=\x07', // clipboard write
  '\x1b[2J\x1b[H', // screen clear
  '\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\', // hyperlink
  '\x9b31m', // 8-bit CSI
  'gpj.\u202eexe', '\u2066iso\u2069', 'zero\u200bwidth', '\ufeffbom',
  ` password=${SECRETS[0]} postgres://app:${SECRETS[1]}@db:5432/x Bearer ${SECRETS[2]} ${SECRETS[3]} ${SECRETS[4]}`,
].join(' ');

/** Everything that must never be printed: raw, or escaped by JSON/YAML. */
const FORBIDDEN: [string, RegExp][] = [
  ['ESC', /\x1b|\\u001b|\\e|\\x1b/i],
  ['C1', /[\x80-\x9f]|\\u009b|\\x9b/i],
  ['bidi/zero-width', /[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|\\u(?:202e|2066|200b|feff)/i],
  ...SECRETS.map((s): [string, RegExp] => [s, new RegExp(s.replace(/\./g, '\\.'))]),
];

function assertClean(what: string, r: RunResult) {
  for (const [name, re] of FORBIDDEN) {
    for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
      const m = re.exec(text);
      assert.not.ok(m, `${what}: ${name} reached ${stream} at ${m?.index}:\n${text.slice(Math.max(0, (m?.index ?? 0) - 80), (m?.index ?? 0) + 80)}`);
    }
  }
}

/** Hostile text in a change-cause (Deployment and ReplicaSets), a waiting message, the events, a log line and a label. */
function poison(sim: Sim) {
  const dep = sim.store.get(DEP, NS, 'dhakacart-backend')!;
  dep.metadata.annotations = { ...dep.metadata.annotations, [CAUSE]: `kubectl set image ${HOSTILE}` };
  sim.store.update(DEP, dep);
  for (const rs of sim.store.list(RS, NS).filter((x) => x.metadata.name!.startsWith('dhakacart-backend-'))) {
    rs.metadata.annotations = { ...rs.metadata.annotations, [CAUSE]: `deploy ${HOSTILE}` };
    sim.store.update(RS, rs);
  }
  const pod = sim.store.get('pods', NS, POD)!;
  pod.metadata.labels = { ...pod.metadata.labels, team: HOSTILE };
  for (const s of pod.status.containerStatuses) if (s.state.waiting) s.state.waiting.message = `back-off ${HOSTILE}`;
  sim.store.update('pods', pod);
  for (const e of sim.store.list('events', NS).filter((x) => x.involvedObject?.name === POD)) {
    e.message = `${e.message} ${HOSTILE}`;
    sim.store.update('events', e);
  }
  // A pod of no workload, its app label and image hostile: status --all shows both.
  const stray = sim.store.list('pods', NS).find((x) => x.metadata.labels?.app === 'dhakacart-frontend')!;
  stray.metadata = { name: 'stray', namespace: NS, labels: { app: `app ${HOSTILE}` } };
  stray.spec.containers[0].image = `busybox ${HOSTILE}`;
  for (const s of stray.status.containerStatuses ?? []) s.image = `busybox ${HOSTILE}`;
  sim.store.create('pods', stray);
  const logs = sim.settings.logs[`${POD}/backend`]!;
  logs.previous = `${logs.previous ?? ''}\nError: cannot start ${HOSTILE}\n`;
}

async function hostileSim(): Promise<Sim> {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  poison(sim);
  return sim;
}

const k = (sim: Sim, args: string[]) => run([...args, '--kubeconfig', sim.kubeconfig]);

test('the poison is really in the objects the commands read (the test can fail)', async () => {
  const sim = await hostileSim();
  try {
    const raw = JSON.stringify([sim.store.get(DEP, NS, 'dhakacart-backend'), sim.store.get('pods', NS, POD), sim.store.get('pods', NS, 'stray'), sim.settings.logs]);
    for (const s of SECRETS) assert.ok(raw.includes(s), s);
    assert.ok(raw.includes('\\u001b]52;'));
  } finally {
    await sim.close();
  }
});

test('status, why and why for every pod: no control, bidi or zero-width character and no credential, in table, wide, JSON and YAML', async () => {
  const sim = await hostileSim();
  try {
    for (const args of [
      ['status', '--all'], ['status', '--all', '-o', 'wide'], ['status', '--all', '-o', 'json'], ['status', '--all', '-o', 'yaml'],
      ['why', POD], ['why', POD, '--logs', '20'], ['why', POD, '-o', 'json'], ['why', POD, '-o', 'yaml'], ['why'], ['why', '-o', 'json'],
    ]) {
      const r = await k(sim, args);
      assert.is(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assertClean(args.join(' '), r);
    }
    const status = json<{ pods: { name: string; app: string }[] }>(await k(sim, ['status', '--all', '-o', 'json']));
    assert.match(status.pods.find((p) => p.name === 'stray')?.app ?? '', /^app .*password=\*\*\*/, 'the label is shown, cleaned');
    // What is left is still there, masked: the reader sees that a credential was there.
    const d = json<{ evidence: { detail: string }[] }>(await k(sim, ['why', POD, '-o', 'json']));
    assert.ok(d.evidence.some((e) => /password=\*\*\*/.test(e.detail) && /postgres:\/\/app:\*\*\*@db/.test(e.detail)), JSON.stringify(d.evidence));
  } finally {
    await sim.close();
  }
});

test('rollback --dry-run: the history table (CHANGE-CAUSE) is clean; so is the change table of fix --dry-run', async () => {
  const sim = await hostileSim();
  try {
    const rb = await k(sim, ['rollback', '--dry-run']);
    assert.match(rb.stdout + rb.stderr, /CHANGE-CAUSE/);
    assert.match(rb.stdout + rb.stderr, /password=\*\*\*/, 'the cause is shown, masked');
    assertClean('rollback --dry-run', rb);
    assertClean('rollback --dry-run -o json', await k(sim, ['rollback', '--dry-run', '-o', 'json']));
    const fix = await k(sim, ['fix', 'oom', '--dry-run']);
    assert.is(fix.code, 0, fix.stderr);
    assert.match(fix.stdout, /CHANGE/);
    assertClean('fix oom --dry-run', fix);
    // The image of an earlier revision is cluster text too: fix image shows it in the change table (or refuses it).
    const older = sim.store.list(RS, NS).find((x) => x.metadata.annotations?.['deployment.kubernetes.io/revision'] === '6')!;
    older.spec.template.spec.containers[0].image = `dhakacart/backend:v1.4.1${HOSTILE}`;
    sim.store.update(RS, older);
    const img = await k(sim, ['fix', 'image', '--dry-run']);
    assert.match(img.stdout + img.stderr, /v1\.4\.1/, `${img.stdout}${img.stderr}`);
    assertClean('fix image --dry-run', img);
  } finally {
    await sim.close();
  }
});

test('an error message from the server carrying hostile text is printed clean', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom', faults: [{ pathRegex: /\/deployments\/dhakacart-backend$/, status: 403, message: `denied ${HOSTILE}` }] });
  try {
    for (const args of [['rollback', '--dry-run'], ['fix', 'oom', '--dry-run']]) {
      const r = await k(sim, args);
      assert.is(r.code, 3, r.stderr);
      assert.match(r.stderr, /denied/);
      assertClean(args.join(' '), r);
    }
  } finally {
    await sim.close();
  }
});

test('why --save holds no secret env value, no raw log line; --from-file gives the same diagnosis', async () => {
  const sim = await hostileSim();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-save-'));
  try {
    const dep = sim.store.get(DEP, NS, 'dhakacart-backend')!;
    const env = [
      { name: 'DB_PASSWORD', value: 'hunter2' },
      { name: 'API_TOKEN', value: 'tok-41af93' },
      { name: 'STRIPE_SECRET_KEY', value: 'sk_live_5b7c' },
      { name: 'DATABASE_URL', value: 'postgres://app:s3cretpw@postgres-service:5432/dhakacart' },
      { name: 'SENTRY_DSN', value: 'https://9f2e1d@sentry.example/4' },
      { name: 'FEATURE_NOTE', value: `harmless but contains Bearer ${SECRETS[2]}` },
    ];
    const c = dep.spec.template.spec.containers[0];
    c.env = [...c.env, ...env];
    c.args = ['--db-password', 'pw-in-args-77', `--token=${SECRETS[3]}`];
    dep.metadata.annotations = { ...dep.metadata.annotations, 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'backend', env }] } } } }) };
    sim.store.update(DEP, dep);
    for (const rs of sim.store.list(RS, NS).filter((x) => x.metadata.name!.startsWith('dhakacart-backend-'))) {
      rs.spec.template.spec.containers[0].env = [...(rs.spec.template.spec.containers[0].env ?? []), ...env];
      sim.store.update(RS, rs);
    }
    const pod = sim.store.get('pods', NS, POD)!;
    pod.spec.containers[0].env = [...pod.spec.containers[0].env, ...env];
    sim.store.update('pods', pod);

    const file = path.join(dir, 'snap.json');
    const live = await k(sim, ['why', POD, '-o', 'json', '--save', file]);
    assert.is(live.code, 1, live.stderr);
    const saved = fs.readFileSync(file, 'utf8');
    for (const s of [...SECRETS, 'tok-41af93', 'sk_live_5b7c', '9f2e1d', 'pw-in-args-77']) assert.not.ok(saved.includes(s), `${s} saved:\n${saved.slice(saved.indexOf(s) - 200, saved.indexOf(s) + 50)}`);
    assert.not.match(saved, /\\u001b|\\u009b|[\u202a-\u202e\u2066-\u2069\u200b\ufeff]/);
    // What the diagnosis needs stays: the hosts, the names, the masked shape.
    assert.ok(saved.includes('postgres://app:***@postgres-service:5432/dhakacart'));
    assert.ok(saved.includes('"DB_PASSWORD"'));
    assert.ok(saved.includes('postgres-service'));

    const offline = await run(['why', POD, '-o', 'json', '--from-file', file]);
    assert.is(offline.code, live.code, offline.stderr);
    assert.equal(json(offline), json(live));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
});

test('every scenario: the masked snapshot gives the diagnosis the live cluster gave, also with secrets in the env', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-save-'));
  let checked = 0;
  const replay = async (name: string, pod: string) => {
    const sim = await startSim({ scenario: name });
    try {
      for (const d of sim.store.list(DEP, NS)) {
        for (const c of d.spec.template.spec.containers) c.env = [...(c.env ?? []), { name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'DATABASE_URL', value: 'postgres://app:s3cretpw@postgres-service:5432/dhakacart' }];
        sim.store.update(DEP, d);
      }
      const file = path.join(dir, `${name}.json`);
      const live = await k(sim, ['why', pod, '-o', 'json', '--save', file]);
      const saved = fs.readFileSync(file, 'utf8');
      assert.not.ok(saved.includes('hunter2') || saved.includes('s3cretpw'), name);
      const offline = await run(['why', pod, '-o', 'json', '--from-file', file], { env: { KUBECONFIG: '/nonexistent' } });
      assert.is(offline.code, live.code, `${name}: ${offline.stderr}`);
      // Contacts are read when `why` runs, not saved with the evidence: offline has none to call.
      const uncalled = (d: Record<string, unknown>) => ({ ...d, escalation: d.escalation && { ...(d.escalation as object), contacts: [] } });
      assert.equal(json(offline), uncalled(json(live)), name);
      checked++;
    } finally {
      await sim.close();
    }
  };
  try {
    const cases = listScenarios().map((n) => [n, loadScenario(n).expect.pod] as const).filter((c): c is readonly [string, string] => !!c[1]);
    // Three at a time: the machine is shared, the cases are independent.
    for (let i = 0; i < cases.length; i += 3) await Promise.all(cases.slice(i, i + 3).map(([n, p]) => replay(n, p)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(checked >= 8, `${checked} scenarios`);
});

test('src/security imports nothing from the project: every layer may use it', () => {
  for (const f of fs.readdirSync('src/security')) {
    const imports = [...fs.readFileSync(path.join('src/security', f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
    assert.equal(imports.filter((i) => !i.startsWith('./')), [], f);
  }
});

test('no module writes to stdout or stderr past io.ts (the filter every output passes)', () => {
  const allowed = new Set(['src/io.ts', 'src/main.ts', 'src/cli.ts']);
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !allowed.has(p) && /process\.(?:stdout|stderr)\.write|console\.(?:log|error|warn|info|debug)\(/.test(fs.readFileSync(p, 'utf8'))) offenders.push(p);
    }
  };
  walk('src');
  assert.equal(offenders, []);
});

test.run();
