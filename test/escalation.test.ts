// Escalation: the runbook's rules name a team (diagnose/escalate.ts), the team that acts first
// is called with the contacts the user keeps (ConfigMap dhakacart-escalation or a file).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../src/diagnose/index';
import { parseContacts, noContacts } from '../src/escalation/contacts';
import { contactLine, handover } from '../src/escalation/index';
import { backendWorld, crashLooping, worldSnapshot } from './diagnose/fixtures';
import { json, run } from './helpers/binary';
import { startSim } from './sim/index';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-escalation-'));
const EVICTED = 'dhakacart-backend-7d9f8c6b5d-x2x9k';
const CM_PATH = '/api/v1/namespaces/dhakacart/configmaps/dhakacart-escalation';
interface Out { escalate: string | null; escalation: { reason: string; team: string; contacts: string[] } | null }

test('contacts: one a line, comments and blank lines skipped, or a YAML list; a key that is no team is a problem naming the key only', () => {
  const { contacts, problems } = parseContacts({ infrastructure: '# nodes first\ninfra@example.com\n\n +880-1 \n', senior: ['+880-2'], infra: 'hidden@example.com', platform: 7 }, 'file f.yaml');
  assert.equal(contacts.teams, { infrastructure: ['infra@example.com', '+880-1'], senior: ['+880-2'] });
  assert.equal(problems, [
    'file f.yaml: key "infra" is not a team (the teams are infrastructure, senior, platform)',
    'file f.yaml: the contacts of "platform" are neither lines of text nor a list of strings',
  ]);
  assert.not.ok(problems.join().includes('hidden@'));
});

test('handover: infrastructure acts before senior before platform; its own reasons and contacts; none without reasons', () => {
  const c = parseContacts({ senior: '+880-2', platform: 'platform@example.com' }, 'ConfigMap ns/x').contacts;
  const reasons = [{ team: 'platform' as const, reason: '2 services' }, { team: 'senior' as const, reason: 'rollback tried' }, { team: 'senior' as const, reason: 'all down' }];
  assert.equal(handover({ escalations: reasons }, c), { reason: 'rollback tried; all down', team: 'senior', contacts: ['+880-2'], from: 'ConfigMap ns/x' });
  const infra = handover({ escalations: [...reasons, { team: 'infrastructure', reason: 'node NotReady' }] }, c)!;
  assert.is(infra.team, 'infrastructure');
  assert.equal(infra.contacts, []);
  assert.match(contactLine(infra, 'ns'), /^No contacts for the Infrastructure Team \(ConfigMap ns\/x lists none\): add key "infrastructure"/);
  assert.match(contactLine(handover({ escalations: reasons }, noContacts('no ConfigMap ns/dhakacart-escalation'))!, 'ns'), /\(no ConfigMap ns\/dhakacart-escalation\)/);
  assert.is(handover({ escalations: [] }, c), null);
  assert.is(handover({}, c), null);
});

test('every replica of a customer-facing Deployment down: senior engineer; not with one available, nor for a Deployment the selector does not pick, nor without a status', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  w.dep.status = { replicas: 3, unavailableReplicas: 3 };
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.is(d.escalate, 'Escalate to Senior Engineer: every replica of deployment/dhakacart-backend is down (0 of 3 available).');
  assert.ok(d.evidence.some((e) => e.source === 'deployment' && /every replica/.test(e.detail)));
  assert.is(diagnosePod(worldSnapshot(w, { selector: 'app=dhakacart-frontend' }), w.pod.metadata.name).escalate, null, 'not a service the selector picks');
  w.dep.status = { replicas: 3, availableReplicas: 1 };
  assert.is(diagnosePod(worldSnapshot(w), w.pod.metadata.name).escalate, null);
  delete w.dep.status;
  assert.is(diagnosePod(worldSnapshot(w), w.pod.metadata.name).escalate, null, 'unknown count: nothing claimed');
});

test('why: an eviction under node pressure calls the infrastructure team with the ConfigMap\'s contacts; a misspelt key is warned about', async () => {
  const sim = await startSim({ scenario: 'escalate-node-pressure' });
  try {
    const r = await run(['why', EVICTED, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.is(r.code, 1, r.stderr);
    const d = json<Out>(r);
    assert.match(d.escalate ?? '', /^Escalate to Infrastructure Team: node dhakacart-worker-1 has MemoryPressure; the kubelet evicted/);
    assert.equal(d.escalation, { reason: 'node dhakacart-worker-1 has MemoryPressure; the kubelet evicted dhakacart-backend-7d9f8c6b5d-x2x9k on node dhakacart-worker-1', team: 'infrastructure', contacts: ['infra@dhakacart.com', '+880-1700-000001'] });
    assert.match(r.stderr, /warning: ConfigMap dhakacart\/dhakacart-escalation: key "infra" is not a team/);
    assert.not.ok(r.stderr.includes('someone@'), 'the skipped value is not printed');
    const t = await run(['why', EVICTED, '--kubeconfig', sim.kubeconfig]);
    assert.match(t.stdout, /\n {2}Call the Infrastructure Team: infra@dhakacart\.com, \+880-1700-000001 \(from ConfigMap dhakacart\/dhakacart-escalation\); hand over the evidence above\.\n/);
  } finally {
    await sim.close();
  }
});

test('--escalation-config FILE is used instead of the ConfigMap (not even read); a key that is no team is a usage error', async () => {
  const sim = await startSim({ scenario: 'escalate-node-pressure' });
  try {
    const file = path.join(tmp, 'contacts.yaml');
    fs.writeFileSync(file, 'infrastructure:\n  - noc@example.com\nsenior: |\n  +880-9\n');
    const r = await run(['why', EVICTED, '--kubeconfig', sim.kubeconfig, '-o', 'json', '--escalation-config', file]);
    assert.equal(json<Out>(r).escalation?.contacts, ['noc@example.com']);
    assert.not.ok(sim.requests.some((q) => q.path === CM_PATH));
    fs.writeFileSync(file, 'infra: noc@example.com\n');
    const bad = await run(['why', EVICTED, '--kubeconfig', sim.kubeconfig, '--escalation-config', file]);
    assert.is(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /key "infra" is not a team/);
    const missing = await run(['why', EVICTED, '--kubeconfig', sim.kubeconfig, '--escalation-config', path.join(tmp, 'nope.yaml')]);
    assert.is(missing.code, 2);
  } finally {
    await sim.close();
  }
});

test('no escalation, no ConfigMap request; a forbidden ConfigMap costs the contacts only; a saved snapshot is diagnosed offline', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const r = await run(['why', 'dhakacart-backend-7d9f8c6b5d-x2x9k', '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    assert.is(json<Out>(r).escalation, null);
    assert.not.ok(sim.requests.some((q) => q.path === CM_PATH));
  } finally {
    await sim.close();
  }
  const denied = await startSim({ scenario: 'escalate-node-pressure', settings: { deny: [{ verb: 'get', resource: 'configmaps', name: 'dhakacart-escalation' }] } });
  try {
    const snap = path.join(tmp, 'snap.json');
    const r = await run(['why', EVICTED, '--kubeconfig', denied.kubeconfig, '--save', snap]);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stdout, /No contacts for the Infrastructure Team \(ConfigMap dhakacart\/dhakacart-escalation could not be read: forbidden\)/);
    const offline = await run(['why', '--from-file', snap, '-o', 'json']);
    assert.equal(json<Out>(offline).escalation?.contacts, []);
    const t = await run(['why', '--from-file', snap]);
    assert.match(t.stdout, /No contacts for the Infrastructure Team \(not read offline; pass --escalation-config FILE\)/);
  } finally {
    await denied.close();
  }
});

test.run();
