// One target of the release: the pinned Node of `target` with its vendor signature
// stripped, the SEA blob injected, darwin ad-hoc signed, checked, and packed into the
// krew archive with LICENSE. Run by release.mjs as a child process (so two targets can
// be built at once: postject's work is synchronous WebAssembly), under the pinned Node
// so that the archive's zlib is the same whatever Node runs `npm run release`.
//   node scripts/release/build-target.mjs '{"target":..., "blob":..., "outDir":..., "version":..., "mtime":...}'
// prints one JSON line with what it wrote.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unsign } from 'macho-unsign';
import { signatureGet, signatureSet } from 'portable-executable-signature';
import { nodeBinary, root } from '../node-dist.mjs';
import { SEA_FUSE, injectBlob } from '../sea/inject.mjs';
import { tarGz, zip } from './archive.mjs';
import { adhocSign, verifyAdhoc } from './macho.mjs';
import { archiveName, binName, splitTarget } from './targets.mjs';

/**
 * Removes the vendor signature that injection would invalidate.
 * @param {Buffer} exe
 * @param {string} target
 * @returns {Buffer}
 */
export function stripSignature(exe, target) {
  const { os } = splitTarget(target);
  if (os === 'darwin') {
    const out = unsign(exe);
    if (!out) throw new Error(`${target}: expected a signed Mach-O base binary`);
    return Buffer.from(out);
  }
  if (os === 'windows') return Buffer.from(signatureSet(exe, null));
  return exe;
}

/**
 * @typedef {{ target: string, archive: string, sha256: string, size: number, binSize: number, binSha256: string,
 *   seconds: number, cdhash?: string }} TargetResult
 */

/** @type {Record<string, number[]>} */
const MAGIC = {
  linux: [0x7f, 0x45, 0x4c, 0x46], // ELF
  darwin: [0xcf, 0xfa, 0xed, 0xfe], // MH_MAGIC_64, little-endian
  windows: [0x4d, 0x5a], // MZ
};
/** @type {Record<string, number>} */
const CPU = { 'linux-amd64': 62, 'linux-arm64': 183, 'darwin-amd64': 0x01000007, 'darwin-arm64': 0x0100000c, 'windows-amd64': 0x8664, 'windows-arm64': 0xaa64 };

/**
 * What can be checked about a built binary without running it on its platform: magic
 * and CPU type, the SEA fuse flipped and the blob present, no stale PE certificate,
 * a valid ad-hoc Mach-O signature. Throws on a problem.
 * @param {Buffer} buf
 * @param {string} target
 * @param {Buffer} [blob]
 */
export function checkBinary(buf, target, blob) {
  const { os } = splitTarget(target);
  const magic = MAGIC[os];
  if (!magic || !magic.every((b, i) => buf[i] === b)) throw new Error(`${target}: wrong magic bytes`);
  let cpu;
  if (os === 'linux') cpu = buf.readUInt16LE(18);
  else if (os === 'darwin') cpu = buf.readUInt32LE(4);
  else cpu = buf.readUInt16LE(buf.readUInt32LE(0x3c) + 4);
  if (cpu !== CPU[target]) throw new Error(`${target}: machine type 0x${cpu.toString(16)}, want 0x${CPU[target]?.toString(16)}`);
  if (!buf.includes(Buffer.from(`${SEA_FUSE}:1`))) throw new Error(`${target}: SEA fuse not flipped`);
  if (blob && !buf.includes(blob.subarray(0, Math.min(blob.length, 4096)))) throw new Error(`${target}: SEA blob not found in the binary`);
  if (os === 'windows' && signatureGet(buf)) throw new Error(`${target}: still carries an Authenticode signature`);
  if (os === 'darwin') return verifyAdhoc(buf);
  return null;
}

/**
 * Builds `target` into `outDir`/<archive>. `blob` is the SEA blob (without code cache).
 * @param {{ target: string, blob: Buffer, outDir: string, version: string, mtime: number, level?: number, license?: Buffer }} input
 * @returns {Promise<TargetResult>}
 */
export async function buildTarget({ target, blob, outDir, version, mtime, level, license = fs.readFileSync(path.join(root, 'LICENSE')) }) {
  const t0 = Date.now();
  const work = fs.mkdtempSync(path.join(outDir, `.work-${target}-`));
  try {
    const exePath = path.join(work, binName(target));
    await injectBlob({ target, blob, output: exePath, base: nodeBinary(target), strip: stripSignature });
    /** @type {Buffer} */
    let exe = fs.readFileSync(exePath);
    if (splitTarget(target).os === 'darwin') exe = adhocSign(exe, { identifier: 'kubectl-dhakacart' });
    const signature = checkBinary(exe, target, blob);
    const entries = [{ name: binName(target), data: exe, mode: 0o755 }, { name: 'LICENSE', data: license, mode: 0o644 }];
    const archive = archiveName(target, version);
    const data = splitTarget(target).os === 'windows' ? zip(entries, { mtime, level }) : tarGz(entries, { mtime, level });
    const tmp = path.join(work, archive);
    fs.writeFileSync(tmp, data, { mode: 0o644 });
    fs.renameSync(tmp, path.join(outDir, archive));
    return {
      target, archive,
      sha256: createHash('sha256').update(data).digest('hex'),
      size: data.length,
      binSize: exe.length,
      binSha256: createHash('sha256').update(exe).digest('hex'),
      seconds: (Date.now() - t0) / 1000,
      ...(signature ? { cdhash: signature.cdhash } : {}),
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const a = JSON.parse(process.argv[2]);
  buildTarget({ ...a, blob: fs.readFileSync(a.blob) }).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e) => { process.stderr.write(`${a.target}: ${(e instanceof Error && e.stack) || e}\n`); process.exit(1); },
  );
}
