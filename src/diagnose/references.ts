import type { Evidence } from './diagnosis';
import type { Reference } from '../cluster/snapshot';

/** A Secret or ConfigMap (or one key of it) that a container needs and the API says is not there. */
export interface MissingReference { kind: 'Secret' | 'ConfigMap'; name: string; key: string | null }

export type RefState = 'ok' | 'missing' | 'missing-key' | 'unreadable';

export function refState(refs: Reference[], want: { kind: 'Secret' | 'ConfigMap'; name: string; key: string | null }): RefState {
  const r = refs.find((x) => x.kind === want.kind && x.name === want.name);
  if (!r || r.exists === null) return 'unreadable';
  if (!r.exists) return 'missing';
  return want.key && r.keys && !r.keys.includes(want.key) ? 'missing-key' : 'ok';
}

/** A fact about a reference, in words; key names are shown, values never are (they were never gathered). */
export function refEvidence(refs: Reference[], want: MissingReference, via?: string): Evidence {
  const r = refs.find((x) => x.kind === want.kind && x.name === want.name);
  const state = refState(refs, want);
  const what = `${want.kind} ${want.name}${via ? ` (${via})` : ''}`;
  const detail = state === 'unreadable' ? `${what} could not be read` : state === 'missing' ? `${what} does not exist`
    : state === 'missing-key' ? `${what} exists but has no key ${want.key} (keys: ${r?.keys?.join(', ') || 'none'})` : `${what} exists${want.key ? ` with key ${want.key}` : ''}`;
  return { source: want.kind === 'Secret' ? 'secret' : 'spec', detail, at: null };
}

const NOT_FOUND = /\b(secrets?|configmaps?)\s+"([^"]+)"\s+not found/i;
const MISSING_KEY = /couldn't find key (\S+) in (Secret|ConfigMap) (?:[^/\s]+\/)?(\S+)/i;

/** The kubelet's `secret "x" not found` (the API server says `secrets`), `couldn't find key K in Secret ns/x`. */
export function parseMissing(text: string): MissingReference | null {
  const k = MISSING_KEY.exec(text);
  if (k) return { kind: k[2]!.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap', name: k[3]!, key: k[1]! };
  const n = NOT_FOUND.exec(text);
  if (n) return { kind: n[1]!.toLowerCase().startsWith('secret') ? 'Secret' : 'ConfigMap', name: n[2]!, key: null };
  return null;
}

export const describeMissing = (m: MissingReference) => (m.key ? `${m.kind} ${m.name} has no key ${m.key}` : `${m.kind} ${m.name} does not exist`);
