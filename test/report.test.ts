// `report`: the post-incident report. Its pure parts (timeline, preventive measures, Markdown)
// on fixtures; the command through the binary: why --save during the incident, a fix, then report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../src/diagnose/index';
import { renderReportMarkdown } from '../src/report/markdown';
import { buildReport, type Report } from '../src/report/model';
import { filedChecks, preventiveMeasures } from '../src/report/prevention';
import { buildTimeline } from '../src/report/timeline';
import { NOW, ago, backendWorld, crashLooping, event, worldSnapshot } from './diagnose/fixtures';
import { json, run } from './helpers/binary';
import { startSim } from './sim/index';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-report-'));
const HOUR = 3_600_000;
const SECTIONS = ['# Incident report: dhakacart', '## Summary', '## Timeline (UTC)', '## Diagnosis', '## Actions taken', '## Restart and memory trends', '## Escalation', '## Root Cause Analysis', '## Preventive Measures', '## Documentation Updates'];

function world() {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 137, reason: 'OOMKilled' }, 5)] });
  w.rs.metadata.annotations!['kubernetes.io/change-cause'] = 'CI: deploy v1.4.3';
  return w;
}

test('timeline: each event once (its newest copy) from every snapshot, rollouts with their change-cause, the saved snapshots; oldest first, within the window', () => {
  const w = world();
  const backoff = event(w.pod, { reason: 'BackOff', message: 'Back-off restarting failed container', count: 3, firstAgo: 1800, lastAgo: 600 });
  const later = { ...backoff, count: 9, lastTimestamp: ago(60) };
  const normal = event(w.pod, { reason: 'Pulled', message: 'image pulled', type: 'Normal', lastAgo: 1700 });
  const earlier = { ...worldSnapshot(w, { events: [backoff, normal] }), capturedAt: ago(900) };
  const live = worldSnapshot(w, { events: [later] });
  w.rs.metadata.creationTimestamp = ago(2000);
  const entries = buildTimeline(live, [{ file: 'snap.json', snapshot: earlier, diagnoses: [diagnosePod(earlier, w.pod.metadata.name)] }], Date.parse(NOW) - HOUR);
  assert.equal(entries.map((e) => e.kind), ['revision', 'event', 'snapshot']);
  assert.match(entries[0]!.detail, /^revision 7 rolled out \(ReplicaSet dhakacart-backend-h7, dhakacart\/backend:v1\.4\.3\); change-cause: CI: deploy v1\.4\.3$/);
  assert.match(entries[1]!.detail, /^Warning BackOff \(x9, last at /, 'the newest copy of the event, once');
  assert.is(entries[1]!.object, `pod/${w.pod.metadata.name}`);
  assert.match(entries[2]!.detail, /^why snapshot snap\.json: dhakacart-backend-h7-\w+ oom$/);
  assert.ok(entries.every((e) => !/Pulled/.test(e.detail)), 'a routine Normal event is left out');
  // Revision 6 was created 3 days ago: outside the window.
  assert.not.ok(entries.some((e) => /revision 6/.test(e.detail)));
});

test('preventive measures: the items the causes show missed, with the fix; check\'s results fill the rest, worst first, each naming its workload', () => {
  const w = world();
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  const line = (id: string, result: 'pass' | 'warn' | 'fail', detail: string, fix: string | null = null) => ({ id, title: `rule ${id}`, result, detail, fix });
  const m = preventiveMeasures([d], filedChecks([
    { target: 'deployment/web', checks: [line('image-tag', 'pass', 'v1.4.3'), line('resources', 'pass', 'set'), line('replicas', 'fail', '1 replica', 'scale'), line('crash-alert', 'pass', 'alert A')] },
    { target: 'deployment/api', checks: [line('image-tag', 'warn', 'no digest', 'pin the digest'), line('crash-alert', 'pass', 'alert A')] },
  ]));
  const by = Object.fromEntries(m.map((x) => [x.id, x]));
  assert.is(by.resources!.status, 'incident', 'what the incident showed wins over a check');
  assert.ok(by.resources!.fix?.startsWith('kubectl dhakacart fix oom'));
  assert.equal([by['immutable-tags']!.status, by['immutable-tags']!.fix, by['immutable-tags']!.detail], ['warn', 'pin the digest', 'rule image-tag: deployment/api: no digest']);
  assert.equal([by.alerts!.status, by.alerts!.detail], ['pass', 'rule crash-alert: deployment/web: alert A (1 more pass)']);
  assert.is(by['rollback-tested']!.status, 'unchecked');
  assert.not.ok(m.some((x) => x.detail.includes('1 replica')), 'replicas is check\'s own rule, not an item of the runbook\'s list');
  assert.is(m.length, 7, 'every item of the runbook\'s checklist');
});

test('markdown: every section in order; a | or a newline from the cluster does not break a table row', () => {
  const w = world();
  const live = worldSnapshot(w, { events: [event(w.pod, { reason: 'BackOff', message: 'a | b\nc', lastAgo: 60 })] });
  const md = renderReportMarkdown(buildReport({ live, diagnoses: [diagnosePod(live, w.pod.metadata.name)], saved: [], sinceMs: HOUR }));
  let at = -1;
  for (const s of SECTIONS) {
    const i = md.indexOf(`${s}\n`);
    assert.ok(i > at, `${s} after the one before`);
    at = i;
  }
  const row = md.split('\n').find((l) => l.includes('Warning BackOff'))!;
  assert.match(row, /: a \\\| b c \|$/);
  assert.is(row.split(/(?<!\\)\|/).length, 6, 'four cells');
});

async function incident(scenario: string) {
  const sim = await startSim({ scenario });
  const k = ['--kubeconfig', sim.kubeconfig];
  const snap = path.join(tmp, `${scenario}.json`);
  const saved = await run(['why', '--save', snap, ...k]);
  assert.is(saved.code, 1, saved.stderr);
  return { sim, k, snap };
}

test('report after a fix: resolved (exit 0); the snapshot\'s diagnosis, the fix and its outcome, trends, RCA and measures pre-filled', async () => {
  const { sim, k, snap } = await incident('crashloop-oom');
  try {
    const fix = await run(['fix', 'oom', 'deployment/dhakacart-backend', '--yes', '--no-wait', ...k]);
    assert.is(fix.code, 0, fix.stderr);
    const r = await run(['report', '--from-file', snap, ...k, '--format', 'json']);
    assert.is(r.code, 0, r.stderr);
    const rep = json<Report>(r);
    assert.is(rep.resolved, true);
    assert.is(rep.since, '2h');
    assert.equal(rep.diagnoses.map((d) => d.cause), ['oom'], 'the failure the snapshot saw');
    assert.is(rep.actions.length, 1);
    assert.match(rep.actions[0]!.command, /^kubectl dhakacart fix oom deployment\/dhakacart-backend/);
    assert.match(rep.actions[0]!.outcome, /^healthy \(\d\/3 ready\)$|^still failing/);
    assert.ok(rep.timeline.some((e) => e.kind === 'snapshot') && rep.timeline.some((e) => e.kind === 'revision' && /fix oom/.test(e.detail)), 'the fix is a rollout of the timeline');
    assert.ok(rep.trends.memory && rep.trends.memory.some((t) => t.limit === '512Mi'), 'metrics are served in crashloop-oom');
    assert.ok(rep.trends.restarts.some((t) => t.pod === 'dhakacart-backend-7d9f8c6b5d-x2x9k' && t.points[0]!.restarts === 7));
    assert.equal(rep.rootCause.findings.map((f) => f.item), ['Deployment history', 'Configuration changes', 'Resource usage trends', 'Application logs']);
    assert.match(rep.rootCause.findings[1]!.finding, /revision 7 rolled out image dhakacart\/backend:v1\.4\.2/);
    assert.is(rep.preventiveMeasures.find((m) => m.id === 'resources')!.status, 'incident');
    // The rest from check's checklist of the live workloads: redis has no liveness probe in this scenario.
    const health = rep.preventiveMeasures.find((m) => m.id === 'health-checks')!;
    assert.equal([health.status, health.detail.includes('deployment/redis: redis has no liveness probe')], ['fail', true], health.detail);
    assert.ok(rep.preventiveMeasures.every((m) => m.status !== 'unchecked'), 'check ran');
    const md = await run(['report', '--from-file', snap, ...k]);
    assert.is(md.code, 0);
    for (const s of SECTIONS) assert.ok(md.stdout.includes(`${s}\n`), s);
    assert.match(md.stdout, /- \*\*Status:\*\* resolved: nothing fails now/);
    assert.match(md.stdout, /\| `kubectl dhakacart fix oom deployment\/dhakacart-backend[^`]*` \| 8 \|/);
  } finally {
    await sim.close();
  }
});

test('report while it still fails: exit 1, the escalation with its contacts; no Secret value printed', async () => {
  const { sim, k, snap } = await incident('escalate-node-pressure');
  try {
    const r = await run(['report', '--from-file', snap, ...k]);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stdout, /## Escalation\n\n- \*\*Team:\*\* Infrastructure Team\n- \*\*Why:\*\* node dhakacart-worker-1 has MemoryPressure/);
    assert.match(r.stdout, /- \*\*Contacts:\*\* infra@dhakacart\.com, \+880-1700-000001\n/);
    const secrets = sim.store.list('secrets', 'dhakacart').flatMap((s) => Object.values(s.data ?? {}) as string[]);
    for (const b64 of secrets) assert.not.ok(r.stdout.includes(Buffer.from(b64, 'base64').toString()) || r.stdout.includes(b64), 'a Secret value was printed');
  } finally {
    await sim.close();
  }
});

test('usage: --format html, a bad --since, a snapshot of another namespace, a file that is no snapshot: exit 2 before any request', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  try {
    const other = path.join(tmp, 'other.json');
    const snap = JSON.parse(fs.readFileSync(path.join(tmp, 'crashloop-oom.json'), 'utf8'));
    fs.writeFileSync(other, JSON.stringify({ ...snap, namespace: 'shop' }));
    const junk = path.join(tmp, 'junk.json');
    fs.writeFileSync(junk, '{}');
    for (const args of [['--format', 'html'], ['--since', 'soon'], ['--from-file', other], ['--from-file', junk]]) {
      const r = await run(['report', ...args, '--kubeconfig', sim.kubeconfig]);
      assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
    assert.is(sim.requests.length, 0);
    const ok = await run(['report', '--kubeconfig', sim.kubeconfig, '-o', 'yaml']);
    assert.is(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^namespace: dhakacart\n/);
  } finally {
    await sim.close();
  }
});

test.run();
