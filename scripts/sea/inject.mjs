// Step 3: a copy of the pinned Node binary of the target with the blob injected
// (postject's library API, quietly), written atomically with mode 0755.
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'postject';
import { nodeBinary } from '../node-dist.mjs';

export const SEA_RESOURCE = /** @type {const} */ ('NODE_SEA_BLOB');
export const SEA_FUSE = /** @type {const} */ ('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2');

/**
 * "kubectl-dhakacart" or "kubectl-dhakacart.exe" for a target like "windows-amd64".
 * @param {string} target
 */
export function executableName(target, base = 'kubectl-dhakacart') {
  return target.startsWith('windows-') ? `${base}.exe` : base;
}

/**
 * Writes `output`: the pinned node of `target` (or `base`) with `blob` injected.
 * darwin and windows binaries carry a vendor signature that injection breaks; pass
 * `strip(buffer, target) => buffer` to remove it first (the release does, with
 * macho-unsign / portable-executable-signature), and ad-hoc sign darwin afterwards.
 * Without `strip`, those targets are refused rather than shipped with a broken signature.
 * @param {{ target: string, blob: Buffer, output: string, base?: string,
 *   strip?: (exe: Buffer, target: string) => Uint8Array | Promise<Uint8Array> }} input
 * @returns {Promise<string>} output
 */
export async function injectBlob({ target, blob, output, base = nodeBinary(target), strip }) {
  const os = target.split('-')[0];
  let exe = fs.readFileSync(base);
  if (os !== 'linux') {
    if (!strip) throw new Error(`${target}: the base binary is signed; injectBlob needs a strip() for it`);
    exe = Buffer.from(await strip(exe, target));
  }
  fs.mkdirSync(path.dirname(output), { recursive: true });
  const tmp = `${output}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, exe);
  try {
    await quietly(() => inject(tmp, SEA_RESOURCE, blob, {
      sentinelFuse: SEA_FUSE,
      machoSegmentName: os === 'darwin' ? 'NODE_SEA' : undefined,
      overwrite: true,
    }));
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, output);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return output;
}

/**
 * Runs postject with its chatter captured (ELF injection prints harmless
 * "Can't find string offset for section name '.note.100'" lines) and its
 * process-wide handlers removed afterwards; the chatter is shown only on failure.
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function quietly(fn) {
  const saved = { log: console.log, warn: console.warn, error: console.error };
  const before = { u: process.listeners('uncaughtException'), r: process.listeners('unhandledRejection') };
  /** @type {string[]} */
  const lines = [];
  const sink = (/** @type {unknown[]} */ ...a) => { lines.push(a.join(' ')); };
  console.log = console.warn = console.error = sink;
  try {
    return await fn();
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    e.message += lines.length ? `\npostject said:\n${lines.join('\n')}` : '';
    throw e;
  } finally {
    Object.assign(console, saved);
    for (const l of process.listeners('uncaughtException')) if (!before.u.includes(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection')) if (!before.r.includes(l)) process.removeListener('unhandledRejection', l);
  }
}
