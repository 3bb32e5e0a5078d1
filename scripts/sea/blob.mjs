// Step 2: the SEA preparation blob, made by the PINNED Node (the blob format and any code
// cache belong to one exact Node version), never the host's.
//
// Code cache and reproducibility: V8's code cache depends on the random string-hash seed
// of the process that made it, so two runs give different blobs. A fixed --hash-seed makes
// it reproducible, and the cache is only accepted when the runtime has the same V8 flags
// (else Node warns "Code cache data rejected" and compiles from source). So a code-cache
// blob carries execArgv ["--hash-seed=N"] (N derived from the bundle's sha256) and ignores
// NODE_OPTIONS (execArgvExtension "none"), which would also change the flag hash.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostTarget, nodeBinary } from '../node-dist.mjs';

/**
 * A fixed, non-zero (0 means "random" to V8) hash seed derived from the bundle bytes.
 * @param {Uint8Array} code
 */
export function hashSeedFor(code) {
  return (parseInt(createHash('sha256').update(code).digest('hex').slice(0, 8), 16) >>> 1) + 1;
}

/**
 * The sea-config.json contents (and the V8 flags the generating node must run with).
 * NODE_OPTIONS is ignored by the executable in both modes: a user's NODE_OPTIONS is
 * meant for their own Node programs, not for a kubectl plugin.
 * @param {{ main: string, output: string, code: Uint8Array, useCodeCache?: boolean }} input
 */
export function seaConfig({ main, output, code, useCodeCache = false }) {
  const execArgv = useCodeCache ? [`--hash-seed=${hashSeedFor(code)}`] : [];
  return {
    config: {
      main, output,
      disableExperimentalSEAWarning: true,
      useSnapshot: false,
      useCodeCache,
      execArgv,
      execArgvExtension: /** @type {const} */ ('none'),
    },
    genArgs: execArgv,
  };
}

/**
 * Makes the blob for `target` from the bundle bytes `code` (or the file `main`).
 * Runs `<pinned node> --experimental-sea-config` in a private temp dir. Without a code
 * cache the blob does not depend on the platform that generates it, so the host's
 * pinned node makes it for every target; a code cache must be made by the target's own
 * binary on the target, hence only for the host target.
 * @param {{ target?: string, code?: Uint8Array, main?: string, useCodeCache?: boolean, node?: string }} [input]
 * @returns {Promise<Buffer>} the blob
 */
export async function makeBlob({ target = hostTarget(), code, main, useCodeCache = false, node } = {}) {
  if (useCodeCache && target !== hostTarget()) {
    throw new Error(`useCodeCache needs the blob to be made on ${target} itself (this host is ${hostTarget()})`);
  }
  if (!code && !main) throw new Error('makeBlob needs code or main');
  code ??= fs.readFileSync(/** @type {string} */ (main));
  const gen = node ?? nodeBinary(hostTarget());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-sea-'));
  try {
    fs.writeFileSync(path.join(dir, 'main.cjs'), code);
    const { config, genArgs } = seaConfig({ main: 'main.cjs', output: 'sea.blob', code, useCodeCache });
    fs.writeFileSync(path.join(dir, 'sea-config.json'), JSON.stringify(config, null, 2));
    try {
      execFileSync(gen, [...genArgs, '--experimental-sea-config', 'sea-config.json'], {
        cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' },
      });
    } catch (err) {
      const e = /** @type {{ stdout?: Buffer, stderr?: Buffer }} */ (err);
      throw new Error(`${gen} --experimental-sea-config failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
    return fs.readFileSync(path.join(dir, 'sea.blob'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
