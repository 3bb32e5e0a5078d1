// Step 1 of the single-executable build: esbuild bundles src/main.ts into one CommonJS
// file that Node's SEA loader can run. Pure function of the sources, package.json's
// version and the git commit: the same inputs give the same bytes whatever the output
// directory (esbuild runs with write:false and a fixed virtual outfile).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { root } from '../node-dist.mjs';

/** package.json's version, e.g. "0.1.0". */
export function packageVersion() {
  return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
}

/** `git rev-parse --short HEAD`, or "unknown" outside a git checkout. */
export function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

// yargs-parser calls createRequire(import.meta.url); in a CJS bundle import.meta is
// empty, so give it the bundle's own file URL (under SEA __filename is the executable).
const META_URL = '__dhakacart_import_meta_url';

// yargs and cliui each bring string-width 8, whose Unicode-property regexes (\p{RGI_Emoji},
// flag v) are built when the module loads: 73 ms of CPU at every start, --version included.
// Both take the project's string-width 4 instead (the table writer's; same widths for text).
const STRING_WIDTH = createRequire(path.join(root, 'package.json')).resolve('string-width');

const CLIENT_NODE_CONFIG = /[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]config\.js$/;

/**
 * client-node's index, and its config.js's import of the generated index, cost ~100 ms of
 * CPU at every start of a command that connects; each is replaced by the few names used
 * (scripts/sea/slim/). Only the bundle: tests under tsx load the whole package.
 * @type {import('esbuild').Plugin}
 */
const slimClientNode = {
  name: 'slim-client-node',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: path.join(root, 'scripts/sea/slim/client-node.mjs') }));
    build.onResolve({ filter: /^\.\/gen\/index\.js$/ }, (args) => (CLIENT_NODE_CONFIG.test(args.importer)
      ? { path: path.join(root, 'scripts/sea/slim/client-node-gen.mjs') } : undefined));
  },
};

/** @typedef {{ entry?: string, version?: string, commit?: string, minify?: boolean }} BundleInput */

/**
 * The esbuild options for the bundle (exported so the release can show or tweak them).
 * @param {BundleInput} [input]
 * @returns {import('esbuild').BuildOptions & { write: false }}
 */
export function bundleOptions({ entry = 'src/main.ts', version = packageVersion(), commit = gitCommit(), minify = true } = {}) {
  return {
    absWorkingDir: root,
    entryPoints: [path.resolve(root, entry)],
    outfile: path.join(root, 'dist/sea/kubectl-dhakacart.cjs'), // virtual: write is false
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    legalComments: 'none',
    minify,
    charset: 'utf8',
    logLevel: 'silent',
    banner: { js: `const ${META_URL} = require('url').pathToFileURL(__filename).href;` },
    alias: { 'string-width': STRING_WIDTH },
    plugins: [slimClientNode],
    define: {
      'import.meta.url': META_URL,
      'process.env.DHAKACART_VERSION': JSON.stringify(version),
      'process.env.DHAKACART_COMMIT': JSON.stringify(commit),
      'process.env.DHAKACART_BUILD': JSON.stringify('sea'),
    },
  };
}

/**
 * Bundles the program. Writes it to `outfile` (atomically) when given.
 * @param {BundleInput & { outfile?: string }} [input]
 * @returns {Promise<{code: Buffer, sha256: string, outfile?: string, version: string, commit: string}>}
 */
export async function bundle({ outfile, entry, version = packageVersion(), commit = gitCommit(), minify = true } = {}) {
  const opts = bundleOptions({ entry, version, commit, minify });
  let result;
  try {
    result = await esbuild.build({ ...opts, metafile: true });
  } catch (err) {
    const e = /** @type {{ errors?: import('esbuild').Message[], message?: string }} */ (err);
    const msgs = await esbuild.formatMessages(e.errors ?? [], { kind: 'error' }).catch(() => []);
    throw new Error(`esbuild failed:\n${msgs.join('') || e.message}`);
  }
  checkBundle(result);
  const out = result.outputFiles?.[0];
  if (!out) throw new Error('esbuild wrote no output file');
  const code = Buffer.from(out.contents);
  if (outfile) writeAtomic(outfile, code);
  return { code, sha256: sha256(code), outfile, version, commit };
}

/**
 * Refuses what cannot work inside an SEA, where require() sees only builtins: a native
 * addon (.node) among the inputs, or a require()/import() esbuild could not resolve
 * at build time (it warns and leaves the call for run time).
 * @param {import('esbuild').BuildResult} result
 */
export function checkBundle(result) {
  const problems = [];
  for (const w of result.warnings) {
    if (/require|import/i.test(`${w.id} ${w.text}`)) {
      problems.push(`${w.location ? `${w.location.file}:${w.location.line}: ` : ''}${w.text}`);
    }
  }
  for (const f of Object.keys(result.metafile?.inputs ?? {})) {
    if (f.endsWith('.node')) problems.push(`native addon ${f}`);
  }
  if (problems.length) throw new Error(`bundle would not run as a single executable:\n  ${problems.join('\n  ')}`);
}

/** @param {Uint8Array} buf */
export function sha256(buf) {
  return createHash('sha256').update(buf).digest('hex');
}

/**
 * Writes via a temporary file and rename, so a reader (or a running binary) never sees half a file.
 * @param {string} file
 * @param {string | Uint8Array} data
 * @param {number} [mode]
 */
export function writeAtomic(file, data, mode) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data, mode === undefined ? undefined : { mode });
  if (mode !== undefined) fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}
