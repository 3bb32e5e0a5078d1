// The single executable from `npm run build` (scripts/build.mjs), tested as users and
// kubectl run it: no Node on PATH, found by kubectl's plugin discovery.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bundle } from '../scripts/sea/bundle.mjs';
import { makeBlob } from '../scripts/sea/blob.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const exe = path.join(dist, process.platform === 'win32' ? 'kubectl-dhakacart.exe' : 'kubectl-dhakacart');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
const pinned = (JSON.parse(fs.readFileSync(path.join(root, 'build/node-dist.lock.json'), 'utf8')) as { version: string }).version;
const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => fs.existsSync(p));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-build-test-'));

function headCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(cmd, args, { env, cwd: tmp, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

test('the binary exists, is executable and is not a script', () => {
  assert.ok(fs.existsSync(exe), `${exe} missing: run npm run build`);
  if (process.platform !== 'win32') assert.is(fs.statSync(exe).mode & 0o777, 0o755);
  const head = Buffer.alloc(4);
  const fd = fs.openSync(exe, 'r');
  fs.readSync(fd, head, 0, 4, 0);
  fs.closeSync(fd);
  assert.not.equal(head.subarray(0, 2).toString(), '#!', 'a script would need a node on PATH');
});

test('--version works with an empty environment and names version, commit and pinned node', () => {
  const r = run(exe, ['--version'], {});
  assert.is(r.status, 0, `exit ${r.status}: ${r.stderr}${r.error ?? ''}`);
  assert.is(r.stderr, '', 'nothing on stderr (no SEA warning, no "Code cache data rejected")');
  const commit = headCommit();
  assert.is(r.stdout, `kubectl-dhakacart v${pkg.version} (commit ${commit}, node v${pinned})\n`,
    `if only the commit differs, the binary predates HEAD: rebuild`);
});

test('the binary embeds the pinned Node, not the host\'s', () => {
  const r = run(exe, ['--version'], { PATH: '/nonexistent' });
  const embedded = /node (v\d+\.\d+\.\d+)/.exec(r.stdout)?.[1];
  assert.is(embedded, `v${pinned}`);
  const host = spawnSync('node', ['--version'], { encoding: 'utf8' });
  if (host.status === 0 && host.stdout.trim() !== `v${pinned}`) {
    assert.is.not(embedded, host.stdout.trim());
  }
});

test('NODE_OPTIONS meant for other Node programs does not reach the plugin', () => {
  const r = run(exe, ['--version'], { PATH: '/nonexistent', NODE_OPTIONS: '--require /nonexistent/hook.js --stack-size=2000' });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.match(r.stdout, `v${pkg.version}`);
});

test('kubectl-dhakacart ARGS works by name from PATH', () => {
  const r = run('kubectl-dhakacart', ['--version'], { PATH: `${dist}${path.delimiter}/nonexistent` });
  assert.is(r.status, 0, `${r.error ?? ''}${r.stderr}`);
  assert.match(r.stdout, `kubectl-dhakacart v${pkg.version}`);
});

(kubectl ? test : test.skip)('kubectl dhakacart --help: found through kubectl plugin discovery', () => {
  const r = run(kubectl!, ['dhakacart', '--help'], { PATH: `${dist}:${path.dirname(kubectl!)}`, HOME: tmp });
  assert.is(r.status, 0, `exit ${r.status}: ${r.stderr}`);
  assert.match(r.stdout, /Usage: kubectl dhakacart /);
  assert.not.match(r.stdout, /kubectl-dhakacart\.cjs|\$0/);
});

(kubectl ? test : test.skip)('kubectl plugin list shows kubectl-dhakacart with no warning', () => {
  const r = run(kubectl!, ['plugin', 'list'], { PATH: `${dist}:${path.dirname(kubectl!)}`, HOME: tmp });
  assert.is(r.status, 0, `exit ${r.status}: ${r.stderr}`);
  assert.ok(r.stdout.split('\n').includes(exe), r.stdout);
  assert.not.match(r.stderr, /warning/i);
});

test('the bundle is reproducible: two builds give the same bytes', async () => {
  const a = await bundle({ outfile: path.join(tmp, 'a/kubectl-dhakacart.cjs'), commit: 'abc1234' });
  const b = await bundle({ outfile: path.join(tmp, 'b/kubectl-dhakacart.cjs'), commit: 'abc1234' });
  assert.is(a.sha256, b.sha256);
  assert.ok(fs.readFileSync(path.join(tmp, 'a/kubectl-dhakacart.cjs')).equals(fs.readFileSync(path.join(tmp, 'b/kubectl-dhakacart.cjs'))));
  const text = a.code.toString('utf8');
  assert.not.ok(text.includes(root), 'no absolute build paths in the bundle');
  assert.ok(text.includes('"abc1234"'), 'the commit is defined at build time');
});

test('the SEA blob, code cache included, is reproducible', async () => {
  const { code } = await bundle({ commit: 'abc1234' });
  const [x, y] = [await makeBlob({ code, useCodeCache: true }), await makeBlob({ code, useCodeCache: true })];
  assert.ok(x.equals(y), 'two blobs from the same bundle differ');
  const [p, q] = [await makeBlob({ code }), await makeBlob({ code })];
  assert.ok(p.equals(q));
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
