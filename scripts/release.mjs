// `npm run release`: the krew release, offline and reproducibly, from the pinned Node
// binaries (build/node-dist.lock.json, integrity-checked by scripts/node-dist.mjs).
//   1. bundle (scripts/sea/bundle.mjs) and ONE SEA blob without code cache for the cross
//      targets (a code cache only loads on the platform that made it). When the release
//      runs on linux/amd64 (CI does), that target gets a second blob WITH a code cache
//      (reproducible: fixed hash seed, scripts/sea/blob.mjs), ~40 ms faster per start;
//      --no-code-cache gives every target the same cache-less blob (host-independent bytes);
//   2. per target, in child processes, at most 2 at a time (or fewer cores):
//      strip the vendor signature (macho-unsign / portable-executable-signature), inject
//      (scripts/sea/inject.mjs), ad-hoc sign darwin (scripts/release/macho.mjs), check,
//      pack release/kubectl-dhakacart_v<version>_<os>_<arch>.tar.gz|.zip
//      (scripts/release/archive.mjs: sorted entries, uid/gid 0, mtime SOURCE_DATE_EPOCH
//      or the commit time, gzip mtime 0 and no name, zip fixed DOS time);
//   3. release/SHA256SUMS; release/dhakacart.yaml rendered from .krew.yaml (as
//      krew-release-bot renders it) and validated (scripts/release/manifest.mjs).
//      Only --write-krew-manifest (`npm run release:manifest`) also rewrites the committed
//      copy krew-manifest.yaml: a release run (the tests start one when release/ is
//      missing) writes nothing outside its output directory.
// Options: --no-code-cache, --targets linux-amd64,... (default all six; the manifest needs all six),
//          --out DIR (default release/), --jobs N, --level 0-9 (gzip/deflate level, default 6),
//          --no-manifest (skip step 3's manifest files), --write-krew-manifest.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostTarget, nodeBinary, root } from './node-dist.mjs';
import { bundle, gitCommit, packageVersion } from './sea/bundle.mjs';
import { makeBlob } from './sea/blob.mjs';
import { renderTemplate, shaFromDir, validateManifest } from './release/manifest.mjs';
import { TARGETS } from './release/targets.mjs';

const t0 = Date.now();
const mb = (/** @type {number} */ n) => `${(n / 1e6).toFixed(1)} MB`;

/** @param {string[]} argv */
function parseArgs(argv) {
  const o = { targets: TARGETS, out: path.join(root, 'release'), jobs: Math.min(2, os.availableParallelism?.() ?? os.cpus().length), level: 6, manifest: true, codeCache: true, writeKrewManifest: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    if (a === '--targets') o.targets = val().split(',');
    else if (a === '--out') o.out = path.resolve(val());
    else if (a === '--jobs') o.jobs = Math.max(1, Number(val()));
    else if (a === '--level') o.level = Number(val());
    else if (a === '--no-manifest') o.manifest = false;
    else if (a === '--no-code-cache') o.codeCache = false;
    else if (a === '--write-krew-manifest') o.writeKrewManifest = true;
    else throw new Error(`unknown option ${a}`);
  }
  for (const t of o.targets) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t} (want ${TARGETS.join(', ')})`);
  if (!(o.level >= 0 && o.level <= 9)) throw new Error('--level must be 0-9');
  if (o.writeKrewManifest && (!o.manifest || o.targets.length !== TARGETS.length)) throw new Error('--write-krew-manifest needs the manifest, so all six targets');
  return o;
}

/** SOURCE_DATE_EPOCH, else the time of the HEAD commit, else 0 with a warning. */
export function sourceDateEpoch() {
  if (process.env.SOURCE_DATE_EPOCH) {
    const n = Number(process.env.SOURCE_DATE_EPOCH);
    if (!Number.isInteger(n) || n < 0) throw new Error(`SOURCE_DATE_EPOCH=${process.env.SOURCE_DATE_EPOCH} is not a Unix time`);
    return n;
  }
  try {
    return Number(execFileSync('git', ['log', '-1', '--format=%ct', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    process.stderr.write('release: no SOURCE_DATE_EPOCH and no git commit; archive mtimes are 0\n');
    return 0;
  }
}

/**
 * @param {string} node
 * @param {Omit<Parameters<typeof import('./release/build-target.mjs').buildTarget>[0], 'blob'> & { blob: string }} args the blob as a file
 * @returns {Promise<import('./release/build-target.mjs').TargetResult>}
 */
function runChild(node, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [path.join(root, 'scripts/release/build-target.mjs'), JSON.stringify(args)], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').pop() ?? ''));
      else reject(new Error(`${args.target}: build failed (exit ${code})\n${err}`));
    });
  });
}

/**
 * @template T, R
 * @param {T[]} items
 * @param {number} n
 * @param {(item: T) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
async function pool(items, n, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  }));
  return results;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const version = packageVersion();
  const tag = `v${version}`;
  const commit = gitCommit();
  const mtime = sourceDateEpoch();
  fs.mkdirSync(o.out, { recursive: true });
  // Nothing stale may be uploaded: clear what earlier runs wrote.
  for (const f of fs.readdirSync(o.out)) {
    if (/^kubectl-dhakacart_v.*\.(tar\.gz|zip)$|^SHA256SUMS$|^dhakacart\.yaml$|^\.work-/.test(f)) fs.rmSync(path.join(o.out, f), { recursive: true, force: true });
  }

  // Fetch (and verify) every base binary first, one at a time: npm pack is the network part.
  const host = nodeBinary(hostTarget());
  for (const t of o.targets) nodeBinary(t);

  const b = await bundle({ version, commit });
  const blob = await makeBlob({ target: hostTarget(), code: b.code, useCodeCache: false, node: host });
  const blobFile = path.join(o.out, '.work-sea.blob');
  fs.writeFileSync(blobFile, blob);
  const cacheTarget = o.codeCache && hostTarget() === 'linux-amd64' && o.targets.includes('linux-amd64') ? 'linux-amd64' : null;
  const cachedBlobFile = path.join(o.out, '.work-sea-codecache.blob');
  if (cacheTarget) fs.writeFileSync(cachedBlobFile, await makeBlob({ target: cacheTarget, code: b.code, useCodeCache: true, node: host }));
  process.stderr.write(`release ${tag} (commit ${commit}, mtime ${mtime}): bundle ${mb(b.code.length)}, blob ${mb(blob.length)}, ` +
    `code cache ${cacheTarget ? `for ${cacheTarget}` : 'for no target'}; building ${o.targets.length} target(s), ${o.jobs} at a time\n`);

  let results;
  try {
    results = await pool(o.targets, o.jobs, async (target) => {
      const r = await runChild(host, { target, blob: target === cacheTarget ? cachedBlobFile : blobFile, outDir: o.out, version, mtime, level: o.level });
      process.stderr.write(`  ${r.archive}: ${mb(r.size)} (binary ${mb(r.binSize)}) in ${r.seconds.toFixed(1)} s\n`);
      return r;
    });
  } finally {
    fs.rmSync(blobFile, { force: true });
    fs.rmSync(cachedBlobFile, { force: true });
  }

  const sums = results.map((r) => `${r.sha256}  ${r.archive}\n`).sort((x, y) => (x.slice(66) < y.slice(66) ? -1 : 1)).join('');
  fs.writeFileSync(path.join(o.out, 'SHA256SUMS'), sums);

  let manifestNote = 'manifest skipped (--no-manifest)';
  if (o.manifest && o.targets.length === TARGETS.length) {
    const template = fs.readFileSync(path.join(root, '.krew.yaml'), 'utf8');
    const rendered = renderTemplate(template, { tag, shaOf: shaFromDir(o.out) });
    const problems = validateManifest(rendered, { fileName: 'dhakacart.yaml', version, archiveDir: o.out });
    if (problems.length) throw new Error(`the rendered manifest is invalid:\n  ${problems.join('\n  ')}`);
    fs.writeFileSync(path.join(o.out, 'dhakacart.yaml'), rendered);
    manifestNote = `${path.relative(root, path.join(o.out, 'dhakacart.yaml'))} valid`;
    if (o.writeKrewManifest) {
      const header = `# Generated by \`npm run release:manifest\` from .krew.yaml: the krew manifest of ${tag}, submitted to\n` +
        `# krew-index as plugins/dhakacart.yaml. The sha256 values are those of the archives built from\n` +
        `# commit ${commit}; a release build regenerates them (release/dhakacart.yaml). Do not edit.\n`;
      fs.writeFileSync(path.join(root, 'krew-manifest.yaml'), header + rendered);
      manifestNote += '; krew-manifest.yaml updated';
    }
  } else if (o.manifest) {
    manifestNote = 'manifest skipped (needs all six targets)';
  }
  const total = results.reduce((n, r) => n + r.size, 0);
  console.log(`${path.relative(root, o.out) || '.'}: ${results.length} archive(s), ${mb(total)} in all, SHA256SUMS; ${manifestNote}; ` +
    `${((Date.now() - t0) / 1000).toFixed(1)} s`);
  for (const r of results) console.log(`  ${r.sha256}  ${r.archive}  ${mb(r.size)}${r.cdhash ? `  cdhash ${r.cdhash}` : ''}`);
}

main().catch((e) => {
  process.stderr.write(`release: ${e?.stack ?? e}\n`);
  process.exit(1);
});
