// The transport under API faults, through the built binary against the simulator: retries
// that leave the answer unchanged, bounds on every wait, malformed replies, Ctrl-C.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { dump, load } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, baseEnv, run, type RunResult } from './helpers/binary';
import { startSim, writeKubeconfig, type Fault, type RequestRecord, type Sim } from './sim/index';

const POD = 'dhakacart-backend-7d9f8c6b5d-x2x9k';
const PODS = '/api/v1/namespaces/dhakacart/pods$';

/** The JSON with the fields that hold the clock (ages) removed, for comparing two runs. */
function stable(stdout: string): unknown {
  return JSON.parse(stdout, (k, v) => (k === 'age' ? undefined : v));
}

async function withSim<T>(faults: Fault[], fn: (sim: Sim) => Promise<T>): Promise<T> {
  const sim = await startSim({ scenario: 'crashloop-oom', faults });
  try { return await fn(sim); } finally { await sim.close(); }
}

/** Clean runs first, then the same commands with `faults` armed, on one simulator (so times agree). */
async function cleanThenFaulty(faults: Fault[], fn: (sim: Sim, clean: { status: RunResult; why: RunResult }) => Promise<void>): Promise<void> {
  await withSim([], async (sim) => {
    const clean = { status: await status(sim), why: await why(sim) };
    sim.requests.length = 0;
    sim.faults.push(...faults);
    await fn(sim, clean);
  });
}

const status = (sim: Sim, ...extra: string[]) => run(['status', '--kubeconfig', sim.kubeconfig, '-o', 'json', ...extra]);
const why = (sim: Sim, ...extra: string[]) => run(['why', POD, '--kubeconfig', sim.kubeconfig, '-o', 'json', ...extra]);

/** One `error:` line (and at most its hint), no stack trace. */
function oneLineError(r: RunResult, re: RegExp): void {
  const lines = r.stderr.trim().split('\n');
  assert.is(lines.filter((l) => l.startsWith('error: ')).length, 1, r.stderr);
  assert.ok(lines.length <= 2 && lines.slice(1).every((l) => l.startsWith('hint: ')), r.stderr);
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  assert.match(lines[0]!, re);
}

const hits = (reqs: RequestRecord[], method: string, re: RegExp) => reqs.filter((q) => q.method === method && re.test(q.path) && !q.watch);

test('one 429 with Retry-After 1 on the pod list: waits ~1 s, then the same answer as a clean run', async () => {
  await cleanThenFaulty([{ method: 'GET', pathRegex: PODS, status: 429, retryAfter: 1, times: 1 }], async (sim, c) => {
    const r = await status(sim);
    assert.is(r.code, c.status.code, r.stderr);
    assert.equal(stable(r.stdout), stable(c.status.stdout));
    const lists = hits(sim.requests, 'GET', new RegExp(PODS));
    assert.equal(lists.map((q) => q.status), [429, 200]);
    const gap = lists[1]!.at - lists[0]!.at;
    assert.ok(gap >= 950 && gap < 2500, `waited ${gap} ms for Retry-After: 1`);
  });
});

test('one 503 on a list, one reset on a GET, one body cut short: retried, the same answer as a clean run', async () => {
  await cleanThenFaulty([
    { method: 'GET', pathRegex: '/apis/apps/v1/namespaces/dhakacart/deployments$', status: 503, times: 1 },
    { method: 'GET', pathRegex: '/api/v1/namespaces/dhakacart$', status: 'reset', times: 1 },
    { method: 'GET', pathRegex: PODS, status: 'partial', times: 1 },
  ], async (sim, c) => {
    const r = await status(sim);
    assert.is(r.code, c.status.code, r.stderr);
    assert.equal(stable(r.stdout), stable(c.status.stdout));
    assert.equal(hits(sim.requests, 'GET', /\/deployments$/).map((q) => q.status), [503, 200]);
    assert.is(hits(sim.requests, 'GET', /\/namespaces\/dhakacart$/).length, 2);
    assert.is(hits(sim.requests, 'GET', new RegExp(PODS)).length, 2);
  });
});

test('a persistent 503: five attempts with backoff, bounded time, exit 3, one line', async () => {
  await withSim([{ method: 'GET', pathRegex: PODS, status: 503 }], async (sim) => {
    const r = await status(sim);
    assert.is(r.code, 3, r.stderr);
    assert.is(r.stdout, '');
    oneLineError(r, /ServiceUnavailable.*after 5 attempts/);
    const lists = hits(sim.requests, 'GET', new RegExp(PODS));
    assert.is(lists.length, 5);
    const gaps = lists.slice(1).map((q, i) => q.at - lists[i]!.at);
    assert.ok(gaps.every((g, i) => g >= 125 * 2 ** i - 20), `backoff grows: ${gaps}`);
    assert.ok(r.ms < 8000, `took ${r.ms} ms`);
  });
});

test('a write is not retried on 503 (outcome unknown) but is on 429', async () => {
  await withSim([{ method: 'PATCH', pathRegex: '/deployments/dhakacart-backend$', status: 429, retryAfter: 0, times: 1 }], async (sim) => {
    const r = await run(['emergency', 'stop', '--kubeconfig', sim.kubeconfig, '--yes', '--no-wait', '-o', 'json']);
    assert.is(hits(sim.requests, 'PATCH', /dhakacart-backend/).map((q) => q.status).join(), '429,200', r.stderr);
  });
  await withSim([{ method: 'PATCH', pathRegex: '/deployments/dhakacart-backend$', status: 503 }], async (sim) => {
    const r = await run(['emergency', 'stop', '--kubeconfig', sim.kubeconfig, '--yes', '--no-wait', '-o', 'json']);
    assert.not.equal(r.code, 0, r.stderr);
    // The transport never repeats it; the change runner sends it again only after reading the
    // Deployment back (unchanged, so the resourceVersion precondition makes a resend safe).
    const backend = sim.requests.filter((q) => /\/deployments\/dhakacart-backend$/.test(q.path) && !/dryRun/.test(q.query)).map((q) => q.method).join(',');
    assert.is(backend.replace(/^(GET,)+/, ''), 'PATCH,GET,PATCH,GET,PATCH,GET', 'each resend follows a read-back');
  });
});

/** A continue token the simulator accepts (its own format), starting after `start`. */
const token = (rv: string, start: string) => Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start })).toString('base64');

test('a continue token that never ends: a clear error after a bounded number of pages', async () => {
  await withSim([{ method: 'GET', pathRegex: PODS, transform: (b) => ({ ...b, metadata: { ...b.metadata, continue: token(b.metadata.resourceVersion, '') } }) }], async (sim) => {
    const r = await status(sim);
    assert.is(r.code, 3, r.stderr);
    oneLineError(r, /GET \/api\/v1\/namespaces\/dhakacart\/pods: .*same continue token twice/);
    assert.is(hits(sim.requests, 'GET', new RegExp(PODS)).length, 2);
  });
  let n = 0;
  await withSim([{ method: 'GET', pathRegex: PODS, transform: (b) => ({ ...b, metadata: { ...b.metadata, continue: token(b.metadata.resourceVersion, `dhakacart/${n++}`) } }) }], async (sim) => {
    const r = await status(sim);
    assert.is(r.code, 3, r.stderr);
    oneLineError(r, /still paging after 200 pages/);
    assert.is(hits(sim.requests, 'GET', new RegExp(PODS)).length, 200);
  });
});

test('a hanging server with --request-timeout 1s: exit 3 within the bound', async () => {
  await withSim([{ method: 'GET', pathRegex: PODS, status: 'hang' }], async (sim) => {
    const r = await status(sim, '--request-timeout', '1s');
    assert.is(r.code, 3, r.stderr);
    oneLineError(r, /did not answer: no answer within 1s/);
    assert.ok(r.ms < 2500, `took ${r.ms} ms`);
  });
});

test('a port that accepts TCP but never speaks TLS, --request-timeout 1s: exit 3 in under 2 s', async () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((s) => { sockets.add(s); });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as net.AddressInfo).port;
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const kc = writeKubeconfig(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-silent-')), 'config'),
      { server: `https://127.0.0.1:${port}`, caCert: sim.caCert, token: 't' });
    const r = await run(['status', '--kubeconfig', kc, '--request-timeout', '1s']);
    assert.is(r.code, 3, r.stderr);
    oneLineError(r, /did not answer/);
    assert.ok(r.ms < 2000, `took ${r.ms} ms`);
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
    await sim.close();
  }
});

test('an exec credential plugin that never answers: bounded by --request-timeout, exit 3, one line', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-exec-'));
    const plugin = path.join(dir, 'cred.sh');
    fs.writeFileSync(plugin, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const kc = path.join(dir, 'config');
    const doc = load(fs.readFileSync(sim.kubeconfig, 'utf8')) as { users: { user: Record<string, unknown> }[] };
    doc.users[0]!.user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } };
    fs.writeFileSync(kc, dump(doc));
    const r = await run(['status', '--kubeconfig', kc, '--request-timeout', '1s']);
    assert.is(r.code, 3, r.stderr);
    oneLineError(r, /cannot get credentials .*the credential plugin gave no answer within 1s/);
    assert.ok(r.ms < 2500, `took ${r.ms} ms`);
    assert.is(sim.requests.length, 0, 'nothing sent without credentials');
  } finally {
    await sim.close();
  }
});

/** Starts the binary with a pipe on stdout; `until` waits for text, `interrupt` sends SIGINT and times the exit. */
function start(args: string[]) {
  const child = spawn(BIN, args, { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const closed = new Promise<number | null>((r) => child.on('close', r));
  return {
    get out() { return out; },
    get err() { return err; },
    closed,
    async until(re: RegExp, ms = 10_000) {
      for (const t0 = Date.now(); !re.test(out) && Date.now() - t0 < ms;) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, re, `stderr: ${err}`);
    },
    async interrupt(): Promise<{ code: number | null; ms: number }> {
      const t0 = Date.now();
      child.kill('SIGINT');
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await closed;
      clearTimeout(kill);
      return { code, ms: Date.now() - t0 };
    },
  };
}

test('status --watch whose watch headers never arrive: --request-timeout ends it, exit 3', async () => {
  await withSim([{ method: 'GET', pathRegex: 'watch=true', status: 'hang' }], async (sim) => {
    const t0 = Date.now();
    const p = start(['status', '--watch', '--kubeconfig', sim.kubeconfig, '-o', 'json', '--request-timeout', '1s']);
    const code = await p.closed;
    assert.is(code, 3, p.err);
    assert.match(p.out, /"pods"/, 'the first table was printed');
    assert.match(p.err, /did not answer: no answer within 1s/);
    assert.ok(Date.now() - t0 < 4000, `took ${Date.now() - t0} ms`);
  });
});

test('a dropped watch is re-opened and changes keep coming; Ctrl-C ends it within 1 s with 130', async () => {
  await withSim([{ method: 'GET', pathRegex: 'watch=true', status: 'drop', afterMs: 300, times: 2 }], async (sim) => {
    const p = start(['status', '--watch', '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    await p.until(/"pods"/);
    for (let i = 0; i < 100 && sim.requests.filter((q) => q.watch).length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(sim.requests.filter((q) => q.watch).length >= 3, 'two drops, then a third watch');
    const pod = sim.store.get('pods', 'dhakacart', POD)!;
    pod.status.containerStatuses[0].restartCount += 7;
    const climbed = pod.status.containerStatuses[0].restartCount;
    sim.store.update('pods', pod);
    await p.until(new RegExp(`"type":"MODIFIED".*"restarts":${climbed}`));
    const { code, ms } = await p.interrupt();
    assert.is(code, 130);
    assert.ok(ms < 1000, `exited ${ms} ms after SIGINT`);
  });
});

test('Ctrl-C during why on a hanging server: exits within 1 s with 130', async () => {
  await withSim([{ pathRegex: '.', status: 'hang' }], async (sim) => {
    const p = start(['why', POD, '--kubeconfig', sim.kubeconfig, '-o', 'json']);
    for (let i = 0; i < 100 && sim.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    const { code, ms } = await p.interrupt();
    assert.is(code, 130, p.err);
    assert.ok(ms < 1000, `exited ${ms} ms after SIGINT`);
    assert.is(p.out, '');
  });
});

for (const [name, fault, re] of [
  ['a 200 text/html page (a proxy login)', { status: 'html' }, /GET \/api\/v1\/namespaces\/dhakacart\/pods returned no JSON \(text\/html; charset=utf-8\): <!DOCTYPE html><html><head><title>Sign in/],
  ['JSON cut short', { status: 'malformed' }, /GET \/api\/v1\/namespaces\/dhakacart\/pods returned JSON cut short or invalid \(application\/json\): \{"kind":"PodList","apiVersion":"v1",/],
  ['an item whose metadata is null', { transform: (b: { items: { metadata: unknown }[] }) => ({ ...b, items: b.items.map((i, n) => (n === 0 ? { ...i, metadata: null } : i)) }) },
    /GET \/api\/v1\/namespaces\/dhakacart\/pods returned a list whose items are not all objects with metadata \(application\/json\)/],
  ['list items that are not objects', { transform: (b: object) => ({ ...b, items: ['x', 42] }) }, /returned a list whose items are not all objects with metadata/],
] as const) {
  test(`malformed reply, ${name}: exit 3, one line naming the request and what came back`, async () => {
    await withSim([{ method: 'GET', pathRegex: PODS, ...fault } as Fault], async (sim) => {
      const r = await status(sim);
      assert.is(r.code, 3, r.stderr);
      oneLineError(r, re);
      assert.not.match(r.stderr, /[\x00-\x08\x0b-\x1f]/);
    });
  });
}

test('an object whose metadata is null: exit 3, one line', async () => {
  await withSim([{ method: 'GET', pathRegex: '/api/v1/namespaces/dhakacart$', transform: (b: object) => ({ ...b, metadata: null }) }], async (sim) => {
    const r = await status(sim);
    assert.is(r.code, 3, r.stderr);
    oneLineError(r, /GET \/api\/v1\/namespaces\/dhakacart returned an object without metadata \(application\/json\): \{.*"kind":"Namespace","metadata":null/);
  });
});

for (const [name, fault] of [
  ['503', { status: 503 }],
  ['429 with Retry-After 1', { status: 429, retryAfter: 1 }],
] as const) {
  test(`storm: every 3rd request failing with ${name} leaves status and why with a clean run's JSON`, async () => {
    await cleanThenFaulty([{ pathRegex: '.', every: 3, ...fault }], async (sim, c) => {
      const s = await status(sim);
      assert.is(s.code, c.status.code, s.stderr);
      assert.equal(stable(s.stdout), stable(c.status.stdout));
      const w = await why(sim);
      assert.is(w.code, c.why.code, w.stderr);
      assert.equal(stable(w.stdout), stable(c.why.stdout));
      assert.ok(sim.requests.filter((q) => q.status === fault.status).length >= 5, 'the storm hit');
    });
  });

  test(`storm: every 3rd request failing with ${name} leaves fix oom --yes with a clean run's answer and change`, async () => {
    const fix = (sim: Sim) => run(['fix', 'oom', POD, '--yes', '-o', 'json', '--kubeconfig', sim.kubeconfig, '--settle', '1s', '--timeout', '60s'], { timeoutMs: 120_000 });
    const memoryOf = (sim: Sim) => sim.store.get('deployments.apps', 'dhakacart', 'dhakacart-backend')!.spec.template.spec.containers[0].resources;
    const answer = (r: RunResult) => {
      const j = JSON.parse(r.stdout) as { changes: unknown; applied: boolean; rollout: { status: string }; verified: boolean };
      return { code: r.code, changes: j.changes, applied: j.applied, rollout: j.rollout.status, verified: j.verified };
    };
    const clean = await withSim([], async (sim) => ({ answer: answer(await fix(sim)), memory: memoryOf(sim) }));
    await withSim([{ pathRegex: '.', every: 3, ...fault }], async (sim) => {
      const r = await fix(sim);
      assert.equal(answer(r), clean.answer, r.stderr);
      assert.equal(memoryOf(sim), clean.memory);
      assert.ok(sim.requests.filter((q) => q.status === fault.status).length >= 5, 'the storm hit');
    });
  });
}

test.run();
