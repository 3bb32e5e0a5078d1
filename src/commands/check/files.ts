import fs from 'node:fs';
import path from 'node:path';
import { parseDocuments, type ManifestDoc } from '../../check/manifests';
import { usageError } from '../../errors';

const MANIFEST = /\.(ya?ml|json)$/i;

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw usageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'pass a manifest file, a directory of them, or - for stdin');
  }
}

/**
 * The documents of every -f: a file, a directory's .yaml/.yml/.json files (not its
 * subdirectories, as kubectl without -R), or `-` for stdin, in the order given.
 */
export function readManifests(specs: string[], stdin: () => string): ManifestDoc[] {
  const docs: ManifestDoc[] = [];
  for (const spec of specs) {
    if (spec === '-') {
      docs.push(...parseDocuments('-', stdin()));
      continue;
    }
    let stat;
    try {
      stat = fs.statSync(spec);
    } catch {
      throw usageError(`${spec}: no such file or directory`, 'pass a manifest file, a directory of them, or - for stdin');
    }
    if (!stat.isDirectory()) {
      docs.push(...parseDocuments(spec, readText(spec)));
      continue;
    }
    const files = fs.readdirSync(spec).filter((f) => MANIFEST.test(f)).sort().map((f) => path.join(spec, f)).filter((f) => fs.statSync(f).isFile());
    if (!files.length) throw usageError(`${spec}: no .yaml, .yml or .json files in the directory`);
    for (const f of files) docs.push(...parseDocuments(f, readText(f)));
  }
  return docs;
}
