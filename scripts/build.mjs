// `npm run build`: dist/kubectl-dhakacart, a Node single executable (SEA) for this host,
// made offline from the pinned Node (build/node-dist.lock.json), reproducibly.
//   1. esbuild bundle  -> dist/sea/kubectl-dhakacart.cjs      (scripts/sea/bundle.mjs)
//      (not in dist/ itself: with dist/ on PATH, `kubectl plugin list` would warn about
//      a non-executable kubectl-* file)
//   2. SEA blob, made by the pinned node, with a code cache   (scripts/sea/blob.mjs)
//   3. blob injected into a copy of the pinned node           (scripts/sea/inject.mjs)
//   4. smoke test: `env -i PATH=/nonexistent dist/kubectl-dhakacart --version`
// Steps 2-3 (~10 s) are skipped when the bundle, the build code and the base binary are
// unchanged and the executable is still the one this script wrote.
// Env: DHAKACART_SEA_CODE_CACHE=0 builds without the V8 code cache (as cross builds do).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { hostTarget, lock, nodeBinary, root } from './node-dist.mjs';
import { bundle, sha256, writeAtomic } from './sea/bundle.mjs';
import { makeBlob } from './sea/blob.mjs';
import { executableName, injectBlob } from './sea/inject.mjs';

const t0 = Date.now();
const target = hostTarget();
const useCodeCache = process.env.DHAKACART_SEA_CODE_CACHE !== '0';
const dist = path.join(root, 'dist');
const exe = path.join(dist, executableName(target));
const rel = path.relative(root, exe);
const stateFile = path.join(dist, 'sea/build-state.json');
const mb = (/** @type {number} */ n) => `${(n / 1e6).toFixed(1)} MB`;

/**
 * @param {string} msg
 * @returns {never}
 */
function fail(msg) {
  process.stderr.write(`build: ${msg}\n`);
  process.exit(1);
}

/**
 * The executable prints its version with no Node and an empty environment.
 * @param {string} version
 */
function smokeTest(version) {
  const r = spawnSync(exe, ['--version'], { env: { PATH: '/nonexistent' }, encoding: 'utf8', timeout: 30_000 });
  const want = [`v${version}`, `node v${lock.version}`];
  if (r.status !== 0 || !want.every((w) => r.stdout.includes(w)) || r.stderr) {
    fail(`smoke test failed: env -i PATH=/nonexistent ${rel} --version\n` +
      `exit ${r.status ?? r.signal ?? r.error?.message}\nstdout: ${r.stdout}\nstderr: ${r.stderr}\n(wanted ${want.join(' and ')} on stdout, nothing on stderr)`);
  }
}

try {
  const node = nodeBinary(target);
  const b = await bundle({ outfile: path.join(dist, 'sea/kubectl-dhakacart.cjs') });

  // Everything that decides the executable's bytes.
  const buildCode = ['scripts/build.mjs', 'scripts/sea/blob.mjs', 'scripts/sea/inject.mjs']
    .map((f) => fs.readFileSync(path.join(root, f)));
  const key = createHash('sha256')
    .update(JSON.stringify({ target, node: lock.version, integrity: lock.targets[target].integrity, useCodeCache, bundle: b.sha256 }))
    .update(Buffer.concat(buildCode))
    .digest('hex');

  let state = null;
  try { state = JSON.parse(fs.readFileSync(stateFile, 'utf8')); } catch { /* first build */ }
  const st = fs.statSync(exe, { throwIfNoEntry: false });
  const upToDate = state && st && state.key === key && state.size === st.size && state.mtimeMs === st.mtimeMs;

  let binSha = state?.sha256;
  if (!upToDate) {
    const blob = await makeBlob({ target, code: b.code, useCodeCache, node });
    await injectBlob({ target, blob, output: exe, base: node });
    binSha = sha256(fs.readFileSync(exe));
    const s = fs.statSync(exe);
    writeAtomic(stateFile, JSON.stringify({ key, sha256: binSha, size: s.size, mtimeMs: s.mtimeMs }, null, 2) + '\n');
  }
  smokeTest(b.version);
  const size = fs.statSync(exe).size;
  console.log(`${rel}: ${mb(size)} sha256 ${binSha} (node v${lock.version} ${target}, ` +
    `bundle ${mb(b.code.length)} sha256 ${b.sha256.slice(0, 12)}, commit ${b.commit}, ` +
    `code cache ${useCodeCache ? 'on' : 'off'}; ${upToDate ? 'up to date' : `built in ${((Date.now() - t0) / 1000).toFixed(1)} s`})`);
} catch (e) {
  fail((e instanceof Error && e.stack) || String(e));
}
