// For the tests: the release output in release/, made by `npm run release` (CI runs it
// before `npm test`), or made now when it is missing or incomplete (~40 s on 2 cores once
// the six Node binaries are in .cache/, plus ~260 MB of downloads the first time).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from '../node-dist.mjs';
import { packageVersion } from '../sea/bundle.mjs';
import { TARGETS, archiveName } from './targets.mjs';

export const RELEASE_DIR = path.join(root, 'release');

/**
 * @param {string} dir
 * @param {string} version
 */
function complete(dir, version) {
  const sums = path.join(dir, 'SHA256SUMS');
  if (!fs.existsSync(sums) || !fs.existsSync(path.join(dir, 'dhakacart.yaml'))) return false;
  const listed = fs.readFileSync(sums, 'utf8');
  return TARGETS.every((t) => listed.includes(`  ${archiveName(t, version)}\n`) && fs.existsSync(path.join(dir, archiveName(t, version))));
}

let done = false;
/** @returns {string} the release directory, complete for package.json's version */
export function ensureRelease() {
  const version = packageVersion();
  if (done || complete(RELEASE_DIR, version)) { done = true; return RELEASE_DIR; }
  process.stderr.write('release/ is missing or incomplete: running npm run release (CI runs it before npm test)\n');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/release.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !complete(RELEASE_DIR, version)) throw new Error(`npm run release failed (exit ${r.status})`);
  done = true;
  return RELEASE_DIR;
}

/** The verified pinned Node binary of a target (scripts/node-dist.mjs), for tests. */
export { nodeBinary } from '../node-dist.mjs';
