// `npm run release` (scripts/release.mjs): archives for the six krew platforms, SHA256SUMS,
// the krew manifest and its validation, the ad-hoc Mach-O signature, reproducibility.
// Uses release/ as `npm run release` left it (CI runs it before npm test), or runs it.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unsign } from 'macho-unsign';
import { readTar, readZip, tar, tarGz, zip, gzip, dosTime } from '../scripts/release/archive.mjs';
import { checkBinary } from '../scripts/release/build-target.mjs';
import { ensureRelease, nodeBinary } from '../scripts/release/fixture.mjs';
import { adhocSign, parseMachO, verifyAdhoc, LC_CODE_SIGNATURE } from '../scripts/release/macho.mjs';
import { krewEntries, renderTemplate, shaFromDir, validateManifest, versionFromTag } from '../scripts/release/manifest.mjs';
import { TARGETS, archiveName, binName, releaseUri } from '../scripts/release/targets.mjs';

import { bundle } from '../scripts/sea/bundle.mjs';
import { makeBlob } from '../scripts/sea/blob.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const tag = `v${version}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-release-test-'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const rel = ensureRelease();
const manifestText = fs.readFileSync(path.join(rel, 'dhakacart.yaml'), 'utf8');
type Manifest = { spec: Record<string, unknown> & { platforms: Record<string, unknown>[]; caveats: string; version: string } } & Record<string, unknown>;
const dump = async (m: unknown) => (await import('js-yaml')).dump(m, { lineWidth: -1 });

// --- archives ---------------------------------------------------------------------

test('tar.gz: sorted regular files, uid/gid 0, fixed mtime, gzip header mtime 0 and no name', () => {
  const entries = [{ name: 'kubectl-dhakacart', data: Buffer.from('bin'), mode: 0o755 }, { name: 'LICENSE', data: Buffer.from('lic'), mode: 0o644 }];
  const a = tarGz(entries, { mtime: 1_700_000_000 });
  assert.ok(a.equals(tarGz([...entries].reverse(), { mtime: 1_700_000_000 })), 'entry order must not matter');
  assert.is(a.readUInt32LE(4), 0, 'gzip mtime');
  assert.is(a[3] & 0x08, 0, 'no FNAME');
  assert.is(a[9], 3, 'fixed OS byte');
  const t = readTar(a);
  assert.equal(t.map((e) => [e.name, e.type, e.mode, e.uid, e.gid, e.uname, e.gname, e.mtime]), [
    ['LICENSE', '0', 0o644, 0, 0, '', '', 1_700_000_000],
    ['kubectl-dhakacart', '0', 0o755, 0, 0, '', '', 1_700_000_000],
  ]);
  const gnu = spawnSync('tar', ['-tvzf', '-', '--numeric-owner'], { input: a, encoding: 'utf8' });
  assert.is(gnu.status, 0, gnu.stderr);
  assert.match(gnu.stdout, /-rwxr-xr-x 0\/0\s+3 2023-11-14 \S+ kubectl-dhakacart/);
  assert.throws(() => tar([{ name: '../x', data: Buffer.alloc(0), mode: 0o644 }], { mtime: 0 }), /refusing/);
});

test('zip: fixed DOS time, Unix modes, readable by unzip', () => {
  const entries = [{ name: 'kubectl-dhakacart.exe', data: Buffer.alloc(5000, 7), mode: 0o755 }, { name: 'LICENSE', data: Buffer.from('lic'), mode: 0o644 }];
  const z = zip(entries, { mtime: 0 });
  assert.ok(z.equals(zip([...entries].reverse(), { mtime: 0 })));
  const r = readZip(z);
  assert.equal(r.map((e) => [e.name, e.mode & 0o777, e.time, e.date]), [['LICENSE', 0o644, 0, 0x21], ['kubectl-dhakacart.exe', 0o755, 0, 0x21]]);
  assert.equal(dosTime(0), { time: 0, date: 0x21 }, '1980-01-01 00:00');
  fs.writeFileSync(path.join(tmp, 't.zip'), z);
  const u = spawnSync('unzip', ['-t', path.join(tmp, 't.zip')], { encoding: 'utf8' });
  if (u.error) return; // no unzip here
  assert.is(u.status, 0, u.stdout);
});

// --- the release output -------------------------------------------------------------

test('release/: six archives named for krew, SHA256SUMS matches them', () => {
  const sums = fs.readFileSync(path.join(rel, 'SHA256SUMS'), 'utf8').trim().split('\n');
  assert.is(sums.length, 6);
  const names = TARGETS.map((t) => archiveName(t, version)).sort();
  assert.equal(sums.map((l) => l.split('  ')[1]).sort(), names);
  for (const line of sums) {
    const [hash, name] = line.split('  ');
    assert.is(sha(fs.readFileSync(path.join(rel, name))), hash, name);
  }
  assert.equal(names.filter((n) => n.endsWith('.zip')), [`kubectl-dhakacart_v${version}_windows_amd64.zip`, `kubectl-dhakacart_v${version}_windows_arm64.zip`]);
});

test('every archive: the binary (0755) and LICENSE (0644) only, deterministic headers; the binary checks out', () => {
  const license = fs.readFileSync(path.join(root, 'LICENSE'));
  for (const t of TARGETS) {
    const buf = fs.readFileSync(path.join(rel, archiveName(t, version)));
    const entries = krewEntries(buf);
    assert.equal(entries.map((e) => [e.name, e.mode]), [['LICENSE', 0o644], [binName(t), 0o755]], t);
    assert.ok(entries[0].data.equals(license), `${t}: LICENSE`);
    if (t.startsWith('windows')) {
      const tarMtime = readTar(fs.readFileSync(path.join(rel, archiveName('linux-amd64', version))))[0].mtime;
      const { time, date } = dosTime(tarMtime);
      for (const e of readZip(buf)) assert.equal([e.time, e.date, e.madeBy >> 8], [time, date, 3], 'the same fixed time as the tarballs');
    } else {
      assert.is(buf.readUInt32LE(4), 0, `${t}: gzip mtime`);
      const mt = new Set(readTar(buf).map((e) => `${e.mtime} ${e.uid} ${e.gid} ${e.uname}${e.gname}`));
      assert.is(mt.size, 1);
    }
    checkBinary(entries[1].data, t); // magic, CPU type, SEA fuse, no stale Authenticode, ad-hoc signature on darwin
  }
});

test('release/ is git-ignored: nothing built gets committed', () => {
  const r = spawnSync('git', ['check-ignore', '-q', `release/${archiveName('linux-amd64', version)}`, 'release/SHA256SUMS', 'release/dhakacart.yaml'], { cwd: root });
  if (r.error || r.status === 128) return; // not a git checkout
  assert.is(r.status, 0, 'release/ must be listed in .gitignore');
  const tracked = spawnSync('git', ['ls-files', 'release', 'dist'], { cwd: root, encoding: 'utf8' });
  assert.is(tracked.stdout, '');
});

// --- darwin ad-hoc signature ----------------------------------------------------------

test('darwin archives: LC_CODE_SIGNATURE last, __LINKEDIT grown to EOF, every page hash recomputed', () => {
  for (const t of ['darwin-amd64', 'darwin-arm64']) {
    const exe = krewEntries(fs.readFileSync(path.join(rel, archiveName(t, version))))[1].data;
    const info = verifyAdhoc(exe);
    assert.is(info.identifier, 'kubectl-dhakacart');
    assert.is(info.flags, 0x2, 'adhoc, not linker-signed');
    assert.is(info.execSegFlags, 1, 'main binary');
    const h = parseMachO(exe);
    const le = h.segments.find((s) => s.name === '__LINKEDIT')!;
    assert.is(le.fileoff + le.filesize, exe.length);
    assert.ok(le.vmsize >= le.filesize && le.vmsize % 0x4000 === 0);
    assert.is(h.cmds.at(-1)!.cmd, LC_CODE_SIGNATURE);
    assert.is(h.codeSignature!.dataoff, info.codeLimit);
    assert.ok(h.segments.some((s) => s.name === 'NODE_SEA'), 'the SEA blob segment');
  }
});

test('signer: deterministic, and any change to a signed page or the header is caught', () => {
  const unsigned = Buffer.from(unsign(fs.readFileSync(nodeBinary('darwin-arm64')))!);
  assert.is(parseMachO(unsigned).codeSignature, null);
  const a = adhocSign(unsigned);
  assert.ok(a.equals(adhocSign(unsigned)), 'same input, same bytes');
  verifyAdhoc(a);
  const page = Buffer.from(a);
  page[5 * 4096 + 17] ^= 1;
  assert.throws(() => verifyAdhoc(page), /page 5 hash mismatch/);
  const hdr = Buffer.from(a);
  hdr.writeUInt32LE(hdr.readUInt32LE(16) - 1, 16); // ncmds
  assert.throws(() => verifyAdhoc(hdr));
  const short = a.subarray(0, a.length - 8);
  assert.throws(() => verifyAdhoc(short), /ends at|EOF|end of the file/);
  assert.throws(() => adhocSign(a), /already has LC_CODE_SIGNATURE/);
});

test('the signature reader agrees with Apple: Node\'s own Developer ID signature verifies page by page', () => {
  for (const t of ['darwin-amd64', 'darwin-arm64']) {
    const info = verifyAdhoc(fs.readFileSync(nodeBinary(t)), { vendor: true });
    assert.is(info.identifier, 'node');
    assert.throws(() => verifyAdhoc(fs.readFileSync(nodeBinary(t))), /adhoc|SuperBlob/);
  }
});

// --- reproducibility ------------------------------------------------------------------

test('reproducible: linux/amd64 built twice (in parallel, separate dirs) gives the same archive', async () => {
  const { code } = await bundle({ commit: 'abc1234' });
  const blob = await makeBlob({ code });
  const blobFile = path.join(tmp, 'sea.blob');
  fs.writeFileSync(blobFile, blob);
  const build = (dir: string) => new Promise<{ sha256: string; archive: string }>((resolve, reject) => {
    fs.mkdirSync(dir, { recursive: true });
    const c = spawn(process.execPath, [path.join(root, 'scripts/release/build-target.mjs'),
      JSON.stringify({ target: 'linux-amd64', blob: blobFile, outDir: dir, version, mtime: 1_700_000_000 })], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    c.on('close', (s) => (s === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${s}`))));
  });
  const [x, y] = await Promise.all([build(path.join(tmp, 'a')), build(path.join(tmp, 'b'))]);
  assert.is(x.sha256, y.sha256);
  assert.ok(fs.readFileSync(path.join(tmp, 'a', x.archive)).equals(fs.readFileSync(path.join(tmp, 'b', y.archive))));
});

// --- the manifest -----------------------------------------------------------------------

test('release/dhakacart.yaml passes every krew rule and the project rules, archives included', () => {
  assert.equal(validateManifest(manifestText, { fileName: 'dhakacart.yaml', version, archiveDir: rel }), []);
  const m = load(manifestText) as Manifest;
  assert.is(m.spec.version, tag);
  assert.equal(m.spec.platforms.map((p) => p.uri), TARGETS.map((t) => releaseUri(tag, archiveName(t, version))));
});

test('.krew.yaml (krew-release-bot template) renders to exactly release/dhakacart.yaml', () => {
  const template = fs.readFileSync(path.join(root, '.krew.yaml'), 'utf8');
  assert.match(template, /\{\{ \.TagName \}\}/);
  assert.is((template.match(/\{\{addURIAndSha "https:\/\/github\.com\/dhakacart\/kubectl-dhakacart\/releases\/download\/\{\{ \.TagName \}\}\/[^"]+" \.TagName \}\}/g) ?? []).length, 6);
  const rendered = renderTemplate(template, { tag, shaOf: shaFromDir(rel) });
  assert.equal(load(rendered), load(manifestText));
  assert.is(versionFromTag('v1.2.3'), '1.2.3');
});

test('the committed krew-manifest.yaml is the rendered template (structurally valid; sha256 from its build)', () => {
  const committed = fs.readFileSync(path.join(root, 'krew-manifest.yaml'), 'utf8');
  assert.equal(validateManifest(committed, { fileName: 'dhakacart.yaml', version }), []);
  const m = load(committed) as Manifest;
  const shas = new Map(m.spec.platforms.map((p) => [p.uri as string, p.sha256 as string]));
  const rendered = renderTemplate(fs.readFileSync(path.join(root, '.krew.yaml'), 'utf8'), { tag, shaOf: (u) => shas.get(u) ?? 'missing' });
  assert.equal(load(rendered), m, 'krew-manifest.yaml differs from .krew.yaml: run npm run release:manifest');
});

test('caveats name the RBAC, completion install and the glibc requirement', () => {
  const c = (load(manifestText) as Manifest).spec.caveats;
  for (const w of ['get/list/watch', 'pods/log', 'events', 'deployments', 'replicasets', 'statefulsets', 'nodes', 'services', 'endpoints',
    'secrets', 'never', 'configmaps', 'metrics.k8s.io', 'patch on deployments', 'selfsubjectaccessreviews', 'pods/proxy',
    'kubectl dhakacart completion install', 'glibc >= 2.28', 'Alpine']) {
    assert.ok(c.replace(/\s+/g, ' ').includes(w), `caveats lack "${w}"`);
  }
});

// Negative tests: each mutation must be caught by the rule named.
// Only the rules that look into the archives get them (reading six archives is ~2 s).
type Mut = [rule: string, what: string, mutate: (m: Manifest) => void, opts?: { fileName?: string; archives?: boolean }];
const p0 = (m: Manifest) => m.spec.platforms[0] as Record<string, any>;
const MUTATIONS: Mut[] = [
  ['file-ext', '.yml extension', () => {}, { fileName: 'dhakacart.yml' }],
  ['name', 'file name not ^[\\w-]+$', () => {}, { fileName: 'dhaka cart.yaml' }],
  ['name', 'Windows reserved name', (m) => { (m.metadata as any).name = 'com1'; }, { fileName: 'COM1.yaml' }],
  ['apiVersion', 'wrong apiVersion', (m) => { m.apiVersion = 'krew.googlecontainertools.github.com/v1alpha1'; }],
  ['kind', 'wrong kind', (m) => { m.kind = 'Plugins'; }],
  ['metadata.name', 'name differs from the file name', (m) => { (m.metadata as any).name = 'dhaka-cart'; }],
  ['metadata.name', 'camelCase name', (m) => { (m.metadata as any).name = 'dhakaCart'; }, { fileName: 'dhakaCart.yaml' }],
  ['shortDescription', 'empty shortDescription', (m) => { m.spec.shortDescription = ''; }],
  ['shortDescription', 'multi-line shortDescription', (m) => { m.spec.shortDescription = 'two\nlines'; }],
  ['shortDescription', 'shortDescription over 70', (m) => { m.spec.shortDescription = 'x '.repeat(40); }],
  ['description', 'empty description', (m) => { m.spec.description = ''; }],
  ['description', 'description line over 80', (m) => { m.spec.description = `${'word '.repeat(20)}\n`; }],
  ['caveats', 'caveats line over 80', (m) => { m.spec.caveats = `${'word '.repeat(20)}\n`; }],
  ['platforms', 'no platforms', (m) => { m.spec.platforms = []; }],
  ['platforms', 'five platforms', (m) => { m.spec.platforms.pop(); }],
  ['version', 'empty version', (m) => { m.spec.version = ''; }],
  ['version', 'version without v', (m) => { m.spec.version = version; }],
  ['version', 'not semver', (m) => { m.spec.version = 'v0.1'; }],
  ['version', 'leading zero', (m) => { m.spec.version = 'v0.01.0'; }],
  ['version', 'not package.json\'s version', (m) => { m.spec.version = 'v9.9.9'; }],
  ['homepage', 'homepage not on github', (m) => { m.spec.homepage = 'https://example.com/dhakacart'; }],
  ['uri', 'empty uri', (m) => { p0(m).uri = ''; }],
  ['uri', 'http uri', (m) => { p0(m).uri = p0(m).uri.replace('https', 'http'); }],
  ['uri', 'uri without the tag', (m) => { p0(m).uri = p0(m).uri.replace(`/${tag}/`, '/latest/'); }],
  ['uri', 'duplicate uri', (m) => { m.spec.platforms[1].uri = p0(m).uri; }],
  ['uri', 'windows as tar.gz', (m) => { m.spec.platforms[4].uri = String(m.spec.platforms[4].uri).replace('.zip', '.tar.gz'); }],
  ['sha256', 'empty sha256', (m) => { p0(m).sha256 = ''; }],
  ['sha256', 'uppercase sha256', (m) => { p0(m).sha256 = p0(m).sha256.toUpperCase(); }],
  ['sha256', 'short sha256', (m) => { p0(m).sha256 = p0(m).sha256.slice(1); }],
  ['sha256', 'sha256 of another archive', (m) => { p0(m).sha256 = m.spec.platforms[1].sha256; }],
  ['sha256', 'wrong sha256', (m) => { p0(m).sha256 = '0'.repeat(64); }, { archives: true }],
  ['bin', 'empty bin', (m) => { p0(m).bin = ''; }],
  ['bin', 'windows bin without .exe', (m) => { m.spec.platforms[4].bin = 'kubectl-dhakacart'; }],
  ['bin', 'bin not in the archive', (m) => { p0(m).bin = 'kubectl-dhakacart-x'; }, { archives: true }],
  ['files', 'empty files', (m) => { p0(m).files = []; }],
  ['files', 'files entry without to', (m) => { p0(m).files = [{ from: 'kubectl-dhakacart' }]; }],
  ['files', 'files entry without from', (m) => { p0(m).files = [{ to: '.' }]; }],
  ['license', 'LICENSE not installed', (m) => { p0(m).files = [{ from: 'kubectl-dhakacart', to: '.' }]; }, { archives: true }],
  ['selector', 'nil selector', (m) => { delete p0(m).selector; }],
  ['selector', 'empty selector', (m) => { p0(m).selector = {}; }],
  ['selector', 'empty matchLabels', (m) => { p0(m).selector = { matchLabels: {}, matchExpressions: [{ key: 'os', operator: 'In', values: ['linux'] }] }; }],
  ['selector', 'empty matchExpressions', (m) => { p0(m).selector = { matchLabels: { os: 'linux', arch: 'amd64' }, matchExpressions: [] }; }],
  ['selector', 'key other than os/arch', (m) => { p0(m).selector.matchLabels.distro = 'debian'; }],
  ['selector', 'unsupported platform', (m) => { p0(m).selector.matchLabels.arch = 's390x'; }],
  ['overlap', 'two entries match linux/amd64', (m) => { m.spec.platforms[1].selector = { matchLabels: { os: 'linux' } }; }],
  ['unknown-field', 'typo in a field name', (m) => { m.spec.shortdescription = 'x'; }],
];

for (const [rule, what, mutate, opts] of MUTATIONS) {
  test(`manifest rule [${rule}] catches: ${what}`, async () => {
    const m = load(manifestText) as Manifest;
    mutate(m);
    const errs = validateManifest(await dump(m), { fileName: opts?.fileName ?? 'dhakacart.yaml', version, archiveDir: opts?.archives ? rel : undefined });
    assert.ok(errs.some((e) => e.startsWith(`[${rule}]`)), `expected a [${rule}] problem, got:\n${errs.join('\n') || '(none)'}`);
  });
}

test('archive rules: wrong type, symlink, .. path, non-executable bin are caught', () => {
  const dir = path.join(tmp, 'bad');
  fs.mkdirSync(dir, { recursive: true });
  const m = load(manifestText) as Manifest;
  const linux = archiveName('linux-amd64', version);
  const check = (buf: Buffer, re: RegExp) => {
    fs.writeFileSync(path.join(dir, linux), buf);
    p0(m).sha256 = sha(buf);
    const errs = validateManifest(JSON.stringify(m), { fileName: 'dhakacart.yaml', version, archiveDir: dir }).filter((e) => e.includes('linux/amd64'));
    assert.ok(errs.some((e) => re.test(e)), `want ${re}, got ${errs.join('\n')}`);
  };
  m.spec.platforms = [p0(m)]; // only linux/amd64 is looked at
  const lic = { name: 'LICENSE', data: Buffer.from('x'), mode: 0o644 };
  check(Buffer.from('#!/bin/sh\n'), /mime type/);
  check(tarGz([lic, { name: 'kubectl-dhakacart', data: Buffer.from('x'), mode: 0o644 }], { mtime: 0 }), /not executable/);
  const t = tar([lic, { name: 'kubectl-dhakacart', data: Buffer.from('x'), mode: 0o755 }], { mtime: 0 });
  const sym = Buffer.from(t);
  sym[1024 + 156] = '2'.charCodeAt(0); // LICENSE header and data come first; make the binary entry a symlink
  fixChecksum(sym, 1024);
  check(gzip(sym), /unable to handle file type/);
  const dots = Buffer.from(t);
  dots.write('../kubectl-dhakacart\0', 1024, 'latin1');
  fixChecksum(dots, 1024);
  check(gzip(dots), /illegal path/);
});

function fixChecksum(buf: Buffer, off: number) {
  buf.fill(0x20, off + 148, off + 156);
  let s = 0;
  for (let i = off; i < off + 512; i++) s += buf[i];
  buf.write(`${s.toString(8).padStart(6, '0')}\0 `, off + 148, 'latin1');
}

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
