import fs from 'node:fs';
import { usageError } from '../../errors';
import type { Snapshot } from '../../cluster/snapshot';
import { redactSecrets } from '../../security/redact';

/** Writes the snapshot without its secrets (security/redact.ts); --from-file diagnoses it the same. */
export function saveSnapshot(file: string, s: Snapshot): void {
  try {
    fs.writeFileSync(file, JSON.stringify(redactSecrets(s), null, 1) + '\n', { mode: 0o600 });
  } catch (e) {
    throw usageError(`cannot write snapshot ${file}: ${(e as Error).message}`, 'pass a writable path to --save');
  }
}

const ARRAYS = ['pods', 'events', 'deployments', 'replicaSets', 'statefulSets', 'nodes', 'nodeEvents', 'services', 'references', 'gaps'] as const;

/** Reads a snapshot written by --save; refuses anything that is not one, with the reason. */
export function loadSnapshot(file: string): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw usageError(`cannot read snapshot ${file}: ${(e as Error).message}`, 'pass a file written by why --save');
  }
  const s = data as Partial<Snapshot>;
  const bad = s?.version !== 1 ? 'version is not 1'
    : typeof s.namespace !== 'string' || typeof s.capturedAt !== 'string' ? 'namespace or capturedAt missing'
    : ARRAYS.find((k) => !Array.isArray(s[k])) ?? (typeof s.logs !== 'object' || s.logs === null ? 'logs' : null);
  if (bad) throw usageError(`${file} is not a why snapshot (${bad})`, 'pass a file written by why --save');
  return s as Snapshot;
}
