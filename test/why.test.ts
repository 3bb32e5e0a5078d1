// `why` end to end: every scenario's cause through the binary, the contract's JSON,
// bounded API requests, snapshots that replay offline, and no secret ever printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { json, run } from './helpers/binary';
import { listScenarios, loadScenario, startSim } from './sim/index';

interface Diagnosis {
  pod: string; namespace: string; container: string | null; cause: string; confidence: string; summary: string;
  evidence: { source: string; detail: string; at: string | null }[]; fix: { command: string; kubectl: string[] } | null; escalate: string | null;
}
const KEYS = ['cause', 'confidence', 'container', 'escalate', 'evidence', 'fix', 'namespace', 'pod', 'summary'];
const CONFIDENCES = ['confirmed', 'likely', 'unknown'];
const CAUSES = ['oom', 'probe', 'image', 'db', 'dependency', 'config', 'crash', 'evicted', 'unschedulable', 'stopped', 'healthy', 'unknown'];
const SOURCES = ['status', 'event', 'log', 'spec', 'node', 'deployment', 'service', 'secret'];
const POD = 'dhakacart-backend-7d9f8c6b5d-x2x9k';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-why-'));

/**
 * What a diagnosis must find is kept in one place, each scenario's `expect:` line: the pod
 * to ask about (default POD), the failing container, the cause and confidence a senior SRE
 * would give, and how the next command starts (`fix: null`: there is none). An overlay
 * inherits its parent's line field by field, so every line names them all.
 */
interface Expectation { name: string; pod?: string; container?: string; cause: string; confidence: string; fix: string | null }
const FIELDS: Record<keyof Omit<Expectation, 'name'>, (v: unknown) => boolean> = {
  pod: (v) => typeof v === 'string', container: (v) => typeof v === 'string', cause: (v) => CAUSES.includes(v as string),
  confidence: (v) => CONFIDENCES.includes(v as string), fix: (v) => v === null || typeof v === 'string',
};
function expectationOf(name: string): Expectation {
  const e: Record<string, unknown> = { ...loadScenario(name).expect };
  for (const [k, v] of Object.entries(e)) {
    const ok = FIELDS[k as keyof typeof FIELDS];
    if (!ok) throw new Error(`scenario ${name}: unknown expect field "${k}" (known: ${Object.keys(FIELDS).join(', ')})`);
    if (!ok(v)) throw new Error(`scenario ${name}: expect.${k} is ${JSON.stringify(v)}`);
  }
  for (const k of ['cause', 'confidence', 'fix']) if (!(k in e)) throw new Error(`scenario ${name}: expect lacks ${k}`);
  return { name, ...e } as unknown as Expectation;
}
const EXPECTED = listScenarios().map(expectationOf);

function checkShape(d: Diagnosis) {
  assert.equal(Object.keys(d).filter((k) => KEYS.includes(k)).sort(), KEYS);
  assert.ok(CAUSES.includes(d.cause), d.cause);
  assert.ok(CONFIDENCES.includes(d.confidence));
  for (const e of d.evidence) assert.ok(SOURCES.includes(e.source), e.source);
}

test('every failure of the runbook has a scenario with an expected cause', () => {
  for (const c of ['oom', 'probe', 'image', 'db', 'config', 'healthy']) assert.ok(EXPECTED.some((e) => e.cause === c), c);
});

for (const want of EXPECTED) {
  test(`why ${want.name}: cause ${want.cause}`, async () => {
    const sim = await startSim({ scenario: want.name });
    try {
      const pod = want.pod ?? POD;
      const r = await run(['why', pod, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
      const d = json<Diagnosis>(r);
      // The verdict of every scenario, in the test output, for the reader of a CI log.
      console.log(`  verdict ${want.name}: ${d.cause} (${d.confidence}); next: ${d.fix?.command ?? 'none'}`);
      checkShape(d);
      assert.is(d.cause, want.cause, d.summary);
      assert.is(d.confidence, want.confidence);
      if (want.container) assert.is(d.container, want.container, 'the failing container, not a healthy sidecar');
      assert.is(r.code, want.cause === 'healthy' ? 0 : 1);
      if (want.fix === null) assert.is(d.fix, null, 'no next command');
      else assert.ok(d.fix?.command.startsWith(want.fix), `next command starts with ${want.fix}, got ${d.fix?.command ?? 'none'}`);
      if (want.cause !== 'healthy') assert.ok(d.evidence.length > 0);
      const secrets = sim.store.list('secrets', 'dhakacart').flatMap((s) => Object.values(s.data ?? {}) as string[]);
      for (const b64 of secrets) {
        const plain = Buffer.from(b64, 'base64').toString();
        assert.not.ok(r.stdout.includes(plain) || r.stdout.includes(b64), 'a Secret value was printed');
      }
    } finally {
      await sim.close();
    }
  });
}

test('why POD makes a bounded number of API requests, no N+1', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const before = sim.requests.length;
    await run(['why', POD, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    const n = sim.requests.length - before;
    assert.ok(n <= 20, `${n} requests`);
    const all = sim.requests.length;
    await run(['why', '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    const eventLists = sim.requests.slice(all).filter((q) => /\/events$/.test(q.path) && q.path.includes('/namespaces/dhakacart/'));
    assert.ok(eventLists.length <= 2, 'one events list per API group, not one per pod');
  } finally {
    await sim.close();
  }
});

test('why without POD groups pods that fail the same way; table shows evidence and the next command', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const r = await run(['why', '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.is(r.code, 1);
    const out = json<{ namespace: string; diagnoses: Diagnosis[] }>(r);
    assert.is(out.namespace, 'dhakacart');
    assert.ok(out.diagnoses.some((d) => d.pod === POD && d.cause === 'oom'));
    out.diagnoses.forEach(checkShape);
    const t = await run(['why', POD, '--kubeconfig', sim.kubeconfig]);
    assert.match(t.stdout, /OOM \(confirmed\)/);
    assert.match(t.stdout, /SOURCE\s+EVIDENCE\s+AGE/);
    assert.match(t.stdout, /Next: kubectl dhakacart fix oom/);
  } finally {
    await sim.close();
  }
});

test('why without POD keeps to the selector but sees the rest: a failing database escalates', async () => {
  const sim = await startSim({ scenario: 'trap-statefulset' });
  try {
    const out = json<{ diagnoses: Diagnosis[] }>(await run(['why', '--kubeconfig', sim.kubeconfig, '-o', 'json']));
    assert.ok(out.diagnoses.length > 0);
    // The selector's pods, and the failing pods of what they depend on (DB_HOST → postgres).
    assert.ok(out.diagnoses.every((d) => d.pod.startsWith('dhakacart-') || d.pod === 'postgres-0'), 'only the selector\'s pods and their dependencies are diagnosed');
    assert.ok(out.diagnoses.some((d) => d.pod === 'postgres-0'), 'the failing dependency is diagnosed');
    assert.ok(out.diagnoses.every((d) => d.escalate), 'backend and postgres both failing: several services affected');
  } finally {
    await sim.close();
  }
});

test('--save then --from-file replays the same diagnosis with no cluster', async () => {
  const sim = await startSim({ scenario: 'crashloop-probe' });
  const file = path.join(tmp, 'snap.json');
  let live: Diagnosis;
  try {
    live = json<Diagnosis>(await run(['why', POD, '--kubeconfig', sim.kubeconfig, '-o', 'json', '--save', file]));
  } finally {
    await sim.close();
  }
  const replay = await run(['why', POD, '--from-file', file, '-o', 'json'], { env: { KUBECONFIG: '/nonexistent' } });
  assert.equal(json<Diagnosis>(replay), live);
  const saved = fs.readFileSync(file, 'utf8');
  assert.not.match(saved, /"data":\s*\{/, 'no Secret data in the snapshot');
  fs.writeFileSync(path.join(tmp, 'junk.json'), '{"version":2}');
  const junk = await run(['why', '--from-file', path.join(tmp, 'junk.json')]);
  assert.is(junk.code, 2);
});

test('a pod that does not exist: exit 3', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  try {
    const r = await run(['why', 'no-such-pod', '--kubeconfig', sim.kubeconfig]);
    assert.is(r.code, 3);
    assert.match(r.stderr, /pod "no-such-pod" not found in namespace "dhakacart"/);
  } finally {
    await sim.close();
  }
});

test('every scenario in the simulator diagnoses without error', async () => {
  for (const name of listScenarios()) {
    const sim = await startSim({ scenario: name });
    try {
      const r = await run(['why', '--kubeconfig', sim.kubeconfig, '-o', 'json']);
      assert.ok(r.code === 0 || r.code === 1, `${name}: exit ${r.code} ${r.stderr}`);
      json<{ diagnoses: Diagnosis[] }>(r).diagnoses.forEach(checkShape);
    } finally {
      await sim.close();
    }
  }
});

test.run();
