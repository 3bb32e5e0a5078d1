import { shellQuote } from '../kube/shell';
import type { CheckWorkload, CheckLevel, Verdict } from './types';
import { worst } from './types';

/** `deployment/NAME`, as kubectl and the contract's `target` name a workload. */
export const workloadRef = (w: CheckWorkload): string => `${w.kind.toLowerCase()}/${w.name}`;

/**
 * A kubectl command that changes the workload: in the cluster (`kubectl VERB deployment/NAME
 * -n NS ...`), or, for a manifest, the same change made locally and printed as the corrected
 * YAML (`kubectl VERB --local -f FILE ... -o yaml`) to write back over the file.
 */
/** `verb`: kubectl's words before the target (`patch`, `set resources`). */
export function kubectlOn(w: CheckWorkload, verb: string, args: string[]): string {
  const words = w.file
    ? ['kubectl', ...verb.split(' '), '--local', '-f', w.file.path, ...args, '-o', 'yaml']
    : ['kubectl', ...verb.split(' '), workloadRef(w), '-n', w.namespace, ...args];
  return words.map(shellQuote).join(' ');
}

/** A strategic merge patch of the workload (containers merge by name, maps key-wise). */
export const patchOn = (w: CheckWorkload, patch: unknown): string => kubectlOn(w, 'patch', ['-p', JSON.stringify(patch)]);

/** The patch that sets fields of one container of the pod template. */
export const containerPatch = (container: string, fields: Record<string, unknown>) =>
  ({ spec: { template: { spec: { containers: [{ name: container, ...fields }] } } } });

/**
 * A command that creates something beside the workload (a PDB, an alert rule): in the
 * cluster, run as is; for a manifest, `manifest` prints the document instead, appended to
 * the file (for stdin, printed: add it to whatever made the input).
 */
export function createBeside(w: CheckWorkload, live: string, manifest: string): string {
  if (!w.file) return live;
  return w.file.path === '-' ? manifest : `{ echo ---; ${manifest}; } >> ${shellQuote(w.file.path)}`;
}

/** `kubectl create ...` of an object beside the workload. */
export function kubectlBeside(w: CheckWorkload, words: string[]): string {
  const cmd = [...words, '-n', w.namespace].map(shellQuote).join(' ');
  return createBeside(w, cmd, `${cmd} --dry-run=client -o yaml`);
}

/** One finding per container (or object) → one verdict: the worst result, every detail, every fix in turn. */
export function combine(parts: Verdict[], allPass: string): Verdict {
  const bad = parts.filter((p) => p.result !== 'pass');
  if (!bad.length) return { result: 'pass', detail: parts.map((p) => p.detail).filter(Boolean).join('; ') || allPass, fix: null };
  const fixes = bad.map((p) => p.fix).filter((f): f is string => !!f);
  return { result: worst(bad.map((p) => p.result)), detail: bad.map((p) => p.detail).join('; '), fix: fixes.length ? fixes.join(' && ') : null };
}

export const verdict = (result: CheckLevel, detail: string, fix: string | null = null): Verdict => ({ result, detail, fix });
