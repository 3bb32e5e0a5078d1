// Fetches a pinned official Node binary from the npm registry (npm pack: no install
// scripts, no os/cpu checks), verifies it against build/node-dist.lock.json and caches it
// under .cache/node-dist/<version>/<target>/. Used by tests, build and release alike, so
// every one of them runs the Node the binary embeds, never the host's.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const lock = JSON.parse(fs.readFileSync(path.join(root, 'build/node-dist.lock.json'), 'utf8'));

export function hostTarget() {
  /** @type {Partial<Record<string, string>>} */
  const oses = { linux: 'linux', darwin: 'darwin', win32: 'windows' };
  /** @type {Partial<Record<string, string>>} */
  const arches = { x64: 'amd64', arm64: 'arm64' };
  const os = oses[process.platform];
  const arch = arches[process.arch];
  const t = `${os}-${arch}`;
  if (!lock.targets[t]) throw new Error(`no pinned Node for ${process.platform}/${process.arch}`);
  return t;
}

/** Path of the verified node binary for target (default: this host). */
export function nodeBinary(target = hostTarget()) {
  const spec = lock.targets[target];
  if (!spec) throw new Error(`unknown target ${target}`);
  const dir = path.join(root, '.cache/node-dist', lock.version, target);
  const bin = path.join(dir, spec.bin);
  if (fs.existsSync(bin)) return bin;
  const packDir = path.join(root, '.cache/node-dist/tarballs');
  fs.mkdirSync(packDir, { recursive: true });
  const tgz = path.join(packDir, `${spec.pkg}-${lock.version}.tgz`);
  if (!fs.existsSync(tgz)) {
    process.stderr.write(`fetching ${spec.pkg}@${lock.version} from the npm registry...\n`);
    execFileSync('npm', ['pack', `${spec.pkg}@${lock.version}`, '--pack-destination', packDir, '--silent'],
      { stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
  }
  const [algo, want] = spec.integrity.split('-');
  const got = createHash(algo).update(fs.readFileSync(tgz)).digest('base64');
  if (got !== want) {
    fs.rmSync(tgz);
    throw new Error(`${path.basename(tgz)}: integrity mismatch (want ${spec.integrity}, got ${algo}-${got})`);
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', tmp, '--strip-components=1', `package/${spec.bin}`]);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return bin;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(nodeBinary(process.argv[2]));
}
