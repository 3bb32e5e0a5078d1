import type { Diagnosis } from './diagnosis';

export interface DiagnosisGroup { cause: Diagnosis['cause']; confidence: Diagnosis['confidence']; summary: string; pods: string[]; diagnosis: Diagnosis }

const STRENGTH: Record<Diagnosis['confidence'], number> = { confirmed: 2, likely: 1, unknown: 0 };

/**
 * Pods that fail the same way (same cause, same container, same workload) are one finding
 * shown once; the best-supported diagnosis of the group speaks for it. A bare pod is its own group.
 */
export function groupDiagnoses(ds: Diagnosis[]): DiagnosisGroup[] {
  const groups = new Map<string, Diagnosis[]>();
  for (const d of ds) {
    const key = JSON.stringify([d.cause, d.container, d.owner ?? `pod/${d.pod}`]);
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups.values()].map((members) => {
    const best = members.reduce((a, b) => (STRENGTH[b.confidence] > STRENGTH[a.confidence] || (STRENGTH[b.confidence] === STRENGTH[a.confidence] && b.evidence.length > a.evidence.length) ? b : a));
    return { cause: best.cause, confidence: best.confidence, summary: best.summary, pods: members.map((m) => m.pod).sort(), diagnosis: best };
  });
}
