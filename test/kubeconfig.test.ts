// Kubeconfig problems and kubectl's connection flags, each case run through our binary and
// through real kubectl (/usr/bin/kubectl) against the same simulator or file: the same
// class of outcome (works / refused) and the same meaning, with our message naming the problem.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { dump } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baseEnv, KUBECTL, run, TEST_HOME, type RunResult } from './helpers/binary';
import { startSim, type Sim } from './sim/index';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-kc-'));
let sim: Sim;
let caFile: string;
let closed: string;

test.before(async () => {
  sim = await startSim({ scenario: 'healthy' });
  caFile = path.join(tmp, 'ca.pem');
  fs.writeFileSync(caFile, sim.caCert);
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closed = `https://127.0.0.1:${(s.address() as net.AddressInfo).port}`;
  await new Promise((r) => s.close(r));
});
test.after(async () => { await sim.close(); });

interface Entry { name: string; server?: string; ca?: 'data' | 'file' | 'none'; insecure?: boolean; token?: string; cluster?: string; user?: string }

/** A kubeconfig with one context per entry (its cluster and user named after it unless given). */
function write(file: string, current: string, entries: Entry[], extra: { clusters?: unknown[]; users?: unknown[] } = {}): string {
  const p = path.join(tmp, file);
  fs.writeFileSync(p, dump({
    apiVersion: 'v1', kind: 'Config', 'current-context': current,
    clusters: [...entries.filter((e) => !e.cluster).map((e) => ({ name: e.name, cluster: {
      server: e.server ?? sim.url,
      ...(e.ca === 'none' ? {} : e.ca === 'file' ? { 'certificate-authority': caFile } : { 'certificate-authority-data': Buffer.from(sim.caCert).toString('base64') }),
      ...(e.insecure ? { 'insecure-skip-tls-verify': true } : {}),
    } })), ...(extra.clusters ?? [])],
    users: [...entries.filter((e) => !e.user).map((e) => ({ name: e.name, user: { token: e.token ?? sim.token } })), ...(extra.users ?? [])],
    contexts: entries.map((e) => ({ name: e.name, context: { cluster: e.cluster ?? e.name, user: e.user ?? e.name, namespace: 'dhakacart' } })),
  }));
  return p;
}

function kubectlRun(args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, ['--cache-dir', path.join(TEST_HOME, 'kube-cache'), '--request-timeout=5s', ...args], { env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, ms: performance.now() - t0 }); });
  });
}

/** Ours (`status`) and kubectl's (`get pods`) with the same connection arguments and environment. */
async function both(args: string[], env: Record<string, string | undefined> = {}): Promise<{ ours: RunResult; theirs: RunResult }> {
  const [ours, theirs] = await Promise.all([
    run(['status', '-o', 'json', '--request-timeout', '5s', ...args], { env }),
    kubectlRun(['get', 'pods', '-n', 'dhakacart', ...args], env),
  ]);
  return { ours, theirs };
}

const works = ({ ours, theirs }: { ours: RunResult; theirs: RunResult }) => {
  assert.is(theirs.code, 0, `kubectl: ${theirs.stderr}`);
  assert.is(ours.code, 0, `ours: ${ours.stderr}`);
};
const refused = ({ ours, theirs }: { ours: RunResult; theirs: RunResult }, code: number, line: string) => {
  assert.is.not(theirs.code, 0, `kubectl accepted it: ${theirs.stdout}`);
  assert.is(ours.code, code, ours.stderr);
  assert.is(ours.stderr.split('\n')[0], line);
};

// --- files -------------------------------------------------------------------------------

test('KUBECONFIG=empty:good works, as in kubectl (an empty file is no configuration)', async () => {
  const empty = path.join(tmp, 'empty');
  fs.writeFileSync(empty, '');
  const good = write('good-1', 'sim', [{ name: 'sim' }]);
  works(await both([], { KUBECONFIG: `${empty}:${good}` }));
});

test('KUBECONFIG=missing:good works, as in kubectl', async () => {
  const good = write('good-2', 'sim', [{ name: 'sim' }]);
  works(await both([], { KUBECONFIG: `${path.join(tmp, 'missing')}:${good}` }));
});

test('KUBECONFIG=not-yaml:good is refused by both, naming the file', async () => {
  const bad = path.join(tmp, 'bad.yaml');
  fs.writeFileSync(bad, 'clusters: [oops: \n');
  const good = write('good-3', 'sim', [{ name: 'sim' }]);
  const r = await both([], { KUBECONFIG: `${bad}:${good}` });
  assert.match(r.theirs.stderr, /error loading config file/);
  assert.is(r.ours.code, 2);
  assert.match(r.ours.stderr, new RegExp(`^error: error loading kubeconfig ${bad}: not YAML: `));
});

test('a file that is YAML but not a kubeconfig is refused by both', async () => {
  const f = path.join(tmp, 'words.yaml');
  fs.writeFileSync(f, 'hello world\n');
  refused(await both(['--kubeconfig', f]), 2, `error: error loading kubeconfig ${f}: not a kubeconfig (expected a mapping with clusters, users and contexts)`);
});

test('an unreadable kubeconfig (a directory) is refused by both, naming the file', async () => {
  const r = await both(['--kubeconfig', tmp]);
  assert.match(r.theirs.stderr, /is a directory/);
  refused(r, 2, `error: error loading kubeconfig ${tmp}: cannot read it (it is a directory)`);
});

test('an empty --kubeconfig: kubectl falls back to localhost:8080 and fails; we say the file defines nothing', async () => {
  const empty = path.join(tmp, 'empty-2');
  fs.writeFileSync(empty, '\n');
  refused(await both(['--kubeconfig', empty]), 2, `error: ${empty} defines no contexts`);
});

test('a context whose user is missing: named as such, not as a TLS problem (kubectl prompts for a username and fails)', async () => {
  const k = write('nouser', 'sim', [{ name: 'sim', user: 'ghost' }]);
  const r = await both(['--kubeconfig', k]);
  refused(r, 2, `error: context "sim" names user "ghost", which is not defined in ${k}`);
  assert.match(r.ours.stderr, /\nhint: fix the kubeconfig or pick another --context; users are: \(none\)\n$/);
  assert.not.match(r.ours.stderr, /TLS|certificate/);
});

test('a context whose cluster is missing: named as such (kubectl silently tries localhost:8080)', async () => {
  const k = write('nocluster', 'sim', [{ name: 'sim', cluster: 'gone' }]);
  const r = await both(['--kubeconfig', k]);
  assert.match(r.theirs.stderr, /localhost:8080/);
  refused(r, 2, `error: context "sim" names cluster "gone", which is not defined in ${k}`);
});

test('a CA together with insecure-skip-tls-verify is refused, in kubectl\'s words', async () => {
  const k = write('both', 'sim', [{ name: 'sim', ca: 'file', insecure: true }]);
  const r = await both(['--kubeconfig', k]);
  assert.match(r.theirs.stderr, /specifying a root certificates file with the insecure flag is not allowed/);
  refused(r, 2, 'error: specifying a root certificates file with the insecure flag is not allowed');
});

test('a password in the server URL is never printed: user:*** as kubectl does', async () => {
  const withPw = (server: string) => server.replace('https://', 'https://bob:s3cr%40t@');
  const down = write('pw-down', 'sim', [{ name: 'sim', server: withPw(closed) }]);
  const r = await run(['status', '--kubeconfig', down]);
  assert.is(r.code, 3);
  assert.match(r.stderr, /^error: cannot reach the API server https:\/\/bob:\*\*\*@127\.0\.0\.1:\d+/);
  assert.not.match(r.stderr + r.stdout, /s3cr/);
  // Reachable: the URL's user:pass is basic auth and wins over the token, in kubectl too
  // (Go sets it before client-go's token wrapper, which keeps a header already set): both
  // are refused with 401, and no message carries the password.
  const up = write('pw-up', 'sim', [{ name: 'sim', server: withPw(sim.url) }]);
  const from = sim.requests.length;
  const b = await both(['--kubeconfig', up]);
  assert.match(b.theirs.stderr, /You must be logged in to the server/);
  assert.is(b.ours.code, 3);
  assert.match(b.ours.stderr, /^error: Error from server \(Unauthorized\)/);
  assert.not.match(b.ours.stderr + b.ours.stdout, /s3cr/);
  const basic = `Basic ${Buffer.from('bob:s3cr@t').toString('base64')}`;
  const sent = sim.requests.slice(from).filter((r) => r.path.startsWith('/api')).map((r) => r.headers.authorization?.[0]);
  assert.ok(sent.length >= 2 && sent.every((a) => a === basic), JSON.stringify(sent));
});

// --- connection flags (kubectl's precedence over the kubeconfig) ---------------------------

const headersOf = (from: number) => sim.requests.slice(from).filter((r) => r.path.startsWith('/api/v1/namespaces/dhakacart/pods'));

test('--server overrides the context\'s server (both)', async () => {
  const k = write('srv', 'sim', [{ name: 'sim', server: closed }]);
  works(await both(['--kubeconfig', k, '-s', sim.url]));
  works(await both(['--kubeconfig', k, '--server', sim.url]));
});

test('--token overrides the user\'s token (both); a wrong --token is refused by both', async () => {
  const k = write('tok', 'sim', [{ name: 'sim', token: 'stale' }]);
  works(await both(['--kubeconfig', k, '--token', sim.token]));
  const r = await both(['--kubeconfig', k, '--token', 'wrong']);
  assert.is.not(r.theirs.code, 0);
  assert.is(r.ours.code, 3);
  assert.not.match(r.ours.stderr, /wrong/);
});

test('--server and --token work with no kubeconfig at all, as in kubectl', async () => {
  works(await both(['--server', sim.url, '--token', sim.token, '--certificate-authority', caFile], { KUBECONFIG: path.join(tmp, 'none') }));
});

test('--cluster and --user pick other kubeconfig entries than the context\'s (both)', async () => {
  const k = write('pick', 'sim', [{ name: 'sim', server: closed, token: 'stale' }, { name: 'good' }]);
  works(await both(['--kubeconfig', k, '--cluster', 'good', '--user', 'good']));
  const r = await both(['--kubeconfig', k, '--user', 'nobody']);
  refused(r, 2, `error: --user names user "nobody", which is not defined in ${k}`);
  const c = await both(['--kubeconfig', k, '--cluster', 'nowhere']);
  assert.is(c.ours.code, 2);
  assert.is(c.ours.stderr.split('\n')[0], `error: --cluster names cluster "nowhere", which is not defined in ${k}`);
});

test('--as and repeated --as-group send the same Impersonate headers as kubectl, one line per group', async () => {
  const k = write('imp', 'sim', [{ name: 'sim' }]);
  const args = ['--kubeconfig', k, '--as', 'jane', '--as-group', 'ops', '--as-group', 'dev team'];
  let from = sim.requests.length;
  const ours = await run(['status', '-o', 'json', ...args]);
  assert.is(ours.code, 0, ours.stderr);
  const mine = headersOf(from);
  from = sim.requests.length;
  const theirs = await kubectlRun(['get', 'pods', '-n', 'dhakacart', ...args]);
  assert.is(theirs.code, 0, theirs.stderr);
  const kube = headersOf(from);
  assert.ok(mine.length > 0 && kube.length > 0);
  for (const h of [...mine.map((r) => r.headers), ...kube.map((r) => r.headers)]) {
    assert.equal(h['impersonate-user'], ['jane']);
    assert.equal(h['impersonate-group'], ['ops', 'dev team']);
  }
});

test('--certificate-authority and --insecure-skip-tls-verify stand in for a kubeconfig without a CA (both)', async () => {
  const k = write('noca', 'sim', [{ name: 'sim', ca: 'none' }]);
  const without = await both(['--kubeconfig', k]);
  assert.is.not(without.theirs.code, 0);
  assert.is(without.ours.code, 3);
  works(await both(['--kubeconfig', k, '--certificate-authority', caFile]));
  works(await both(['--kubeconfig', k, '--insecure-skip-tls-verify']));
});

test('--insecure-skip-tls-verify over a kubeconfig CA drops the CA (kubectl does), with --certificate-authority it is refused', async () => {
  const k = write('hasca', 'sim', [{ name: 'sim', ca: 'file' }]);
  works(await both(['--kubeconfig', k, '--insecure-skip-tls-verify']));
  refused(await both(['--kubeconfig', k, '--insecure-skip-tls-verify', '--certificate-authority', caFile]), 2,
    'error: specifying a root certificates file with the insecure flag is not allowed');
});

test('--tls-server-name is sent as SNI and checked against the certificate (both)', async () => {
  const k = write('sni', 'sim', [{ name: 'sim' }]);
  const from = sim.requests.length;
  works(await both(['--kubeconfig', k, '--tls-server-name', 'localhost']));
  const sent = headersOf(from).map((r) => r.sni);
  assert.ok(sent.length >= 2 && sent.every((s) => s === 'localhost'), JSON.stringify(sent));
  const wrong = await both(['--kubeconfig', k, '--tls-server-name', 'api.example.com']);
  assert.is.not(wrong.theirs.code, 0);
  assert.is(wrong.ours.code, 3);
  assert.match(wrong.ours.stderr, /^error: TLS verification of https:\/\/127\.0\.0\.1:\d+ failed/);
});

test('flags win over KUBECONFIG and the context, in one run (server, token, CA together)', async () => {
  const k = write('all', 'sim', [{ name: 'sim', server: closed, token: 'stale', ca: 'none' }]);
  works(await both(['--server', sim.url, '--token', sim.token, '--certificate-authority', caFile], { KUBECONFIG: k }));
});

test.run();
