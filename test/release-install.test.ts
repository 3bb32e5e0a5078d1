// The linux/amd64 release archive installed the way krew installs it (unpacked into
// <krew root>/store/dhakacart/v<version>/, <krew root>/bin/kubectl-dhakacart a symlink to
// the binary), then used through the real kubectl with PATH=<krew root>/bin:/usr/bin.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureRelease } from '../scripts/release/fixture.mjs';
import { krewEntries, krewLayout } from '../scripts/release/manifest.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const pinned = (JSON.parse(fs.readFileSync(path.join(root, 'build/node-dist.lock.json'), 'utf8')) as { version: string }).version;
const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => fs.existsSync(p));
const rel = ensureRelease();
const krewRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-krew-'));
const home = path.join(krewRoot, 'home');
fs.mkdirSync(home);
const store = path.join(krewRoot, 'store/dhakacart', `v${version}`);
const link = path.join(krewRoot, 'bin/kubectl-dhakacart');
const PATH = `${path.join(krewRoot, 'bin')}:${kubectl ? path.dirname(kubectl) : '/usr/bin'}`;

type Platform = { selector: { matchLabels: Record<string, string> }; uri: string; sha256: string; bin: string; files?: { from: string; to: string }[] };

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { env: { PATH, HOME: home, NO_COLOR: '1', ...env }, cwd: krewRoot, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

test('install like krew: unpack, apply files, check bin, link bin/kubectl-dhakacart', () => {
  const manifest = load(fs.readFileSync(path.join(rel, 'dhakacart.yaml'), 'utf8')) as { spec: { platforms: Platform[] } };
  const p = manifest.spec.platforms.find((x) => x.selector.matchLabels.os === 'linux' && x.selector.matchLabels.arch === 'amd64')!;
  const archive = fs.readFileSync(path.join(rel, path.posix.basename(p.uri)));
  const layout = krewLayout(krewEntries(archive), p.files);
  for (const [rel, e] of layout) {
    const dest = path.join(store, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (e.dir) fs.mkdirSync(dest, { recursive: true });
    else fs.writeFileSync(dest, e.data, { mode: e.mode });
  }
  assert.ok(fs.existsSync(path.join(store, p.bin)), 'bin exists after install');
  assert.ok(fs.existsSync(path.join(store, 'LICENSE')));
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(path.join(store, p.bin), link);
  assert.is(fs.statSync(link).mode & 0o777, 0o755);
});

test('kubectl-dhakacart --version from the krew link (no Node on PATH)', () => {
  const r = run('kubectl-dhakacart', ['--version']);
  assert.is(r.status, 0, `${r.error ?? ''}${r.stderr}`);
  assert.match(r.stdout, new RegExp(`^kubectl-dhakacart v${version.replace(/\./g, '\\.')} \\(commit [0-9a-f]{7,}|unknown, node v${pinned}\\)\\n$`));
  assert.is(r.stderr, '');
});

(kubectl ? test : test.skip)('kubectl dhakacart --version', () => {
  const r = run(kubectl!, ['dhakacart', '--version']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, `kubectl-dhakacart v${version} (commit `);
  assert.match(r.stdout, `node v${pinned})`);
});

(kubectl ? test : test.skip)('kubectl plugin list: shows the krew link, no warnings, exit 0', () => {
  const r = run(kubectl!, ['plugin', 'list']);
  assert.is(r.status, 0, r.stderr);
  assert.ok(r.stdout.split('\n').includes(link), r.stdout);
  assert.not.match(`${r.stdout}${r.stderr}`, /warning/i);
});

(kubectl ? test : test.skip)('completion install (no --dir) puts the helper next to the krew link, and kubectl completes through it', () => {
  const r = run(kubectl!, ['dhakacart', 'completion', 'install']);
  assert.is(r.status, 0, r.stderr);
  const helper = path.join(krewRoot, 'bin/kubectl_complete-dhakacart');
  assert.is(r.stdout, `wrote ${helper}\n`, 'bin/ (on PATH), not store/ (where process.execPath points)');
  assert.not.match(r.stderr, /not on PATH/);
  const c = run(kubectl!, ['__complete', 'dhakacart', '']);
  assert.is(c.status, 0, c.stderr);
  const lines = c.stdout.trim().split('\n');
  for (const s of ['status', 'why', 'fix', 'rollback', 'emergency', 'completion']) assert.ok(lines.includes(s), c.stdout);
  assert.is(lines.at(-1), ':4');
  const p = run(kubectl!, ['plugin', 'list']);
  assert.is(p.status, 0, `the helper must not upset kubectl plugin list: ${p.stderr}`);
});

const simIndex = path.join(root, 'test/sim/index.ts');
(kubectl && fs.existsSync(simIndex) ? test : test.skip)('kubectl dhakacart status against the simulated cluster; completion lists its names', async () => {
  const sim = await import(simIndex) as { startSim(o: { scenario: string }): Promise<{ kubeconfig: string; close(): Promise<void> }>; listScenarios?(): string[] };
  const scenario = sim.listScenarios?.().includes('healthy') === false ? 'baseline' : 'healthy';
  const s = await sim.startSim({ scenario });
  try {
    const env = { KUBECONFIG: s.kubeconfig };
    // spawnSync would block the simulator (same process): run asynchronously.
    const { spawn } = await import('node:child_process');
    const runAsync = (args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const c = spawn(kubectl!, args, { env: { PATH, HOME: home, NO_COLOR: '1', ...env }, cwd: krewRoot });
      let stdout = '';
      let stderr = '';
      c.stdout.on('data', (d) => { stdout += d; });
      c.stderr.on('data', (d) => { stderr += d; });
      c.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    const r = await runAsync(['dhakacart', 'status', '-o', 'json']);
    assert.is(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { namespace: string; healthy: boolean; pods: { name: string }[] };
    assert.is(j.namespace, 'dhakacart');
    assert.ok(j.healthy);
    assert.ok(j.pods.length > 0);
    const c = await runAsync(['__complete', 'dhakacart', 'why', '']);
    const names = c.stdout.trim().split('\n');
    for (const p of j.pods) assert.ok(names.includes(p.name), `pod ${p.name} in ${c.stdout}`);
    const d = await runAsync(['__complete', 'dhakacart', 'fix', 'oom', 'deployment/']);
    assert.ok(d.stdout.split('\n').includes('deployment/dhakacart-backend'), d.stdout);
  } finally {
    await s.close();
  }
});

test.after(() => fs.rmSync(krewRoot, { recursive: true, force: true }));

test.run();
