import type { Evidence } from './diagnosis';
import type { FailureCause, Finding } from './finding';

/**
 * Among findings of equal weight, the more specific cause wins: a pod-level fact first, then
 * what stops the container from starting, then what kills it; `crash` is what is left.
 */
const SPECIFICITY: FailureCause[] = ['evicted', 'unschedulable', 'image', 'config', 'oom', 'db', 'probe', 'crash'];

/** crash only describes the symptom, so any other finding beats it. */
function weight(f: Finding): number {
  if (f.cause === 'crash') return 0;
  if (f.rank === 'strong') return 2;
  if (f.rank === 'weak') return 1;
  return f.confidence === 'confirmed' ? 2 : 1;
}

export function rank(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => weight(b) - weight(a) || SPECIFICITY.indexOf(a.cause) - SPECIFICITY.indexOf(b.cause));
}

/** Most secondary items kept, so the verdict's own evidence is not buried. */
const MAX_SECONDARY = 6;

/** The verdict's evidence, then that of the other findings that also fired, each fact once. */
export function mergeEvidence(primary: Evidence[], secondary: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const keep = (e: Evidence) => !seen.has(`${e.source}|${e.detail}`) && !!seen.add(`${e.source}|${e.detail}`);
  return [...primary.filter(keep), ...secondary.filter(keep).slice(0, MAX_SECONDARY)];
}
