// Bad input and unreachable clusters: the contract's exit codes and messages that say what to do.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from './helpers/binary';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-cli-'));

function kubeconfig(file: string, current: string, contexts: { name: string; server: string }[]): string {
  const p = path.join(tmp, file);
  fs.writeFileSync(p, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': current,
    clusters: contexts.map((c) => ({ name: c.name, cluster: { server: c.server, 'insecure-skip-tls-verify': true } })),
    users: contexts.map((c) => ({ name: c.name, user: { token: 'not-a-real-token' } })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name } })),
  }));
  return p;
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

test('unknown flag is a usage error (exit 2)', async () => {
  const r = await run(['status', '--bogus']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /Unknown argument: bogus/);
});

test('malformed --request-timeout and -o are usage errors', async () => {
  const a = await run(['status', '--request-timeout', 'soon']);
  assert.is(a.code, 2);
  assert.match(a.stderr, /invalid value "soon" for --request-timeout/);
  const b = await run(['status', '-o', 'xml']);
  assert.is(b.code, 2);
});

test('missing --kubeconfig file: exit 2, names the file', async () => {
  const r = await run(['status', '--kubeconfig', path.join(tmp, 'nope')]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /kubeconfig .*nope does not exist/);
});

test('no configuration anywhere: exit 3 with what to do', async () => {
  const r = await run(['status'], { env: { KUBECONFIG: undefined } });
  assert.is(r.code, 3);
  assert.match(r.stderr, /no cluster configured/);
  assert.match(r.stderr, /hint: pass --kubeconfig/);
});

test('unknown context: exit 2, lists the contexts', async () => {
  const k = kubeconfig('ctx', 'a', [{ name: 'a', server: 'https://127.0.0.1:1' }, { name: 'b', server: 'https://127.0.0.1:2' }]);
  const r = await run(['status', '--kubeconfig', k, '--context', 'prod']);
  assert.is(r.code, 2);
  assert.match(r.stderr, new RegExp(`context "prod" not found in ${k}; contexts are: a, b`));
});

test('unreachable server: exit 3 at once, names the server', async () => {
  const port = await closedPort();
  const k = kubeconfig('down', 'down', [{ name: 'down', server: `https://127.0.0.1:${port}` }]);
  const r = await run(['status', '--kubeconfig', k]);
  assert.is(r.code, 3);
  assert.match(r.stderr, new RegExp(`cannot reach the API server https://127.0.0.1:${port}`));
  assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
});

test('a server that never answers: exit 3 within --request-timeout', async () => {
  const sockets: net.Socket[] = [];
  const hang = net.createServer((s) => sockets.push(s));
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  const port = (hang.address() as net.AddressInfo).port;
  try {
    const k = kubeconfig('hang', 'hang', [{ name: 'hang', server: `https://127.0.0.1:${port}` }]);
    const r = await run(['status', '--kubeconfig', k, '--request-timeout', '1s'], { timeoutMs: 20_000 });
    assert.is(r.code, 3, r.stderr);
    assert.match(r.stderr, /did not answer: no answer within 1s/);
    assert.match(r.stderr, /raise --request-timeout/);
  } finally {
    sockets.forEach((s) => s.destroy());
    hang.close();
  }
});

test('KUBECONFIG merges like kubectl: first current-context wins, missing files skipped', async () => {
  const [p1, p2] = [await closedPort(), await closedPort()];
  const first = kubeconfig('first', 'one', [{ name: 'one', server: `https://127.0.0.1:${p1}` }, { name: 'shared', server: `https://127.0.0.1:${p1}` }]);
  const second = kubeconfig('second', 'two', [{ name: 'two', server: `https://127.0.0.1:${p2}` }, { name: 'shared', server: `https://127.0.0.1:${p2}` }]);
  const list = [path.join(tmp, 'missing'), first, second].join(path.delimiter);
  const r = await run(['status'], { env: { KUBECONFIG: list } });
  assert.is(r.code, 3);
  assert.match(r.stderr, new RegExp(`127.0.0.1:${p1}`), 'first file current-context');
  const viaSecond = await run(['status', '--context', 'two'], { env: { KUBECONFIG: list } });
  assert.match(viaSecond.stderr, new RegExp(`127.0.0.1:${p2}`), 'contexts of later files are usable');
});

test('--help shows usage as a kubectl plugin', async () => {
  const r = await run(['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /Usage: kubectl dhakacart <command>/);
  assert.match(r.stdout, /kubectl dhakacart status/);
});

test.run();
